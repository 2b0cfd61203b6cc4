import { randomUUID } from 'node:crypto';
import type { SuiteId } from '@mianzheng/crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { columnLabel, readBatchWorkbook, type BatchError } from '../adapters/batch-workbook.ts';
import { getLicenseType, lockLicenseTypeVersion } from '../adapters/license-store.ts';
import type { LicenseDocument } from '../domain/license-document.ts';
import { allocateNumbers, insertLicense, issuingDepartmentFor, prepareLicense, signLicense, TYPE_CHANGE_ATTEMPTS, typeKeptChanging, type IssuedLicense, type PreparedLicense } from './issue-license.ts';

/**
 * Batch issuance for migrating existing licenses, all or nothing: every row is checked first
 * (holder code check digits, fields against the type, dates); any error rejects the file with
 * the (row, column, reason) list and issues nothing. Then all are numbered, signed and stored
 * in one transaction — only while the type is still at the version the rows were checked
 * against (as for one license, issue-license.ts): after a change of the type meanwhile the file
 * is read and checked again against the new version, and refused whole (409
 * LICENSE.TYPE_CHANGED, with the rows' errors) when it no longer fits.
 */
export async function issueLicensesFromXlsx(input: { typeCode: string; data: Buffer; filename: string; suite?: SuiteId }, actor: Actor, deps: Deps): Promise<{ batchId: string; issued: number; licenses: IssuedLicense[] }> {
  const now = deps.now();
  const suite = input.suite ?? 'SM2-SM3';
  let numbers: { serials: string[]; indexes: number[] } | undefined;
  let changedFrom: number | undefined;
  for (let attempt = 1; ; attempt++) {
    const type = await getLicenseType(deps.db, input.typeCode);
    const issuer = await issuingDepartmentFor(type, actor, deps);
    const parsed = await readBatchWorkbook(input.data, input.filename, type);
    const errors: BatchError[] = [...parsed.errors];
    const prepared: PreparedLicense[] = [];
    for (const row of parsed.rows) {
      const checked = prepareLicense(type, row, now);
      if (checked.ok) prepared.push(checked.prepared);
      else for (const v of checked.violations) errors.push({ row: row.row, column: columnLabel(type, v.field), reason: v.message, reasonEn: v.messageEn });
    }
    if (errors.length > 0) {
      const details = { errors: errors.slice(0, 500), total: errors.length };
      if (changedFrom === undefined) throw new AppError('LICENSE.BATCH_INVALID', { field: 'file', details });
      throw new AppError('LICENSE.TYPE_CHANGED', {
        field: 'file', message: `导入期间证照类型“${type.name}”已被修改（第 ${type.version} 版），文件不符合新的定义，未颁发任何证照`,
        messageEn: `The license type changed during the import (now version ${type.version}) and the file does not fit its new definition; nothing was issued`,
        details: { ...details, version: type.version, previousVersion: changedFrom },
      });
    }
    if (numbers?.indexes.length !== prepared.length) numbers = await allocateNumbers(deps, issuer.id, prepared.length, now);
    const { serials, indexes } = numbers;
    const signed: { p: PreparedLicense; id: string; document: LicenseDocument; digest: string; index: number }[] = [];
    for (const [i, p] of prepared.entries()) signed.push({ p, id: randomUUID(), ...(await signLicense(p, issuer, serials[i]!, indexes[i]!, suite, now, deps)), index: indexes[i]! });
    const batchId = randomUUID();
    const licenses = await deps.db.transaction().execute(async (trx) => {
      if (await lockLicenseTypeVersion(trx, type.code) !== type.version) return undefined;
      const out: IssuedLicense[] = [];
      for (const s of signed) out.push(await insertLicense(trx, deps, s.id, s.p, issuer, s.document, s.digest, s.index, actor, batchId));
      await appendAudit(trx, {
        actorId: actor.id, actorRole: 'issuer', action: 'license.issue_batch', subjectType: 'license_batch', subjectId: batchId, purpose: 'license_migration',
        legalBasis: type.legalBasis, change: { typeCode: type.code, typeVersion: type.version, filename: input.filename, count: out.length, identifiers: out.map((l) => l.identifier) },
      });
      return out;
    });
    if (licenses) return { batchId, issued: licenses.length, licenses };
    if (attempt >= TYPE_CHANGE_ATTEMPTS) throw typeKeptChanging(type, 'file');
    changedFrom ??= type.version;
  }
}

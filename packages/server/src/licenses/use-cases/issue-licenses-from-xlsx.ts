import { randomUUID } from 'node:crypto';
import type { SuiteId } from '@mianzheng/crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { columnLabel, readBatchWorkbook, type BatchError } from '../adapters/batch-workbook.ts';
import { getLicenseType } from '../adapters/license-store.ts';
import type { LicenseDocument } from '../domain/license-document.ts';
import { allocateNumbers, insertLicense, issuingDepartmentFor, prepareLicense, signLicense, type IssuedLicense, type PreparedLicense } from './issue-license.ts';

/**
 * Batch issuance for migrating existing licenses, all or nothing: every row is checked first
 * (holder code check digits, fields against the type, dates); any error rejects the file with
 * the (row, column, reason) list and issues nothing. Then all are numbered, signed and stored
 * in one transaction.
 */
export async function issueLicensesFromXlsx(input: { typeCode: string; data: Buffer; filename: string; suite?: SuiteId }, actor: Actor, deps: Deps): Promise<{ batchId: string; issued: number; licenses: IssuedLicense[] }> {
  const type = await getLicenseType(deps.db, input.typeCode);
  const issuer = await issuingDepartmentFor(type, actor, deps);
  const now = deps.now();
  const parsed = await readBatchWorkbook(input.data, input.filename, type);
  const errors: BatchError[] = [...parsed.errors];
  const prepared: PreparedLicense[] = [];
  for (const row of parsed.rows) {
    const checked = prepareLicense(type, row, now);
    if (checked.ok) prepared.push(checked.prepared);
    else for (const v of checked.violations) errors.push({ row: row.row, column: columnLabel(type, v.field), reason: v.message, reasonEn: v.messageEn });
  }
  if (errors.length > 0) throw new AppError('LICENSE.BATCH_INVALID', { field: 'file', details: { errors: errors.slice(0, 500), total: errors.length } });
  const suite = input.suite ?? 'SM2-SM3';
  const { serials, indexes } = await allocateNumbers(deps, issuer.id, prepared.length, now);
  const signed: { p: PreparedLicense; id: string; document: LicenseDocument; digest: string; index: number }[] = [];
  for (const [i, p] of prepared.entries()) signed.push({ p, id: randomUUID(), ...(await signLicense(p, issuer, serials[i]!, indexes[i]!, suite, now, deps)), index: indexes[i]! });
  const batchId = randomUUID();
  const licenses = await deps.db.transaction().execute(async (trx) => {
    const out: IssuedLicense[] = [];
    for (const s of signed) out.push(await insertLicense(trx, deps, s.id, s.p, issuer, s.document, s.digest, s.index, actor, batchId));
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'issuer', action: 'license.issue_batch', subjectType: 'license_batch', subjectId: batchId, purpose: 'license_migration',
      legalBasis: type.legalBasis, change: { typeCode: type.code, filename: input.filename, count: out.length, identifiers: out.map((l) => l.identifier) },
    });
    return out;
  });
  return { batchId, issued: licenses.length, licenses };
}

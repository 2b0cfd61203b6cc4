import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { buildLicenseIdentifier, parseIdentityNumber, parseUscc, type SuiteId } from '@mianzheng/crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import { accessesWithNamedPersons, recordDataAccesses } from '../../audit/use-cases/record-data-access.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { sm3Hex } from '../../shared/hash.ts';
import { toBase64Url } from '../domain/crypto-port.ts';
import { chinaDate, LICENSE_FORMAT, licenseSigningInput, SD_ALG, type LicenseDocument, type UnsignedLicense } from '../domain/license-document.ts';
import { isCalendarDate } from '../../shared/calendar/calendar-date.ts';
import { checkFieldValues, maskName, RESERVED_CLAIMS, validityEnd, type FieldValue, type Violation } from '../domain/license-type.ts';
import { encodeDisclosure } from '../domain/selective-disclosure.ts';
import { namedPersons } from '../../audit/domain/named-persons.ts';
import { shanghaiDate } from '../../shared/calendar/working-days.ts';
import { licenseCrypto } from '../adapters/license-crypto.ts';
import { findDepartment, getLicenseType, HOLDER_PII_KIND, lockLicenseTypeVersion, sealDocument, statusListUri, type Department, type LicenseType } from '../adapters/license-store.ts';

export interface IssueLicenseInput {
  typeCode: string;
  holder: { code: string; name: string };
  fields: Record<string, unknown>;
  /** YYYY-MM-DD; default today (China time). */
  validFrom?: string;
  /** YYYY-MM-DD or null for no end; default from the type's validity rule. */
  validUntil?: string | null;
  /** 证照编号; default the identifier's serial number (migrated licenses keep their old number). */
  licenseNumber?: string;
  suite?: SuiteId;
}

export interface IssuedLicense {
  id: string;
  identifier: string;
  licenseNumber: string;
  typeCode: string;
  typeName: string;
  issuer: { departmentId: string; code: string; name: string };
  holderMask: string;
  holderNameMask: string;
  status: 'valid';
  validFrom: string;
  validUntil: string | null;
  issuedAt: string;
  suite: SuiteId;
  keyId: string;
}

/** A license checked against its type (the version `type.version`), not yet numbered or signed. */
export interface PreparedLicense {
  type: LicenseType;
  holderCode: string;
  holderName: string;
  values: Record<string, FieldValue>;
  validFrom: string;
  validUntil: string | null;
  licenseNumber?: string;
}

/** Checks holder code (GB 11643 / GB 32100 by the type's holder kind), fields and validity; no I/O. */
export function prepareLicense(type: LicenseType, input: Omit<IssueLicenseInput, 'typeCode' | 'suite'>, now: Date): { ok: true; prepared: PreparedLicense } | { ok: false; violations: Violation[] } {
  const violations: Violation[] = [];
  const today = chinaDate(now);
  const code = (input.holder.code ?? '').trim().toUpperCase();
  if (type.holderKind === '111') {
    const id = parseIdentityNumber(code, { today });
    if (!id.valid) {
      violations.push({ field: 'holder.code', code: 'LICENSE.HOLDER_CODE_INVALID', message: `公民身份号码校验失败（${id.error === 'CHECK_CHAR' ? `校验码应为 ${id.expectedCheckChar}` : id.error === 'BIRTH_DATE' ? '出生日期不正确' : '格式不正确'}）`, messageEn: `Identity number fails its check (${id.error})` });
    }
  } else {
    const u = parseUscc(code);
    if (!u.valid) {
      violations.push({ field: 'holder.code', code: 'LICENSE.HOLDER_CODE_INVALID', message: `统一社会信用代码校验失败（${u.error === 'CHECK_CHAR' ? `校验码应为 ${u.expectedCheckChar}` : '格式不正确'}）`, messageEn: `USCC fails its check (${u.error})` });
    }
  }
  const name = (input.holder.name ?? '').trim();
  if (!name || name.length > 100) violations.push({ field: 'holder.name', code: 'LICENSE.FIELDS_INVALID', message: '持证主体名称为必填项（不超过 100 字）', messageEn: 'The holder name is required (at most 100 characters)' });
  const checked = checkFieldValues(type.fields, input.fields);
  violations.push(...checked.violations);
  const validFrom = input.validFrom ?? today;
  if (!isCalendarDate(validFrom)) violations.push({ field: 'validFrom', code: 'LICENSE.VALIDITY_INVALID', message: '有效期起始日期应为 YYYY-MM-DD', messageEn: 'validFrom must be a date YYYY-MM-DD' });
  let validUntil: string | null = null;
  if (input.validUntil !== undefined) {
    validUntil = input.validUntil;
    if (validUntil !== null && (!isCalendarDate(validUntil) || validUntil < validFrom)) {
      violations.push({ field: 'validUntil', code: 'LICENSE.VALIDITY_INVALID', message: '有效期截止日期应为不早于起始日期的 YYYY-MM-DD', messageEn: 'validUntil must be a date YYYY-MM-DD not before validFrom' });
    }
  } else if (isCalendarDate(validFrom)) {
    validUntil = validityEnd(type.validity, validFrom);
    // a start so far ahead that the type's period ends after 9999-12-31 has no date to end on
    if (validUntil !== null && !isCalendarDate(validUntil)) {
      violations.push({ field: 'validFrom', code: 'LICENSE.VALIDITY_INVALID', message: '有效期起始日期过晚：按证照类型的有效期规则，截止日期将晚于 9999-12-31', messageEn: 'validFrom is too late: by the type\'s validity rule the period would end after 9999-12-31' });
      validUntil = null;
    }
  }
  const licenseNumber = input.licenseNumber?.trim() || undefined;
  if (licenseNumber !== undefined && (licenseNumber.length > 64 || /[\u0000-\u001f]/.test(licenseNumber))) {
    violations.push({ field: 'licenseNumber', code: 'LICENSE.FIELDS_INVALID', message: '证照编号不超过 64 个字符', messageEn: 'The license number has at most 64 characters' });
  }
  if (violations.length > 0) return { ok: false, violations };
  return { ok: true, prepared: { type, holderCode: code, holderName: name, values: checked.values, validFrom, validUntil, licenseNumber } };
}

/** Serial numbers and status-list indexes for `n` licenses of one issuer (atomic across instances). */
export async function allocateNumbers(deps: Deps, issuerDepartmentId: string, n: number, now: Date): Promise<{ serials: string[]; indexes: number[] }> {
  return deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('license_status_lists').values({ issuer_department_id: issuerDepartmentId, next_index: 0 }).onConflict((oc) => oc.column('issuer_department_id').doNothing()).execute();
    const { next_index } = await trx.updateTable('license_status_lists').set((eb) => ({ next_index: eb('next_index', '+', n) }))
      .where('issuer_department_id', '=', issuerDepartmentId).returning('next_index').executeTakeFirstOrThrow();
    const first = next_index - n;
    const serialRows = await sql<{ v: number }>`SELECT nextval('license_serial_seq')::int AS v FROM generate_series(1, ${n})`.execute(trx);
    const year = chinaDate(now).slice(0, 4);
    return {
      serials: serialRows.rows.map((r) => `${year}${String(r.v).padStart(8, '0')}`),
      indexes: Array.from({ length: n }, (_, i) => first + i),
    };
  });
}

/** Builds the document with its disclosures and signs it with the issuer's active key of the suite. */
export async function signLicense(p: PreparedLicense, issuer: Department, serial: string, statusIndex: number, suite: SuiteId, issuedAt: Date, deps: Deps): Promise<{ document: LicenseDocument; digest: string }> {
  const salt = () => toBase64Url(randomBytes(16));
  const disclosed: { name: string; value: FieldValue }[] = [{ name: 'holderName', value: p.holderName }, { name: 'holderCode', value: p.holderCode }];
  const claims: Record<string, FieldValue> = {};
  for (const f of p.type.fields) {
    const v = p.values[f.name];
    if (v === undefined) continue;
    if (f.disclosable) disclosed.push({ name: f.name, value: v });
    else claims[f.name] = v;
  }
  const disclosures = disclosed.map((d) => encodeDisclosure({ salt: salt(), name: d.name, value: d.value }));
  const identifier = buildLicenseIdentifier({ licenseTypeCode: p.type.code, issuerCode: issuer.uscc, serialNumber: serial, version: '001' });
  const unsigned: UnsignedLicense = {
    format: LICENSE_FORMAT, identifier, licenseNumber: p.licenseNumber ?? serial,
    licenseType: { code: p.type.code, name: p.type.name }, issuer: { code: issuer.uscc, name: issuer.name }, holder: { codeType: p.type.holderKind },
    issuedAt: issuedAt.toISOString(), validFrom: p.validFrom, validUntil: p.validUntil, claims, sdAlg: SD_ALG,
    sd: disclosures.map((d) => licenseCrypto.digest(d)).sort(), status: { status_list: { idx: statusIndex, uri: statusListUri(issuer.uscc) } },
  };
  for (let attempt = 0; ; attempt++) {
    const key = await deps.keys.ensureKey(issuer.id, suite);
    const input = licenseSigningInput({ ...unsigned, proof: { suite, keyId: key.keyId } });
    const { keyId, signature } = await deps.keys.sign(issuer.id, suite, new TextEncoder().encode(input));
    if (keyId === key.keyId) {
      return { document: { ...unsigned, proof: { suite, keyId, signature: toBase64Url(signature) }, disclosures }, digest: sm3Hex(input) };
    }
    if (attempt > 2) throw new Error('the signing key kept changing during issuance');
  }
}

export async function insertLicense(trx: Transaction<DB>, deps: Deps, id: string, p: PreparedLicense, issuer: Department, doc: LicenseDocument, digest: string, statusIndex: number, actor: Actor, batchId: string | null): Promise<IssuedLicense> {
  const holder = deps.pii.protect(p.holderCode, HOLDER_PII_KIND);
  await trx.insertInto('licenses').values({
    id, identifier: doc.identifier, license_number: doc.licenseNumber, type_code: p.type.code, type_version: p.type.version, issuer_department_id: issuer.id, holder_kind: p.type.holderKind,
    holder_enc: holder.enc, holder_hash: holder.hash, holder_mask: holder.mask, holder_name_mask: maskName(p.holderName), status: 'valid', status_index: statusIndex,
    valid_from: doc.validFrom, valid_until: doc.validUntil, issued_at: doc.issuedAt, issued_by: actor.id, suite: doc.proof.suite, key_id: doc.proof.keyId,
    document_sealed: sealDocument(deps, id, doc), document_digest: digest, batch_id: batchId,
  }).execute();
  // the holder, and every person the license names by identity number (a 结婚证's spouse)
  await recordDataAccesses(trx, deps.pii, accessesWithNamedPersons({
    subjectCode: p.holderCode, subjectKind: p.type.holderKind === '111' ? 'person' : 'enterprise', accessorDepartmentId: issuer.id, accessorName: issuer.name,
    accessorAccountId: actor.id, accessorRole: 'issuer', dataItem: `license:${p.type.code}`, dataItemLabel: p.type.name, purpose: batchId ? 'license_migration' : 'license_issuance',
    legalBasis: p.type.legalBasis, outcome: 'issued', detail: { licenseId: id, identifier: doc.identifier },
  }, namedPersons(p.values, p.holderCode, p.type.fields, { ignore: RESERVED_CLAIMS, today: shanghaiDate(deps.now()) })));
  return {
    id, identifier: doc.identifier, licenseNumber: doc.licenseNumber, typeCode: p.type.code, typeName: p.type.name,
    issuer: { departmentId: issuer.id, code: issuer.uscc, name: issuer.name }, holderMask: holder.mask, holderNameMask: maskName(p.holderName), status: 'valid',
    validFrom: doc.validFrom, validUntil: doc.validUntil, issuedAt: doc.issuedAt, suite: doc.proof.suite, keyId: doc.proof.keyId,
  };
}

/** The issuer's department, if the actor may issue the type; else LICENSE.ISSUER_NOT_AUTHORISED. */
export async function issuingDepartmentFor(type: LicenseType, actor: Actor, deps: Deps): Promise<Department> {
  if (!actor.departmentId || !type.issuingDepartmentIds.includes(actor.departmentId)) throw new AppError('LICENSE.ISSUER_NOT_AUTHORISED', { field: 'typeCode' });
  const dept = await findDepartment(deps.db, actor.departmentId);
  if (!dept) throw new AppError('DEPARTMENT.NOT_FOUND', { field: 'departmentId' });
  return dept;
}

/** How often issuance starts over when its type changed between the check and the store, before it answers 409 LICENSE.TYPE_CHANGED. */
export const TYPE_CHANGE_ATTEMPTS = 3;

/**
 * The error for input that does not fit the type: the first violation's code and field — or,
 * when the input fitted the version it was first checked against and the type has changed since
 * (`changedFrom`), 409 LICENSE.TYPE_CHANGED naming the field the new version refuses.
 */
export function violationsError(violations: Violation[], type: LicenseType, changedFrom: number | undefined): AppError {
  const first = violations[0]!;
  if (changedFrom === undefined) {
    return new AppError(first.code as 'LICENSE.FIELDS_INVALID', { field: first.field, message: first.message, messageEn: first.messageEn, details: violations });
  }
  return new AppError('LICENSE.TYPE_CHANGED', {
    field: first.field,
    message: `颁发过程中证照类型“${type.name}”已被修改（第 ${type.version} 版），按新的定义：${first.message}`,
    messageEn: `The license type changed during issuance (now version ${type.version}); by its new definition: ${first.messageEn}`,
    details: { version: type.version, previousVersion: changedFrom, violations },
  });
}

/** A type changed during issuance more often than issuance tries again. */
export function typeKeptChanging(type: LicenseType, field: string): AppError {
  return new AppError('LICENSE.TYPE_CHANGED', {
    field, message: `颁发过程中证照类型“${type.name}”被反复修改，未颁发任何证照，请稍后重试`, messageEn: 'The license type kept changing during issuance; nothing was issued, try again',
    details: { version: type.version },
  });
}

/**
 * Issues one license: checks it against the type's current version, numbers it (GB/T 36904
 * identifier with its MOD 37,36 check character, status-list index), signs it (SM2-SM3 by
 * default) and stores it sealed, with the type version it was checked against, an audit entry
 * and an access-log entry the holder can read. The store holds the type row FOR SHARE and
 * happens only while the type is still at that version: a data admin's change committed in
 * between makes issuance check the input again against the new version (and sign again), so a
 * license is never signed against a definition other than the one stored with it.
 */
export async function issueLicense(input: IssueLicenseInput, actor: Actor, deps: Deps): Promise<IssuedLicense> {
  const now = deps.now();
  const suite = input.suite ?? 'SM2-SM3';
  let numbers: { serials: string[]; indexes: number[] } | undefined;
  let changedFrom: number | undefined;
  for (let attempt = 1; ; attempt++) {
    const type = await getLicenseType(deps.db, input.typeCode);
    const issuer = await issuingDepartmentFor(type, actor, deps);
    const checked = prepareLicense(type, input, now);
    if (!checked.ok) throw violationsError(checked.violations, type, changedFrom);
    numbers ??= await allocateNumbers(deps, issuer.id, 1, now);
    const { serials, indexes } = numbers;
    const { document, digest } = await signLicense(checked.prepared, issuer, serials[0]!, indexes[0]!, suite, now, deps);
    const id = randomUUID();
    const issued = await deps.db.transaction().execute(async (trx) => {
      if (await lockLicenseTypeVersion(trx, type.code) !== type.version) return undefined;
      const out = await insertLicense(trx, deps, id, checked.prepared, issuer, document, digest, indexes[0]!, actor, null);
      await appendAudit(trx, {
        actorId: actor.id, actorRole: 'issuer', action: 'license.issue', subjectType: 'license', subjectId: document.identifier,
        purpose: 'license_issuance', legalBasis: type.legalBasis, change: { licenseId: id, typeCode: type.code, typeVersion: type.version, digest, suite, keyId: document.proof.keyId },
      });
      return out;
    });
    if (issued) return issued;
    if (attempt >= TYPE_CHANGE_ATTEMPTS) throw typeKeptChanging(type, 'typeCode');
    changedFrom ??= type.version;
  }
}

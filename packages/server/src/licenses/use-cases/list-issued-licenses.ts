import { parseIdentityNumber, parseUscc } from '@mianzheng/crypto';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { maskIdentifier } from '../../shared/pii.ts';
import type { LicenseStatus } from '../domain/license-status.ts';
import { decodeDisclosure } from '../domain/selective-disclosure.ts';
import { RESERVED_CLAIMS, type FieldValue } from '../domain/license-type.ts';
import { accessLogWriter } from '../../audit/adapters/access-log-writer.ts';
import { accessesWithNamedPersons } from '../../audit/use-cases/record-data-access.ts';
import { namedPersons } from '../../audit/domain/named-persons.ts';
import { shanghaiDate } from '../../shared/calendar/working-days.ts';
import { cachedDepartment, cachedLicenseType, getLicenseRow, HOLDER_PII_KIND, openDocument, readingFields } from '../adapters/license-store.ts';
import { displayFields, type DisplayedField } from './verify-license.ts';

export interface IssuerLicenseView {
  id: string; identifier: string; licenseNumber: string; licenseType: { code: string; name: string }; holderMask: string; holderNameMask: string;
  status: LicenseStatus; validFrom: string; validUntil: string | null; issuedAt: string; suite: 'SM2-SM3' | 'Ed25519'; batchId: string | null;
}

function requireDepartment(actor: Actor): string {
  if (!actor.departmentId) throw new AppError('AUTH.OUT_OF_SCOPE');
  return actor.departmentId;
}

/** Licenses issued by the actor's department. `q`: a holder code (matched by keyed hash), an identifier or a license number. */
export async function listIssuedLicenses(query: { type?: string; status?: LicenseStatus; q?: string; page: number; pageSize: number }, actor: Actor, deps: Deps): Promise<{ total: number; items: IssuerLicenseView[] }> {
  const dept = requireDepartment(actor);
  let base = deps.db.selectFrom('licenses').innerJoin('license_types', 'license_types.code', 'licenses.type_code').where('licenses.issuer_department_id', '=', dept);
  if (query.type) base = base.where('licenses.type_code', '=', query.type);
  if (query.status) base = base.where('licenses.status', '=', query.status);
  const q = query.q?.trim();
  if (q) {
    if (parseIdentityNumber(q).valid || parseUscc(q).valid) base = base.where('licenses.holder_hash', '=', deps.pii.lookupHash(q));
    else if (q.startsWith('1.2.156.')) base = base.where('licenses.identifier', '=', q);
    else base = base.where('licenses.license_number', '=', q);
  }
  const [{ n }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base.select(['licenses.id', 'licenses.identifier', 'licenses.license_number', 'licenses.type_code', 'license_types.name as type_name', 'licenses.holder_mask', 'licenses.holder_name_mask',
      'licenses.status', 'licenses.valid_from', 'licenses.valid_until', 'licenses.issued_at', 'licenses.suite', 'licenses.batch_id'])
      .orderBy('licenses.issued_at', 'desc').orderBy('licenses.id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
  ]);
  return {
    total: Number(n),
    items: rows.map((r) => ({
      id: r.id, identifier: r.identifier, licenseNumber: r.license_number, licenseType: { code: r.type_code, name: r.type_name }, holderMask: r.holder_mask, holderNameMask: r.holder_name_mask,
      status: r.status, validFrom: r.valid_from, validUntil: r.valid_until, issuedAt: new Date(r.issued_at).toISOString(), suite: r.suite, batchId: r.batch_id,
    })),
  };
}

/** A field value as staff see it: any identity number masked (配偶身份证件号 …), whichever field carries it. */
function maskedForStaff(value: FieldValue): FieldValue {
  return typeof value === 'string' && parseIdentityNumber(value.trim()).valid ? maskIdentifier(value.trim().toUpperCase()) : value;
}

/** One license of the actor's department, with its fields (every identity number masked) and status history. */
export async function getIssuedLicense(id: string, actor: Actor, deps: Deps): Promise<IssuerLicenseView & { fields: DisplayedField[]; statusHistory: { at: string; action: string; from: string; to: string; reason: string }[] }> {
  const dept = requireDepartment(actor);
  const row = await getLicenseRow(deps.db, id);
  if (row.issuer_department_id !== dept) throw new AppError('AUTH.OUT_OF_SCOPE', { field: 'id' });
  const doc = openDocument(deps, row);
  const claims: Record<string, FieldValue> = {};
  for (const d of doc.disclosures) {
    const x = decodeDisclosure(d);
    if (x) claims[x.name] = x.name === 'holderCode' ? row.holder_mask : x.value;
  }
  const definitions = await readingFields(deps, row.type_code, row.type_version);
  const fields = displayFields(doc, claims, definitions).map((f) => ({ ...f, value: maskedForStaff(f.value) }));
  // viewing a license's fields is a use of the holder's data (and of a person it names, such as the spouse on a 结婚证):
  // logged, committed before the view is returned
  const holderCode = deps.pii.reveal(row.holder_enc, HOLDER_PII_KIND);
  const type = await cachedLicenseType(deps, row.type_code);
  const writer = accessLogWriter(deps.db, deps.pii);
  await Promise.all(accessesWithNamedPersons({
    subjectCode: holderCode, subjectKind: row.holder_kind === '111' ? 'person' : 'enterprise', accessorDepartmentId: dept, accessorName: (await cachedDepartment(deps, dept))?.name ?? dept,
    accessorAccountId: actor.id, accessorRole: 'issuer', dataItem: `license:${row.type_code}`, dataItemLabel: type?.name ?? row.type_code, purpose: 'license_management',
    legalBasis: `发证部门管理本部门签发的证照；${type?.legalBasis ?? ''}`, outcome: 'viewed', detail: { licenseId: row.id, identifier: row.identifier },
  }, namedPersons({ ...doc.claims, ...claims }, holderCode, definitions, { ignore: RESERVED_CLAIMS, today: shanghaiDate(deps.now()) })).map((a) => writer.write(a)));
  const events = await deps.db.selectFrom('license_status_events').selectAll().where('license_id', '=', id).orderBy('at').execute();
  return {
    id: row.id, identifier: row.identifier, licenseNumber: row.license_number, licenseType: doc.licenseType, holderMask: row.holder_mask, holderNameMask: row.holder_name_mask,
    status: row.status, validFrom: row.valid_from, validUntil: row.valid_until, issuedAt: new Date(row.issued_at).toISOString(), suite: row.suite, batchId: row.batch_id,
    fields,
    statusHistory: events.map((e) => ({ at: new Date(e.at).toISOString(), action: e.action, from: e.from_status, to: e.to_status, reason: e.reason })),
  };
}

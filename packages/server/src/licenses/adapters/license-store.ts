/**
 * Database access of the licenses context: rows in, domain values out. Use cases call these;
 * routes never touch storage directly.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { REF, referenceCacheOf } from '../../shared/reference-cache.ts';
import type { LicenseDocument } from '../domain/license-document.ts';
import type { LicenseStatus } from '../domain/license-status.ts';
import type { FieldDefinition, HolderKind, LicenseTypeDefinition, ValidityRule } from '../domain/license-type.ts';
import { documentSealer } from './document-sealer.ts';

type Q = Kysely<DB> | Transaction<DB>;

/** A type as it is now; `version` names its current definition (license_type_versions). */
export interface LicenseType extends LicenseTypeDefinition { version: number; createdAt: string; updatedAt: string }

/** One immutable version of a type's definition: what the licenses issued under it were checked against. */
export interface LicenseTypeVersion extends LicenseTypeDefinition { version: number; createdAt: string }

type TypeRow = {
  code: string; name: string; defining_agency_name: string; holder_kind: HolderKind; fields: FieldDefinition[]; issuing_department_ids: string[];
  validity: ValidityRule; legal_basis: string; description: string; created_at: Date | string; updated_at: Date | string; version: number;
};

export function toLicenseType(r: TypeRow): LicenseType {
  return {
    code: r.code, name: r.name, definingAgencyName: r.defining_agency_name, holderKind: r.holder_kind, fields: r.fields,
    issuingDepartmentIds: r.issuing_department_ids, validity: r.validity, legalBasis: r.legal_basis, description: r.description,
    version: r.version, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function findLicenseType(db: Q, code: string): Promise<LicenseType | undefined> {
  const row = await db.selectFrom('license_types').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? toLicenseType(row) : undefined;
}

/** findLicenseType through the reference cache (read paths outside transactions). */
export function cachedLicenseType(deps: Pick<Deps, 'db'>, code: string): Promise<LicenseType | undefined> {
  return referenceCacheOf(deps).get(REF.licenseType + code, () => findLicenseType(deps.db, code), { keepMissing: false });
}

export async function getLicenseType(db: Q, code: string): Promise<LicenseType> {
  const t = await findLicenseType(db, code);
  if (!t) throw new AppError('LICENSE.TYPE_NOT_FOUND', { field: 'typeCode' });
  return t;
}

export async function listLicenseTypes(db: Q): Promise<LicenseType[]> {
  const rows = await db.selectFrom('license_types').selectAll().orderBy('code').execute();
  return rows.map(toLicenseType);
}

/**
 * The type's current version, read with a share lock held to the end of the transaction: a data
 * admin's change (which locks the row FOR UPDATE) waits for the transaction, and the transaction
 * waits for a change already under way and then reads its version. Issuance stores a license
 * only while the type is at the version the license was checked against.
 */
export async function lockLicenseTypeVersion(trx: Transaction<DB>, code: string): Promise<number | undefined> {
  const row = await trx.selectFrom('license_types').select('version').where('code', '=', code).forShare().executeTakeFirst();
  return row?.version;
}

/** Records version `version` of a type (registration: 1; each change: the next). */
export async function insertLicenseTypeVersion(trx: Transaction<DB>, def: LicenseTypeDefinition, version: number, createdBy: string | null): Promise<void> {
  const { code, ...rest } = licenseTypeRow(def);
  await trx.insertInto('license_type_versions').values({ type_code: code, version, ...rest, created_by: createdBy }).execute();
}

export async function findLicenseTypeVersion(db: Q, code: string, version: number): Promise<LicenseTypeVersion | undefined> {
  const r = await db.selectFrom('license_type_versions').selectAll().where('type_code', '=', code).where('version', '=', version).executeTakeFirst();
  return r ? {
    code: r.type_code, version: r.version, name: r.name, definingAgencyName: r.defining_agency_name, holderKind: r.holder_kind, fields: r.fields,
    issuingDepartmentIds: r.issuing_department_ids, validity: r.validity, legalBasis: r.legal_basis, description: r.description, createdAt: new Date(r.created_at).toISOString(),
  } : undefined;
}

/** findLicenseTypeVersion through the reference cache (a version never changes). */
export function cachedLicenseTypeVersion(deps: Pick<Deps, 'db'>, code: string, version: number): Promise<LicenseTypeVersion | undefined> {
  return referenceCacheOf(deps).get(`${REF.licenseType}${code}@${version}`, () => findLicenseTypeVersion(deps.db, code, version), { keepMissing: false });
}

/**
 * The field definitions a license is read with (labels, order, which are disclosable): those of
 * the type version it was issued against — never the type's later ones. What each field
 * `identifies` (for the access log of the persons a license names) is the type's current
 * declaration: it is not part of the license, and a correction of it reaches every license of
 * the type. Undefined when neither is known (an unregistered document of an unknown type).
 */
export async function readingFields(deps: Pick<Deps, 'db'>, typeCode: string, version: number | undefined): Promise<FieldDefinition[] | undefined> {
  const [issued, current] = await Promise.all([version === undefined ? undefined : cachedLicenseTypeVersion(deps, typeCode, version), cachedLicenseType(deps, typeCode)]);
  if (!issued) return current?.fields;
  return issued.fields.map((f) => {
    const now = current?.fields.find((c) => c.name === f.name);
    const { identifies: _was, ...rest } = f;
    return now?.identifies !== undefined ? { ...rest, identifies: now.identifies } : now ? rest : f;
  });
}

export function licenseTypeRow(def: LicenseTypeDefinition) {
  return {
    code: def.code, name: def.name.trim(), defining_agency_name: def.definingAgencyName.trim(), holder_kind: def.holderKind,
    fields: JSON.stringify(def.fields), issuing_department_ids: def.issuingDepartmentIds, validity: JSON.stringify(def.validity),
    legal_basis: def.legalBasis.trim(), description: def.description,
  };
}

export interface Department { id: string; uscc: string; name: string; regionCode: string }

export async function findDepartment(db: Q, id: string): Promise<Department | undefined> {
  const r = await db.selectFrom('departments').select(['id', 'uscc', 'name', 'region_code']).where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, uscc: r.uscc, name: r.name, regionCode: r.region_code } : undefined;
}

export async function findDepartmentByUscc(db: Q, uscc: string): Promise<Department | undefined> {
  const r = await db.selectFrom('departments').select(['id', 'uscc', 'name', 'region_code']).where('uscc', '=', uscc).executeTakeFirst();
  return r ? { id: r.id, uscc: r.uscc, name: r.name, regionCode: r.region_code } : undefined;
}

/** findDepartment / findDepartmentByUscc through the reference cache (read paths outside transactions). */
export function cachedDepartment(deps: Pick<Deps, 'db'>, id: string): Promise<Department | undefined> {
  return referenceCacheOf(deps).get(`${REF.department}id:${id}`, () => findDepartment(deps.db, id), { keepMissing: false });
}

export function cachedDepartmentByUscc(deps: Pick<Deps, 'db'>, uscc: string): Promise<Department | undefined> {
  return referenceCacheOf(deps).get(`${REF.department}uscc:${uscc}`, () => findDepartmentByUscc(deps.db, uscc), { keepMissing: false });
}

/** The license type a proof item is linked to (用证事项), through the reference cache; null when it is not linked. */
export function cachedLicenseLink(deps: Pick<Deps, 'db'>, proofItemId: string): Promise<{ code: string; name: string } | null> {
  return referenceCacheOf(deps).get(REF.licenseLink + proofItemId, async () => (await deps.db.selectFrom('license_type_proof_items')
    .innerJoin('license_types', 'license_types.code', 'license_type_proof_items.license_type_code')
    .select(['license_types.code', 'license_types.name']).where('license_type_proof_items.proof_item_id', '=', proofItemId).executeTakeFirst()) ?? null);
}

export async function departmentsByIds(db: Q, ids: readonly string[]): Promise<Map<string, Department>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('departments').select(['id', 'uscc', 'name', 'region_code']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, uscc: r.uscc, name: r.name, regionCode: r.region_code }]));
}

export type LicenseRow = Selectable<DB['licenses']>;

/** Whether a text is a UUID: anything else, looked up in a uuid column, is a database error, not "not found". */
export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

export async function findLicenseRow(db: Q, id: string): Promise<LicenseRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('licenses').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getLicenseRow(db: Q, id: string): Promise<LicenseRow> {
  const row = await findLicenseRow(db, id);
  if (!row) throw new AppError('LICENSE.NOT_FOUND', { field: 'id' });
  return row;
}

export async function findLicenseRowByIdentifier(db: Q, identifier: string): Promise<LicenseRow | undefined> {
  return db.selectFrom('licenses').selectAll().where('identifier', '=', identifier).executeTakeFirst();
}

/** The holder's copy of the document (unsealed). */
export function openDocument(deps: Pick<Deps, 'config'>, row: Pick<LicenseRow, 'id' | 'document_sealed'>): LicenseDocument {
  return JSON.parse(documentSealer(deps.config.masterKey).open(row.id, row.document_sealed)) as LicenseDocument;
}

export function sealDocument(deps: Pick<Deps, 'config'>, id: string, doc: LicenseDocument): string {
  return documentSealer(deps.config.masterKey).seal(id, JSON.stringify(doc));
}

/** The lookup hash of the account's own identity number or USCC (what license.holder_hash matches). */
export async function holderHashOf(db: Q, accountId: string): Promise<string | undefined> {
  const a = await db.selectFrom('accounts').select(['kind', 'id_number_hash', 'uscc_hash']).where('id', '=', accountId).executeTakeFirst();
  if (!a) return undefined;
  return (a.kind === 'enterprise' ? a.uscc_hash : a.id_number_hash) ?? a.id_number_hash ?? a.uscc_hash ?? undefined;
}

export function statusListUri(issuerCode: string): string {
  return `/api/v1/issuers/${issuerCode}/status-list`;
}

export const HOLDER_PII_KIND = 'license_holder';

export type { LicenseStatus };

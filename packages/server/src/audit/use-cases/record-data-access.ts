import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PiiProtector } from '../../shared/pii.ts';
import { maskIdentifier } from '../../shared/pii.ts';
import type { NamedPerson } from '../domain/named-persons.ts';
import { appendAuditEntries } from './append-audit.ts';
import { chunks } from '../../shared/chunks.ts';

/** One use of a person's (or enterprise's) data. Purpose and legal basis are mandatory. */
export interface DataAccess {
  /** Identity number (GB 11643) or USCC (GB 32100) of the data subject, in clear; only its keyed hash and mask are stored. */
  subjectCode: string;
  subjectKind: 'person' | 'enterprise';
  accessorDepartmentId: string | null;
  /** Who used the data, as the subject will read it: 马鞍山市公安局, 工商银行马鞍山分行 … */
  accessorName: string;
  accessorAccountId: string | null;
  accessorRole: string | null;
  onBehalfOf?: string | null;
  /** Machine name of what was read: `license:<typeCode>`, `exchange:<itemCode>`, `verification:<proofItemId>` … */
  dataItem: string;
  /** 婚姻状况, 结婚证 … */
  dataItemLabel: string;
  /** Why: a purpose code or text, e.g. `application`, `license_presentation`. */
  purpose: string;
  applicationRef?: string | null;
  legalBasis: string;
  /** answered / not_found / denied / unavailable / verified / rejected … */
  outcome: string;
  detail?: Record<string, unknown>;
}

/**
 * The subject's entry and one like it for each other person the data read names by identity
 * number (the spouse on a 结婚证, a member on a 户籍 record; see namedPersons in
 * ../domain/named-persons.ts): their data is used too. `detail.namedAs` says in which field
 * and where in the data read (`path`: `records[2].memberIdNumber`).
 */
export function accessesWithNamedPersons(subjectEntry: DataAccess, named: readonly NamedPerson[]): DataAccess[] {
  return [subjectEntry, ...named.map((p): DataAccess => ({
    ...subjectEntry, subjectCode: p.code, subjectKind: 'person',
    detail: { ...subjectEntry.detail, namedAs: { field: p.field, label: p.label, path: p.path } },
  }))];
}

/** Purpose and legal basis are mandatory for every data access. */
export function assertDataAccess(a: DataAccess): void {
  if (!a.purpose.trim()) throw new Error('a data access needs a purpose');
  if (!a.legalBasis.trim()) throw new Error('a data access needs a legal basis');
}

/**
 * Records data uses in the subject-readable access log and in the audit chain, inside the
 * caller's transaction: no data is used without both. Several at once share one chain-head
 * read and two multi-row inserts (the data-sharing trail writes them in groups).
 * Returns the access-log ids in order.
 */
export async function recordDataAccesses(trx: Transaction<DB>, pii: PiiProtector, accesses: readonly DataAccess[]): Promise<string[]> {
  if (accesses.length === 0) return [];
  for (const a of accesses) assertDataAccess(a);
  const now = new Date();
  const rows = accesses.map((access) => ({ id: randomUUID(), subjectHash: pii.lookupHash(access.subjectCode), access }));
  // in chunks (17 parameters a row): an answer may name thousands of persons, each an entry
  for (const part of chunks(rows, 1000)) {
    await trx.insertInto('access_log').values(part.map(({ id, subjectHash, access }) => ({
      id, at: now, subject_hash: subjectHash, subject_kind: access.subjectKind, subject_mask: maskIdentifier(access.subjectCode.trim().toUpperCase()),
      accessor_department_id: access.accessorDepartmentId, accessor_name: access.accessorName, accessor_account_id: access.accessorAccountId,
      accessor_role: access.accessorRole, on_behalf_of: access.onBehalfOf ?? null, data_item: access.dataItem, data_item_label: access.dataItemLabel,
      purpose: access.purpose, application_ref: access.applicationRef ?? null, legal_basis: access.legalBasis, outcome: access.outcome,
      detail: JSON.stringify(access.detail ?? {}),
    }))).execute();
  }
  await appendAuditEntries(trx, rows.map(({ id, subjectHash, access }) => ({
    actorId: access.accessorAccountId, actorRole: access.accessorRole, onBehalfOf: access.onBehalfOf ?? null, action: 'data.access',
    subjectType: 'data_subject', subjectId: subjectHash.slice(0, 32), purpose: access.purpose, legalBasis: access.legalBasis,
    change: { accessLogId: id, dataItem: access.dataItem, applicationRef: access.applicationRef ?? null, outcome: access.outcome },
  })));
  return rows.map((r) => r.id);
}

export async function recordDataAccess(trx: Transaction<DB>, pii: PiiProtector, access: DataAccess): Promise<string> {
  return (await recordDataAccesses(trx, pii, [access]))[0]!;
}

import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { canonicalize } from '@mianzheng/crypto';
import type { DB } from '../../db/schema.ts';
import type { PiiProtector } from '../../shared/pii.ts';
import { maskIdentifier } from '../../shared/pii.ts';
import { sm3Hex } from '../../shared/hash.ts';
import { entryPreimage, GENESIS_HASH, type ChainedEntry } from '../domain/audit-entry.ts';
import type { DataAccess } from './record-data-access.ts';

const CHAIN_LOCK = 72010002; // the same lock appendAudit takes

/**
 * recordDataAccess for many accesses at once (group commit of the data-sharing trail):
 * the same access-log rows and the same chained audit entries ("data.access") as calling
 * recordDataAccess once per access, written with one lock, one read of the chain head and
 * two multi-row inserts, inside the caller's transaction. Returns the access-log ids in order.
 */
export async function recordDataAccesses(trx: Transaction<DB>, pii: PiiProtector, accesses: readonly DataAccess[]): Promise<string[]> {
  if (accesses.length === 0) return [];
  for (const a of accesses) {
    if (!a.purpose.trim()) throw new Error('a data access needs a purpose');
    if (!a.legalBasis.trim()) throw new Error('a data access needs a legal basis');
  }
  await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const now = new Date();
  const ids: string[] = [];
  const accessRows = [];
  const auditRows = [];
  for (const access of accesses) {
    const id = randomUUID();
    ids.push(id);
    const subjectHash = pii.lookupHash(access.subjectCode);
    accessRows.push({
      id, at: now, subject_hash: subjectHash, subject_kind: access.subjectKind, subject_mask: maskIdentifier(access.subjectCode.trim().toUpperCase()),
      accessor_department_id: access.accessorDepartmentId, accessor_name: access.accessorName, accessor_account_id: access.accessorAccountId,
      accessor_role: access.accessorRole, on_behalf_of: access.onBehalfOf ?? null, data_item: access.dataItem, data_item_label: access.dataItemLabel,
      purpose: access.purpose, application_ref: access.applicationRef ?? null, legal_basis: access.legalBasis, outcome: access.outcome,
      detail: JSON.stringify(access.detail ?? {}),
    });
    const base: Omit<ChainedEntry, 'hash'> = {
      seq: ++seq, at: new Date().toISOString(), actorId: access.accessorAccountId, actorRole: access.accessorRole, onBehalfOf: access.onBehalfOf ?? null,
      action: 'data.access', subjectType: 'data_subject', subjectId: subjectHash.slice(0, 32), purpose: access.purpose, legalBasis: access.legalBasis,
      changeDigest: sm3Hex(canonicalize({ accessLogId: id, dataItem: access.dataItem, applicationRef: access.applicationRef ?? null, outcome: access.outcome })),
      prevHash,
    };
    const hash = sm3Hex(base.prevHash + entryPreimage(base));
    auditRows.push({
      seq: base.seq, at: base.at, actor_id: base.actorId, actor_role: base.actorRole, on_behalf_of: base.onBehalfOf, action: base.action,
      subject_type: base.subjectType, subject_id: base.subjectId, purpose: base.purpose, legal_basis: base.legalBasis, change_digest: base.changeDigest,
      prev_hash: base.prevHash, hash,
    });
    prevHash = hash;
  }
  await trx.insertInto('access_log').values(accessRows).execute();
  await trx.insertInto('audit_log').values(auditRows).execute();
  return ids;
}

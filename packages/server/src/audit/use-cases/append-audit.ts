import { sql, type Transaction } from 'kysely';
import { canonicalize } from '@mianzheng/crypto';
import type { DB } from '../../db/schema.ts';
import { sm3Hex } from '../../shared/hash.ts';
import { entryPreimage, GENESIS_HASH, type AuditInput, type ChainedEntry } from '../domain/audit-entry.ts';

const CHAIN_LOCK = 72010002;

/**
 * Appends an entry to the hash chain inside the caller's transaction, so the entry
 * exists exactly when the change it records does. The advisory lock orders writers
 * across all instances sharing the database.
 */
export async function appendAudit(trx: Transaction<DB>, input: AuditInput): Promise<ChainedEntry> {
  await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const base = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date().toISOString(),
    actorId: input.actorId,
    actorRole: input.actorRole,
    onBehalfOf: input.onBehalfOf ?? null,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    purpose: input.purpose ?? null,
    legalBasis: input.legalBasis ?? null,
    changeDigest: sm3Hex(canonicalize(input.change ?? null)),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const entry: ChainedEntry = { ...base, hash: sm3Hex(base.prevHash + entryPreimage(base)) };
  await trx.insertInto('audit_log').values({
    seq: entry.seq, at: entry.at, actor_id: entry.actorId, actor_role: entry.actorRole, on_behalf_of: entry.onBehalfOf,
    action: entry.action, subject_type: entry.subjectType, subject_id: entry.subjectId, purpose: entry.purpose,
    legal_basis: entry.legalBasis, change_digest: entry.changeDigest, prev_hash: entry.prevHash, hash: entry.hash,
  }).execute();
  return entry;
}

import { randomInt } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { canonicalize } from '@mianzheng/crypto';
import type { DB } from '../../db/schema.ts';
import { sm3Hex } from '../../shared/hash.ts';
import { CHAIN_COUNT, entryPreimage, GENESIS_HASH, type AuditInput, type ChainedEntry } from '../domain/audit-entry.ts';
import { chunks } from '../../shared/chunks.ts';

const CHAIN_LOCK_BASE = 72010100;

/** The chain each open transaction appends to: one per transaction, so it takes one chain lock only (no lock-order deadlocks). */
const chainOfTransaction = new WeakMap<Transaction<DB>, number>();
/** The chain's head as this transaction left it: it holds the chain's lock until it ends, so no one else appends meanwhile. */
const headOfTransaction = new WeakMap<Transaction<DB>, { seq: number; hash: string }>();

/**
 * Appends entries to a hash chain inside the caller's transaction, so they exist exactly
 * when the change they record does. The chain's advisory lock orders its writers across
 * all instances sharing the database; with CHAIN_COUNT chains picked at random per
 * transaction, concurrent transactions seldom wait for one another.
 */
export async function appendAuditEntries(trx: Transaction<DB>, inputs: readonly AuditInput[]): Promise<ChainedEntry[]> {
  if (inputs.length === 0) return [];
  let chain = chainOfTransaction.get(trx);
  let last = headOfTransaction.get(trx);
  if (chain === undefined) {
    chain = randomInt(CHAIN_COUNT);
    chainOfTransaction.set(trx, chain);
    // the chain's lock and its head in one round trip (migration 0011)
    const { rows } = await sql<{ seq: string | number; hash: string }>`SELECT seq, hash FROM audit_chain_lock_head(${CHAIN_LOCK_BASE + chain}, ${chain}::smallint)`.execute(trx);
    last = rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : undefined;
  } else if (!last) {
    last = await trx.selectFrom('audit_log').select(['seq', 'hash']).where('chain', '=', chain).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  }
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const entries: ChainedEntry[] = [];
  for (const input of inputs) {
    const base = {
      seq: ++seq,
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
      prevHash,
    };
    const entry: ChainedEntry = { ...base, chain, hash: sm3Hex(base.prevHash + entryPreimage(base)) };
    entries.push(entry);
    prevHash = entry.hash;
  }
  // in chunks: one statement binds at most 65,535 parameters (14 a row here)
  for (const part of chunks(entries, 1000)) {
    await trx.insertInto('audit_log').values(part.map((e) => ({
      chain, seq: e.seq, at: e.at, actor_id: e.actorId, actor_role: e.actorRole, on_behalf_of: e.onBehalfOf, action: e.action,
      subject_type: e.subjectType, subject_id: e.subjectId, purpose: e.purpose, legal_basis: e.legalBasis, change_digest: e.changeDigest,
      prev_hash: e.prevHash, hash: e.hash,
    }))).execute();
  }
  headOfTransaction.set(trx, { seq, hash: prevHash });
  return entries;
}

export async function appendAudit(trx: Transaction<DB>, input: AuditInput): Promise<ChainedEntry> {
  return (await appendAuditEntries(trx, [input]))[0]!;
}

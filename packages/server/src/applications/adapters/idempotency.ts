import { canonicalize } from '@mianzheng/crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';
import { sm3Hex } from '../../shared/hash.ts';

export interface IdempotencyRequest { key: string; accountId: string; requestHash: string }

/** Stored answer of an earlier request with the same key: status 0 while the first is still under way (or died mid-way). */
export interface Replay { status: number; response: unknown }

export class IdempotentReplay extends Error {
  constructor(readonly replay: Replay) { super('idempotent replay'); }
}

export function requestHash(scope: string, body: unknown): string {
  return sm3Hex(`${scope}\n${canonicalize(body ?? null)}`);
}

/**
 * Reserves the key inside the caller's transaction, before any change: a concurrent
 * request with the same key waits on the primary key until this transaction ends, then
 * replays. The same key with a different request → 409 REQUEST.IDEMPOTENCY_CONFLICT.
 */
export async function reserveIdempotencyKey(trx: Transaction<DB>, req: IdempotencyRequest, placeholder: unknown): Promise<void> {
  const inserted = await trx.insertInto('idempotency_keys').values({
    key: req.key, account_id: req.accountId, request_hash: req.requestHash, status: 0, response: JSON.stringify(placeholder),
  }).onConflict((oc) => oc.columns(['account_id', 'key']).doNothing()).returning('key').executeTakeFirst();
  if (inserted) return;
  const row = await trx.selectFrom('idempotency_keys').selectAll().where('account_id', '=', req.accountId).where('key', '=', req.key).executeTakeFirstOrThrow();
  if (row.request_hash !== req.requestHash) throw new AppError('REQUEST.IDEMPOTENCY_CONFLICT', { field: 'Idempotency-Key' });
  throw new IdempotentReplay({ status: row.status, response: row.response });
}

export async function completeIdempotencyKey(db: Db, req: IdempotencyRequest, status: number, response: unknown): Promise<void> {
  await db.insertInto('idempotency_keys').values({ key: req.key, account_id: req.accountId, request_hash: req.requestHash, status, response: JSON.stringify(response) })
    .onConflict((oc) => oc.columns(['account_id', 'key']).doUpdateSet({ status, response: JSON.stringify(response) })).execute();
}

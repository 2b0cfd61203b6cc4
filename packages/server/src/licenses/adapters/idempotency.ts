import { canonicalize } from '@mianzheng/crypto';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/hash.ts';

/**
 * Runs a mutation once per (account, Idempotency-Key): a retry with the same key and body gets
 * the stored answer; the same key with another body, or while the first is still running, is
 * REQUEST.IDEMPOTENCY_CONFLICT. Without a key the mutation simply runs. A failed run frees the key.
 */
export async function idempotent<T>(deps: Deps, accountId: string, key: string | undefined, body: unknown, run: () => Promise<{ status: number; body: T }>): Promise<{ status: number; body: T; replayed: boolean }> {
  if (!key) return { ...(await run()), replayed: false };
  if (!/^[\w.:-]{8,128}$/.test(key)) throw new AppError('REQUEST.INVALID', { field: 'idempotency-key', message: 'Idempotency-Key 应为 8 至 128 个字母、数字或 _.:-', messageEn: 'Idempotency-Key must be 8 to 128 characters of letters, digits or _.:-' });
  const requestHash = sha256Hex(canonicalize(body ?? null));
  const claimed = await deps.db.insertInto('idempotency_keys').values({ key, account_id: accountId, request_hash: requestHash, status: 0, response: JSON.stringify(null) })
    .onConflict((oc) => oc.columns(['account_id', 'key']).doNothing()).returning('key').executeTakeFirst();
  if (!claimed) {
    const prior = await deps.db.selectFrom('idempotency_keys').select(['request_hash', 'status', 'response']).where('account_id', '=', accountId).where('key', '=', key).executeTakeFirstOrThrow();
    if (prior.request_hash !== requestHash || prior.status === 0) throw new AppError('REQUEST.IDEMPOTENCY_CONFLICT', { field: 'idempotency-key' });
    return { status: prior.status, body: prior.response as T, replayed: true };
  }
  try {
    const out = await run();
    await deps.db.updateTable('idempotency_keys').set({ status: out.status, response: JSON.stringify(out.body) }).where('account_id', '=', accountId).where('key', '=', key).execute();
    return { ...out, replayed: false };
  } catch (e) {
    await deps.db.deleteFrom('idempotency_keys').where('account_id', '=', accountId).where('key', '=', key).execute();
    throw e;
  }
}

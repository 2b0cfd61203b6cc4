import type { Deps } from '../../shared/deps.ts';
import { sha256Hex } from '../../shared/hash.ts';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor, Role } from '../domain/roles.ts';

/**
 * Session lookups are cached per database handle (i.e. per platform instance) for
 * SESSION_CACHE_TTL_MS, keyed by the token's hash: every API request authenticates, and
 * re-reading the same session and account a dozen times a second is most of a request's
 * queries. The expiry is still checked against deps.now() on every hit. Logout removes the
 * entry on the instance that served it; on other instances (several platform processes on
 * one database) a logged-out token, a disabled account or changed roles are seen at the
 * latest SESSION_CACHE_TTL_MS later. Unknown tokens are not cached.
 */
export const SESSION_CACHE_TTL_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;

interface CachedSession { actor: Actor; expiresAt: Date; until: number }
const caches = new WeakMap<object, Map<string, CachedSession>>();
function cacheOf(db: object): Map<string, CachedSession> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  return c;
}

/** The actor behind a session token, or undefined when the token is unknown or expired. */
export async function findActorByToken(token: string, deps: Pick<Deps, 'db' | 'now'>): Promise<Actor | undefined> {
  const hash = sha256Hex(token);
  const cache = cacheOf(deps.db);
  const hit = cache.get(hash);
  const clock = performance.now();
  if (hit && hit.until > clock) return hit.expiresAt <= deps.now() ? undefined : { ...hit.actor };
  if (hit) cache.delete(hash);
  const row = await deps.db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .leftJoin('departments', 'departments.id', 'accounts.department_id')
    .select([
      'accounts.id', 'accounts.username', 'accounts.display_name', 'accounts.kind', 'accounts.roles', 'accounts.department_id',
      'accounts.region_code', 'accounts.identity_verification', 'departments.name as department_name', 'sessions.expires_at',
    ])
    .where('sessions.token_hash', '=', hash)
    .where('accounts.disabled', '=', false)
    .executeTakeFirst();
  if (!row || new Date(row.expires_at) <= deps.now()) return undefined;
  const actor: Actor = {
    id: row.id, username: row.username, displayName: row.display_name, kind: row.kind, roles: row.roles as Role[],
    departmentId: row.department_id, departmentName: row.department_name ?? null, regionCode: row.region_code,
    ...(row.identity_verification === 'pending' ? { identityVerified: false } : {}),
  };
  if (cache.size >= SESSION_CACHE_MAX) {
    for (const [k, v] of cache) if (v.until <= clock) cache.delete(k);
    if (cache.size >= SESSION_CACHE_MAX) cache.clear();
  }
  cache.set(hash, { actor, expiresAt: new Date(row.expires_at), until: clock + SESSION_CACHE_TTL_MS });
  return { ...actor };
}

/** Forgets this instance's cached sessions of an account (its roles or verification changed here); other instances follow within the TTL. */
export function forgetCachedSessionsOf(accountId: string, deps: Pick<Deps, 'db'>): void {
  const cache = cacheOf(deps.db);
  for (const [k, v] of cache) if (v.actor.id === accountId) cache.delete(k);
}

/** Ends the session of `token` (audited as `auth.logout` when there was one). */
export async function logout(token: string, deps: Pick<Deps, 'db'>): Promise<void> {
  const hash = sha256Hex(token);
  cacheOf(deps.db).delete(hash);
  await deps.db.transaction().execute(async (trx) => {
    const ended = await trx.deleteFrom('sessions').where('token_hash', '=', hash).returning('account_id').executeTakeFirst();
    if (!ended) return;
    const account = await trx.selectFrom('accounts').select('roles').where('id', '=', ended.account_id).executeTakeFirst();
    await appendAudit(trx, {
      actorId: ended.account_id, actorRole: account?.roles[0] ?? null, action: 'auth.logout', subjectType: 'account', subjectId: ended.account_id,
      change: { sessionId: hash.slice(0, 16) },
    });
  });
}

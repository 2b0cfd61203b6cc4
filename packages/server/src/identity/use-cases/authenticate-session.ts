import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Deps } from '../../shared/deps.ts';
import { sha256Hex } from '../../shared/hash.ts';
import { appendAudit, appendAuditEntries } from '../../audit/use-cases/append-audit.ts';
import type { AuditInput } from '../../audit/domain/audit-entry.ts';
import type { Actor, Role } from '../domain/roles.ts';
import { passwordExpired } from '../domain/password-age.ts';

/**
 * Session lookups are cached per database handle (i.e. per platform instance) for
 * SESSION_CACHE_TTL_MS, keyed by the token's hash: every API request authenticates, and
 * re-reading the same session and account a dozen times a second is most of a request's
 * queries. The expiry and the idle timeout are still checked against deps.now() on every hit
 * (a hit that looks idle is read again: another instance may have seen the session since).
 * Ending sessions removes the entries on the instance that ended them; the other instances
 * (several platform processes on one PostgreSQL database) are told at commit by a NOTIFY on
 * SESSIONS_CHANNEL (noticeSessionsChanged) and drop theirs as it arrives (applySessionNotice). Only
 * while an instance's listening connection is lost does SESSION_CACHE_TTL_MS bound how long a
 * logged-out token, a disabled account or changed roles still pass there (the cache is cleared
 * when it is back). Unknown tokens are not cached.
 */
export const SESSION_CACHE_TTL_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;
/**
 * A session's last use (sessions.last_seen_at, for the idle timeout) is written at most this
 * often, by the first request after the interval: authenticating does not write on every
 * request. The idle timeout is accurate to this interval (a session may end up to this much early).
 */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

interface CachedSession { actor: Actor; expiresAt: Date; lastSeen: Date; passwordChangedAt: Date; until: number }
/**
 * The cached sessions of an instance, and how many times sessions were ended here since it
 * started (`forgets`): a lookup whose database read began before an ending does not cache what
 * it read — the row may be one the ending has just deleted.
 */
interface SessionCache { entries: Map<string, CachedSession>; forgets: number }
const caches = new WeakMap<object, SessionCache>();
function sessionCacheOf(db: object): SessionCache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = { entries: new Map(), forgets: 0 }));
  return c;
}

/**
 * The audit entry of a session that ran out (`auth.session_expired`): `lifetime` when past its
 * absolute expiry, else `idle` — written when it is next presented, or at the account's next
 * sign-in, which deletes the ones that ran out unseen.
 */
export function sessionExpiredEntry(
  ended: { account_id: string; expires_at: Date | string; last_seen_at: Date | string }, actorRole: string | null, tokenHash: string, now: Date,
): AuditInput {
  const expiresAt = new Date(ended.expires_at);
  return {
    actorId: ended.account_id, actorRole, action: 'auth.session_expired', subjectType: 'account', subjectId: ended.account_id,
    change: { sessionId: tokenHash.slice(0, 16), reason: expiresAt <= now ? 'lifetime' : 'idle', lastSeenAt: new Date(ended.last_seen_at).toISOString(), expiresAt: expiresAt.toISOString() },
  };
}

/** Whether a session is within its absolute lifetime and has not been idle for longer than the idle timeout. */
function isLive(session: { expiresAt: Date; lastSeen: Date }, now: Date, idleMs: number): boolean {
  return session.expiresAt > now && now.getTime() - session.lastSeen.getTime() <= idleMs;
}

/** The sessions that are no longer live (isLive's negation, in SQL): past their lifetime, or idle for longer than `idleMs`. */
export function ranOut(now: Date, idleMs: number) {
  return (eb: ExpressionBuilder<DB, 'sessions'>) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', new Date(now.getTime() - idleMs))]);
}

/**
 * The actor behind a session token, or undefined when the token is unknown, its account disabled,
 * or the session expired or idle for longer than `config.sessionIdleMinutes` — such a session is
 * deleted. Writes the session's last use at most once per SESSION_TOUCH_INTERVAL_MS. The actor is
 * marked `passwordExpired` when its password is past `config.passwordMaxAgeDays` (staff-side
 * accounts), judged against deps.now() on every lookup, cached or not.
 */
export async function findActorByToken(token: string, deps: Pick<Deps, 'db' | 'now' | 'config'>): Promise<Actor | undefined> {
  const hash = sha256Hex(token);
  const cache = sessionCacheOf(deps.db).entries;
  const now = deps.now();
  const idleMs = deps.config.sessionIdleMinutes * 60_000;
  const clock = performance.now();
  let entry = cache.get(hash);
  if (entry && (entry.until <= clock || !isLive(entry, now, idleMs))) {
    cache.delete(hash);
    entry = undefined;
  }
  if (!entry) {
    const forgets = sessionCacheOf(deps.db).forgets;
    const row = await deps.db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .leftJoin('departments', 'departments.id', 'accounts.department_id')
      .select([
        'accounts.id', 'accounts.username', 'accounts.display_name', 'accounts.kind', 'accounts.roles', 'accounts.department_id',
        'accounts.region_code', 'accounts.identity_verification', 'departments.name as department_name', 'sessions.expires_at', 'sessions.last_seen_at',
        'accounts.password_changed_at',
      ])
      .where('sessions.token_hash', '=', hash)
      .where('accounts.disabled', '=', false)
      .executeTakeFirst();
    if (!row) return undefined;
    const session = { expiresAt: new Date(row.expires_at), lastSeen: new Date(row.last_seen_at) };
    if (!isLive(session, now, idleMs)) {
      // ended: the same refusal as an unknown token; the guard keeps a session another instance has just seen.
      // Audited once, by whichever request deleted it.
      await deps.db.transaction().execute(async (trx) => {
        const ended = await trx.deleteFrom('sessions').where('token_hash', '=', hash).where(ranOut(now, idleMs))
          .returning(['account_id', 'expires_at', 'last_seen_at']).executeTakeFirst();
        if (ended) await appendAuditEntries(trx, [sessionExpiredEntry(ended, row.roles[0] ?? null, hash, now)]);
      });
      return undefined;
    }
    const actor: Actor = {
      id: row.id, username: row.username, displayName: row.display_name, kind: row.kind, roles: row.roles as Role[],
      departmentId: row.department_id, departmentName: row.department_name ?? null, regionCode: row.region_code,
      ...(row.identity_verification === 'pending' ? { identityVerified: false } : {}),
    };
    if (cache.size >= SESSION_CACHE_MAX) {
      for (const [k, v] of cache) if (v.until <= clock) cache.delete(k);
      if (cache.size >= SESSION_CACHE_MAX) cache.clear();
    }
    entry = { actor, ...session, passwordChangedAt: new Date(row.password_changed_at), until: clock + SESSION_CACHE_TTL_MS };
    // not when sessions were ended here while this one was being read (it may be one of them)
    if (sessionCacheOf(deps.db).forgets === forgets) cache.set(hash, entry);
  }
  if (now.getTime() - entry.lastSeen.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    // noted before the write, so requests arriving meanwhile on this instance do not write too
    entry.lastSeen = now;
    await deps.db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', hash).where('last_seen_at', '<', now).execute();
  }
  const expired = passwordExpired(entry.actor.roles, entry.passwordChangedAt, now, deps.config.passwordMaxAgeDays);
  return { ...entry.actor, ...(expired ? { passwordExpired: true } : {}) };
}

/** Forgets this instance's cached sessions of an account (its sessions ended, or its roles or verification changed here). */
export function forgetCachedSessionsOf(accountId: string, deps: Pick<Deps, 'db'>): void {
  const cache = sessionCacheOf(deps.db);
  cache.forgets++;
  for (const [k, v] of cache.entries) if (v.actor.id === accountId) cache.entries.delete(k);
}

/** The channel on which instances tell one another that sessions ended (payload: a SessionNotice as JSON). */
export const SESSIONS_CHANNEL = 'mz_sessions_ended';

/** Every cached session of an account, or the one of a token (by its hash). */
export type SessionNotice = { accountId: string } | { tokenHash: string };

/**
 * Tells every instance, when the caller's transaction commits (NOTIFY is transactional), to drop
 * its cached sessions of an account (ended, or the account changed) or of one token; nothing is
 * told when it rolls back.
 */
export async function noticeSessionsChanged(trx: Kysely<DB>, notice: SessionNotice): Promise<void> {
  await sql`SELECT pg_notify(${SESSIONS_CHANNEL}, ${JSON.stringify(notice)})`.execute(trx);
}

/** Applies a notice another instance (or this one) sent: drops the cached sessions it names. A payload of another shape is ignored. */
export function applySessionNotice(db: Deps['db'], payload: string): void {
  let notice: Partial<Record<'accountId' | 'tokenHash', unknown>> | null;
  try {
    notice = JSON.parse(payload) as typeof notice;
  } catch {
    return;
  }
  if (typeof notice !== 'object' || notice === null) return;
  if (typeof notice.accountId === 'string') forgetCachedSessionsOf(notice.accountId, { db });
  else if (typeof notice.tokenHash === 'string') {
    const cache = sessionCacheOf(db);
    cache.forgets++;
    cache.entries.delete(notice.tokenHash);
  }
}

/** Forgets every cached session of this instance (its notices may have been missed). */
export function forgetAllCachedSessions(db: object): void {
  const cache = sessionCacheOf(db);
  cache.forgets++;
  cache.entries.clear();
}

/** Ends the session of `token` (audited as `auth.logout` when there was one). */
export async function logout(token: string, deps: Pick<Deps, 'db'>): Promise<void> {
  const hash = sha256Hex(token);
  const cache = sessionCacheOf(deps.db);
  cache.entries.delete(hash);
  await deps.db.transaction().execute(async (trx) => {
    const ended = await trx.deleteFrom('sessions').where('token_hash', '=', hash).returning('account_id').executeTakeFirst();
    if (!ended) return;
    await noticeSessionsChanged(trx, { tokenHash: hash });
    const account = await trx.selectFrom('accounts').select('roles').where('id', '=', ended.account_id).executeTakeFirst();
    await appendAudit(trx, {
      actorId: ended.account_id, actorRole: account?.roles[0] ?? null, action: 'auth.logout', subjectType: 'account', subjectId: ended.account_id,
      change: { sessionId: hash.slice(0, 16) },
    });
  });
  // a lookup that read the session before the delete committed may have cached it meanwhile
  cache.forgets++;
  cache.entries.delete(hash);
}

/**
 * 退出所有登录 Sign out everywhere: ends every session of the caller's account (this one
 * included), audited as `auth.logout_all` in the same transaction. Other instances are told at
 * commit (noticeSessionsChanged). Returns how many were ended.
 */
export async function logoutEverywhere(actor: Actor, token: string, deps: Pick<Deps, 'db'>): Promise<{ ended: number }> {
  const ended = await deps.db.transaction().execute(async (trx) => {
    const rows = await trx.deleteFrom('sessions').where('account_id', '=', actor.id).returning('token_hash').execute();
    await noticeSessionsChanged(trx, { accountId: actor.id });
    await appendAudit(trx, {
      actorId: actor.id, actorRole: actor.roles[0] ?? null, action: 'auth.logout_all', subjectType: 'account', subjectId: actor.id,
      change: { sessionId: sha256Hex(token).slice(0, 16), ended: rows.length },
    });
    return rows.length;
  });
  forgetCachedSessionsOf(actor.id, deps);
  return { ended };
}

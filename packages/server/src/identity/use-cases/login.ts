import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/hash.ts';
import type { Deps } from '../../shared/deps.ts';
import { appendAudit, appendAuditEntries } from '../../audit/use-cases/append-audit.ts';
import type { AuditInput } from '../../audit/domain/audit-entry.ts';
import { DUMMY_HASH, verifyPassword } from '../adapters/password-hasher.ts';
import type { Actor, Role } from '../domain/roles.ts';
import { loginQueueOf } from '../adapters/login-queue.ts';
import { ranOut, sessionExpiredEntry } from './authenticate-session.ts';
import { passwordExpired } from '../domain/password-age.ts';

export const THROTTLE = { windowMinutes: 15, lockMinutes: 15, maxPerUser: 5, maxPerAddress: 50, waitSeconds: 10, pollMs: 100 } as const;

export interface LoginInput { username: string; password: string; clientAddress: string }
export interface LoginResult { token: string; expiresAt: Date; actor: Actor }

/**
 * Signs in. Every attempt first reserves a place in the throttle counters of its username and
 * of its client address, atomically (one upsert each, so concurrent attempts cannot all slip
 * under the limit); only an attempt that got a place within the limit has its password
 * checked. A failure keeps its place (and the `max`-th one locks the key for `lockMinutes`);
 * a success resets the username's counter and gives back its place in the address's.
 *
 * A counter full of places while its key is not locked holds attempts still being checked
 * (the `max`-th failure would have locked it): an attempt finding it so waits for one of them
 * to end (up to `waitSeconds`) instead of being refused, so simultaneous correct sign-ins of
 * one account all succeed, while no more than `max` passwords are ever checked without a
 * success in between. On one instance attempts of a key wait their turn in memory
 * (LoginQueue), at most `max` of them at the counter.
 *
 * The session is created only while the password hash that was checked is still the account's
 * (held until it is in): an attempt that checked a password changed meanwhile (修改密码) fails.
 *
 * A staff-side account whose password is older than PASSWORD_MAX_AGE_DAYS signs in all the same,
 * but its session may only change the password (see auth-hooks); the actor says `passwordExpired`
 * and the sign-in is audited once as `auth.password_expired` beside `auth.login`.
 */
export async function login(input: LoginInput, deps: Deps): Promise<LoginResult> {
  const counters = [
    { key: userKeyOf(input.username), max: THROTTLE.maxPerUser },
    { key: addressKeyOf(input.clientAddress), max: THROTTLE.maxPerAddress },
  ];
  const deadline = performance.now() + THROTTLE.waitSeconds * 1000;
  return inLine(counters, deadline, 'username', deps, () => attempt(input, counters, deadline, deps));
}

/** The throttle key of a username: one counter whatever its case (usernames are unique regardless of case). */
function userKeyOf(username: string): string {
  return `user:${username.toLowerCase()}`;
}

/** The throttle key of a client address (request.ip: the client's, behind the proxies of TRUST_PROXY). */
function addressKeyOf(clientAddress: string): string {
  return `addr:${clientAddress}`;
}

interface Counter { key: string; max: number }

/** Runs `fn` holding a place in this instance's line (LoginQueue) of each counter, taken in order. */
async function inLine<T>(counters: Counter[], deadline: number, field: string, deps: Deps, fn: () => Promise<T>): Promise<T> {
  const [first, ...rest] = counters;
  if (!first) return fn();
  const queue = loginQueueOf(deps.db);
  if (!(await queue.enter(first.key, first.max, deadline))) throw tooManyAtOnce(field);
  try {
    return await inLine(rest, deadline, field, deps, fn);
  } finally {
    queue.leave(first.key);
  }
}

/**
 * Checks a password of a signed-in account — its current password, to change it (修改密码) — under
 * the sign-in throttle of its username and of the client address: the same lines and counters as
 * sign-in, so wrong passwords here and at sign-in add up, the `maxPerUser`-th locks the username
 * and the `maxPerAddress`-th the address, for both (one address cannot guess its way through the
 * accounts it holds sessions of, five passwords each). `check` reads the stored hash and tells
 * whether the password is right; it runs only holding a place in both counters. A right password
 * resets the username's count and gives back its place in the address's (as a sign-in does); a
 * wrong one keeps its places, and the result says until when the username (`lockedUntil`) or the
 * address (`addressLockedUntil`) is locked when it was the one that locked it. Throws
 * `AUTH.THROTTLED` (on `field`) while either is locked.
 */
export async function checkPasswordThrottled(
  username: string, clientAddress: string, field: string, check: () => Promise<boolean>, deps: Deps,
): Promise<{ ok: true } | { ok: false; lockedUntil?: Date; addressLockedUntil?: Date }> {
  const counters = [
    { key: userKeyOf(username), max: THROTTLE.maxPerUser },
    { key: addressKeyOf(clientAddress), max: THROTTLE.maxPerAddress },
  ];
  const [userKey, addressKey] = counters.map((c) => c.key) as [string, string];
  const deadline = performance.now() + THROTTLE.waitSeconds * 1000;
  return inLine(counters, deadline, field, deps, async () => {
    const [user, address] = (await reservePlaces(counters, deadline, field, deps)) as [number, number];
    if (await check()) {
      await deps.db.deleteFrom('login_attempts').where('key', '=', userKey).execute();
      await releaseAttempt(deps.db, addressKey, THROTTLE.maxPerAddress);
      return { ok: true };
    }
    const lockedUntil = await recordFailure(deps, userKey, user, THROTTLE.maxPerUser);
    const addressLockedUntil = await recordFailure(deps, addressKey, address, THROTTLE.maxPerAddress);
    return { ok: false, ...(lockedUntil ? { lockedUntil } : {}), ...(addressLockedUntil ? { addressLockedUntil } : {}) };
  });
}

function tooManyAtOnce(field: string): AppError {
  return new AppError('AUTH.THROTTLED', { field, message: '同时登录的请求过多，请稍后再试', messageEn: 'Too many sign-ins at once; try again later' });
}

/** Checks the password of an attempt that holds places in both counters. */
async function attempt(input: LoginInput, counters: Counter[], deadline: number, deps: Deps): Promise<LoginResult> {
  const { db, now } = deps;
  const [userKey, addressKey] = counters.map((c) => c.key) as [string, string];
  const [user, address] = (await reservePlaces(counters, deadline, 'username', deps)) as [number, number];

  const account = await db.selectFrom('accounts').selectAll().where('username', '=', input.username).where('disabled', '=', false).executeTakeFirst();
  const ok = await verifyPassword(input.password, account?.password_hash ?? DUMMY_HASH);
  const failed = async (): Promise<never> => {
    const userLock = await recordFailure(deps, userKey, user, THROTTLE.maxPerUser);
    const addressLock = await recordFailure(deps, addressKey, address, THROTTLE.maxPerAddress);
    await auditFailure(deps, input, account, { user: userLock, address: addressLock });
    throw new AppError('AUTH.INVALID_CREDENTIALS');
  };
  if (!account || !ok) return failed();

  const token = randomBytes(32).toString('base64url');
  const signedInAt = now();
  const expired = passwordExpired(account.roles as Role[], new Date(account.password_changed_at), signedInAt, deps.config.passwordMaxAgeDays);
  const expiresAt = new Date(signedInAt.getTime() + deps.config.sessionTtlHours * 3600_000);
  const signedIn = await db.transaction().execute(async (trx) => {
    // the hash checked above is still the account's, held (shared) until the session is in: a password
    // changed meanwhile (修改密码, which ends every other session) makes this password a wrong one
    const still = await trx.selectFrom('accounts').select('id').where('id', '=', account.id)
      .where('password_hash', '=', account.password_hash!).where('disabled', '=', false).forShare().executeTakeFirst();
    if (!still) return false;
    await trx.deleteFrom('login_attempts').where('key', '=', userKey).execute();
    await releaseAttempt(trx, addressKey, THROTTLE.maxPerAddress);
    // the account's sessions that expired or idled out without being presented again go now
    const ended = await trx.deleteFrom('sessions').where('account_id', '=', account.id).where(ranOut(signedInAt, deps.config.sessionIdleMinutes * 60_000))
      .returning(['token_hash', 'account_id', 'expires_at', 'last_seen_at']).execute();
    await trx.insertInto('sessions').values({ token_hash: sha256Hex(token), account_id: account.id, expires_at: expiresAt, last_seen_at: signedInAt }).execute();
    const sessionId = sha256Hex(token).slice(0, 16);
    await appendAuditEntries(trx, [
      ...ended.map((r) => sessionExpiredEntry(r, account.roles[0] ?? null, r.token_hash, signedInAt)),
      {
        actorId: account.id, actorRole: account.roles[0] ?? null, action: 'auth.login', subjectType: 'account', subjectId: account.id,
        change: { sessionId, clientAddress: input.clientAddress },
      },
      // 等保 2.0 定期更换: the session may only change the password; once per sign-in
      ...(expired ? [{
        actorId: account.id, actorRole: account.roles[0] ?? null, action: 'auth.password_expired', subjectType: 'account', subjectId: account.id,
        change: { sessionId, passwordChangedAt: new Date(account.password_changed_at).toISOString(), maxAgeDays: deps.config.passwordMaxAgeDays },
      }] : []),
    ]);
    return true;
  });
  if (!signedIn) return failed();
  const department = account.department_id
    ? await db.selectFrom('departments').select('name').where('id', '=', account.department_id).executeTakeFirst()
    : undefined;
  return {
    token,
    expiresAt,
    actor: {
      id: account.id, username: account.username, displayName: account.display_name, kind: account.kind, roles: account.roles as Role[],
      departmentId: account.department_id, departmentName: department?.name ?? null, regionCode: account.region_code,
      ...(account.identity_verification === 'pending' ? { identityVerified: false } : {}),
      ...(expired ? { passwordExpired: true } : {}),
    },
  };
}

/**
 * A place in each counter, taken in order. While one is full of attempts still being checked
 * (not locked), waits for one of them to end and tries again; places already taken in the
 * counters before it are given back while waiting. Throws `AUTH.THROTTLED` (on `field`) when
 * one is locked.
 */
async function reservePlaces(counters: Counter[], deadline: number, field: string, deps: Deps): Promise<number[]> {
  const queue = loginQueueOf(deps.db);
  for (;;) {
    const places: number[] = [];
    let full: Counter | undefined;
    for (const counter of counters) {
      const place = await reserveAttempt(deps, counter.key, counter.max);
      if (typeof place === 'number') {
        places.push(place);
        continue;
      }
      for (const taken of counters.slice(0, places.length)) await releaseAttempt(deps.db, taken.key, taken.max);
      if (place === 'locked') throw new AppError('AUTH.THROTTLED', { field });
      full = counter;
      break;
    }
    if (!full) return places;
    // an attempt ending here wakes this one at once; one ending on another instance is seen by polling
    if (!(await queue.ended(full.key, deadline, THROTTLE.pollMs))) throw tooManyAtOnce(field);
  }
}

/**
 * Takes a place in a key's counter in one statement (the row lock of the upsert orders concurrent
 * attempts): the attempt's number in the window; `locked` while the key is locked; `full` when its
 * window already holds `max` attempts (failed or still being checked) — then this one holds no
 * place. The counter never goes past `max + 1`, and does not move while locked.
 */
export async function reserveAttempt(deps: Deps, key: string, max: number): Promise<number | 'locked' | 'full'> {
  const now = deps.now();
  const windowStart = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  const { rows } = await sql<{ failures: number; locked_until: Date | string | null }>`
    INSERT INTO login_attempts AS t (key, failures, window_start, locked_until) VALUES (${key}, 1, ${now}, NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.locked_until > ${now} THEN t.failures
                      WHEN t.window_start < ${windowStart} THEN 1
                      ELSE least(t.failures + 1, ${max + 1}) END,
      window_start = CASE WHEN t.locked_until > ${now} OR t.window_start >= ${windowStart} THEN t.window_start ELSE ${now} END,
      locked_until = CASE WHEN t.locked_until > ${now} THEN t.locked_until ELSE NULL END
    RETURNING failures, locked_until`.execute(deps.db);
  const row = rows[0]!;
  if (row.locked_until && new Date(row.locked_until) > now) return 'locked';
  return Number(row.failures) > max ? 'full' : Number(row.failures);
}

/**
 * Gives back a place taken by `reserveAttempt` for an attempt that did not fail. The count above
 * `max` (left by an attempt that found the counter full) is no place, so the count given back is
 * taken from at most `max`.
 */
async function releaseAttempt(db: Deps['db'], key: string, max: number): Promise<void> {
  await db.updateTable('login_attempts').set((eb) => ({ failures: sql<number>`greatest(least(${eb.ref('failures')}, ${max}) - 1, 0)` })).where('key', '=', key).execute();
}

/** The attempt with number `attempt` failed: it keeps its place; the `max`-th failure locks the key (returns until when). */
export async function recordFailure(deps: Deps, key: string, attempt: number, max: number): Promise<Date | undefined> {
  if (attempt < max) return undefined;
  const lockedUntil = new Date(deps.now().getTime() + THROTTLE.lockMinutes * 60_000);
  await deps.db.updateTable('login_attempts').set({ locked_until: lockedUntil }).where('key', '=', key).execute();
  return lockedUntil;
}

/**
 * A failed sign-in is a security event: audited as `auth.login_failed` on the account (or, for a
 * name no enabled account has, on the client address), and a lock it caused as
 * `auth.lockout`. Attempts refused unchecked while locked are not audited one by one — the
 * lockout entry stands for them, and an unthrottled flood cannot grow the log.
 */
async function auditFailure(deps: Deps, input: LoginInput, account: { id: string; roles: string[] } | undefined, locks: { user?: Date; address?: Date }): Promise<void> {
  // a name no account has is kept only in the (digested) change: it may be a password typed in the wrong field
  const subject = account ? { subjectType: 'account', subjectId: account.id } : { subjectType: 'client_address', subjectId: input.clientAddress };
  const entries: AuditInput[] = [{
    actorId: account?.id ?? null, actorRole: null, action: 'auth.login_failed', ...subject,
    change: { clientAddress: input.clientAddress, username: input.username, reason: account ? 'wrong_password' : 'unknown_or_disabled_account' },
  }];
  if (locks.user) entries.push({ actorId: null, actorRole: null, action: 'auth.lockout', ...subject, change: { lockedUntil: locks.user.toISOString(), clientAddress: input.clientAddress, username: input.username } });
  if (locks.address) entries.push({ actorId: null, actorRole: null, action: 'auth.lockout', subjectType: 'client_address', subjectId: input.clientAddress, change: { lockedUntil: locks.address.toISOString() } });
  await deps.db.transaction().execute((trx) => appendAuditEntries(trx, entries));
}

import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/hash.ts';
import type { Deps } from '../../shared/deps.ts';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import { DUMMY_HASH, verifyPassword } from '../adapters/password-hasher.ts';
import type { Actor, Role } from '../domain/roles.ts';

export const THROTTLE = { windowMinutes: 15, lockMinutes: 15, maxPerUser: 5, maxPerAddress: 50 } as const;

export interface LoginInput { username: string; password: string; clientAddress: string }
export interface LoginResult { token: string; expiresAt: Date; actor: Actor }

export async function login(input: LoginInput, deps: Deps): Promise<LoginResult> {
  const { db, now } = deps;
  const userKey = `user:${input.username.toLowerCase()}`;
  const addressKey = `addr:${input.clientAddress}`;
  const locks = await db.selectFrom('login_attempts').select(['key', 'locked_until']).where('key', 'in', [userKey, addressKey]).execute();
  if (locks.some((l) => l.locked_until && new Date(l.locked_until) > now())) throw new AppError('AUTH.THROTTLED', { field: 'username' });

  const account = await db.selectFrom('accounts').selectAll().where('username', '=', input.username).where('disabled', '=', false).executeTakeFirst();
  const ok = await verifyPassword(input.password, account?.password_hash ?? DUMMY_HASH);
  if (!account || !ok) {
    await recordFailure(deps, userKey, THROTTLE.maxPerUser);
    await recordFailure(deps, addressKey, THROTTLE.maxPerAddress);
    throw new AppError('AUTH.INVALID_CREDENTIALS');
  }

  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now().getTime() + deps.config.sessionTtlHours * 3600_000);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('login_attempts').where('key', '=', userKey).execute();
    await trx.insertInto('sessions').values({ token_hash: sha256Hex(token), account_id: account.id, expires_at: expiresAt }).execute();
    await appendAudit(trx, {
      actorId: account.id, actorRole: account.roles[0] ?? null, action: 'auth.login', subjectType: 'account', subjectId: account.id,
      change: { sessionId: sha256Hex(token).slice(0, 16), clientAddress: input.clientAddress },
    });
  });
  const department = account.department_id
    ? await db.selectFrom('departments').select('name').where('id', '=', account.department_id).executeTakeFirst()
    : undefined;
  return {
    token,
    expiresAt,
    actor: {
      id: account.id, username: account.username, displayName: account.display_name, kind: account.kind, roles: account.roles as Role[],
      departmentId: account.department_id, departmentName: department?.name ?? null, regionCode: account.region_code,
    },
  };
}

async function recordFailure(deps: Deps, key: string, max: number): Promise<void> {
  const now = deps.now();
  const windowStart = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  const lockedUntil = new Date(now.getTime() + THROTTLE.lockMinutes * 60_000);
  await sql`
    INSERT INTO login_attempts (key, failures, window_start, locked_until) VALUES (${key}, 1, ${now}, NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN login_attempts.window_start < ${windowStart} THEN 1 ELSE login_attempts.failures + 1 END,
      window_start = CASE WHEN login_attempts.window_start < ${windowStart} THEN ${now} ELSE login_attempts.window_start END,
      locked_until = CASE WHEN login_attempts.window_start >= ${windowStart} AND login_attempts.failures + 1 >= ${max} THEN ${lockedUntil}::timestamptz ELSE NULL END
  `.execute(deps.db);
}


import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/hash.ts';
import { appendAudit, appendAuditEntries } from '../../audit/use-cases/append-audit.ts';
import type { AuditInput } from '../../audit/domain/audit-entry.ts';
import { DUMMY_HASH, hashPassword, samePassword, verifyPassword } from '../adapters/password-hasher.ts';
import { PASSWORD_HISTORY_DEPTH, PASSWORD_PROBLEM_MESSAGES, PASSWORD_REUSED_MESSAGE, passwordProblem } from '../domain/password-rule.ts';
import type { Actor } from '../domain/roles.ts';
import { forgetCachedSessionsOf, noticeSessionsChanged } from './authenticate-session.ts';
import { checkPasswordThrottled } from './login.ts';

export interface PasswordChangeInput { currentPassword: string; newPassword: string; clientAddress: string }

/**
 * 修改密码 Changes the signed-in account's password. The new one must meet the password rule
 * (checked first: a weak new password costs no attempt); the current one is checked under the
 * sign-in throttle of the username and of the client address (checkPasswordThrottled): a wrong
 * one is a failed attempt like a failed sign-in — audited as `auth.password_change_failed`, and
 * the fifth within the window locks the username (the fiftieth from one address, the address)
 * (`auth.lockout`), sign-in included. Then the new one must be none of the account's last
 * PASSWORD_HISTORY_DEPTH passwords, the current one included (reason `reused`): the previous ones
 * are compared with their kept hashes, never kept in clear.
 *
 * In one transaction the hash is replaced and `password_changed_at` set (an expired password —
 * PASSWORD_MAX_AGE_DAYS — no longer restricts this session, at once on this instance), the old
 * hash joins the account's history (only the most recent PASSWORD_HISTORY_DEPTH - 1 are kept),
 * every other session of the account ends (whoever signed in with the old password is out; the
 * session that changed it stays) and the change is audited as `auth.password_change` (no password
 * material: the session that made it and how many others ended). This instance forgets its
 * cached sessions of the account at once; other instances stop accepting the ended ones within
 * SESSION_CACHE_TTL_MS.
 */
export async function changePassword(input: PasswordChangeInput, actor: Actor, token: string, deps: Deps): Promise<{ ended: number }> {
  const problem = passwordProblem(input.newPassword, actor.username);
  if (problem) {
    const { zh, en } = PASSWORD_PROBLEM_MESSAGES[problem];
    throw new AppError('REQUEST.INVALID', { field: 'newPassword', message: zh, messageEn: en, details: { reason: problem } });
  }
  const sessionHash = sha256Hex(token);
  let currentHash: string | undefined;
  const checked = await checkPasswordThrottled(actor.username, input.clientAddress, 'currentPassword', async () => {
    const account = await deps.db.selectFrom('accounts').select('password_hash').where('id', '=', actor.id).where('disabled', '=', false).executeTakeFirst();
    currentHash = account?.password_hash ?? undefined;
    return (await verifyPassword(input.currentPassword, currentHash ?? DUMMY_HASH)) && currentHash !== undefined;
  }, deps);
  if (!checked.ok) {
    await auditFailure(deps, input, actor, sessionHash, checked);
    throw new AppError('AUTH.WRONG_PASSWORD', { field: 'currentPassword' });
  }
  if (await usedBefore(input, actor, deps)) {
    throw new AppError('REQUEST.INVALID', { field: 'newPassword', message: PASSWORD_REUSED_MESSAGE.zh, messageEn: PASSWORD_REUSED_MESSAGE.en, details: { reason: 'reused' } });
  }

  const newHash = await hashPassword(input.newPassword, deps.config.passwordCost);
  const changedAt = deps.now();
  const ended = await deps.db.transaction().execute(async (trx) => {
    // the hash checked above, still: a change made meanwhile by another session wins, this one is refused
    const updated = await trx.updateTable('accounts').set({ password_hash: newHash, password_changed_at: changedAt })
      .where('id', '=', actor.id).where('password_hash', '=', currentHash!).where('disabled', '=', false).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('AUTH.WRONG_PASSWORD', { field: 'currentPassword' });
    await trx.insertInto('password_history').values({ account_id: actor.id, password_hash: currentHash!, replaced_at: changedAt }).execute();
    await trx.deleteFrom('password_history').where('account_id', '=', actor.id)
      .where('id', 'not in', (eb) => eb.selectFrom('password_history').select('id').where('account_id', '=', actor.id).orderBy('id', 'desc').limit(PASSWORD_HISTORY_DEPTH - 1))
      .execute();
    const others = await trx.deleteFrom('sessions').where('account_id', '=', actor.id).where('token_hash', '!=', sessionHash).returning('token_hash').execute();
    // every cached session of the account, this one's too: its password's age changed
    await noticeSessionsChanged(trx, { accountId: actor.id });
    await appendAudit(trx, {
      actorId: actor.id, actorRole: actor.roles[0] ?? null, action: 'auth.password_change', subjectType: 'account', subjectId: actor.id,
      change: { sessionId: sessionHash.slice(0, 16), otherSessionsEnded: others.length, clientAddress: input.clientAddress },
    });
    return others.length;
  });
  forgetCachedSessionsOf(actor.id, deps);
  return { ended };
}

/**
 * Whether the new password is one of the account's last PASSWORD_HISTORY_DEPTH: the current one
 * (just checked, compared in clear) or one whose hash the history keeps.
 */
async function usedBefore(input: PasswordChangeInput, actor: Actor, deps: Deps): Promise<boolean> {
  if (samePassword(input.newPassword, input.currentPassword)) return true;
  const previous = await deps.db.selectFrom('password_history').select('password_hash').where('account_id', '=', actor.id)
    .orderBy('id', 'desc').limit(PASSWORD_HISTORY_DEPTH - 1).execute();
  for (const { password_hash } of previous) if (await verifyPassword(input.newPassword, password_hash)) return true;
  return false;
}

/**
 * A wrong current password is a security event like a failed sign-in; the failure that locked the
 * username, or the client address, is audited as `auth.lockout` (on the account, or on the address).
 */
async function auditFailure(deps: Deps, input: PasswordChangeInput, actor: Actor, sessionHash: string, locks: { lockedUntil?: Date; addressLockedUntil?: Date }): Promise<void> {
  const subject = { subjectType: 'account', subjectId: actor.id };
  const entries: AuditInput[] = [{
    actorId: actor.id, actorRole: actor.roles[0] ?? null, action: 'auth.password_change_failed', ...subject,
    change: { sessionId: sessionHash.slice(0, 16), clientAddress: input.clientAddress, reason: 'wrong_password' },
  }];
  if (locks.lockedUntil) entries.push({ actorId: null, actorRole: null, action: 'auth.lockout', ...subject, change: { lockedUntil: locks.lockedUntil.toISOString(), clientAddress: input.clientAddress, username: actor.username, via: 'password_change' } });
  if (locks.addressLockedUntil) entries.push({ actorId: null, actorRole: null, action: 'auth.lockout', subjectType: 'client_address', subjectId: input.clientAddress, change: { lockedUntil: locks.addressLockedUntil.toISOString(), via: 'password_change' } });
  await deps.db.transaction().execute((trx) => appendAuditEntries(trx, entries));
}

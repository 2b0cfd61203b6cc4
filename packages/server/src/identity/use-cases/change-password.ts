import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/hash.ts';
import { appendAudit, appendAuditEntries } from '../../audit/use-cases/append-audit.ts';
import type { AuditInput } from '../../audit/domain/audit-entry.ts';
import { DUMMY_HASH, hashPassword, samePassword, verifyPassword } from '../adapters/password-hasher.ts';
import { PASSWORD_PROBLEM_MESSAGES, passwordProblem } from '../domain/password-rule.ts';
import type { Actor } from '../domain/roles.ts';
import { forgetCachedSessionsOf } from './authenticate-session.ts';
import { checkPasswordThrottled } from './login.ts';

export interface PasswordChangeInput { currentPassword: string; newPassword: string; clientAddress: string }

/**
 * 修改密码 Changes the signed-in account's password. The new one must meet the password rule
 * (checked first: a weak new password costs no attempt) and differ from the current one; the
 * current one is checked under the sign-in throttle of the username (checkPasswordThrottled): a
 * wrong one is a failed attempt like a failed sign-in — audited as `auth.password_change_failed`,
 * and the fifth within the window locks the username (`auth.lockout`), sign-in included.
 *
 * In one transaction the hash is replaced, every other session of the account ends (whoever
 * signed in with the old password is out; the session that changed it stays) and the change is
 * audited as `auth.password_change` (no password material: the session that made it and how
 * many others ended). This instance forgets its cached sessions of the account at once; other
 * instances stop accepting the ended ones within SESSION_CACHE_TTL_MS.
 */
export async function changePassword(input: PasswordChangeInput, actor: Actor, token: string, deps: Deps): Promise<{ ended: number }> {
  const problem = passwordProblem(input.newPassword, actor.username);
  if (problem) {
    const { zh, en } = PASSWORD_PROBLEM_MESSAGES[problem];
    throw new AppError('REQUEST.INVALID', { field: 'newPassword', message: zh, messageEn: en, details: { reason: problem } });
  }
  const sessionHash = sha256Hex(token);
  let currentHash: string | undefined;
  const checked = await checkPasswordThrottled(actor.username, 'currentPassword', async () => {
    const account = await deps.db.selectFrom('accounts').select('password_hash').where('id', '=', actor.id).where('disabled', '=', false).executeTakeFirst();
    currentHash = account?.password_hash ?? undefined;
    return (await verifyPassword(input.currentPassword, currentHash ?? DUMMY_HASH)) && currentHash !== undefined;
  }, deps);
  if (!checked.ok) {
    await auditFailure(deps, input, actor, sessionHash, checked.lockedUntil);
    throw new AppError('AUTH.WRONG_PASSWORD', { field: 'currentPassword' });
  }
  if (samePassword(input.newPassword, input.currentPassword)) {
    throw new AppError('REQUEST.INVALID', {
      field: 'newPassword', message: '新密码不能与当前密码相同', messageEn: 'The new password must differ from the current one', details: { reason: 'unchanged' },
    });
  }

  const newHash = await hashPassword(input.newPassword, deps.config.passwordCost);
  const ended = await deps.db.transaction().execute(async (trx) => {
    // the hash checked above, still: a change made meanwhile by another session wins, this one is refused
    const updated = await trx.updateTable('accounts').set({ password_hash: newHash })
      .where('id', '=', actor.id).where('password_hash', '=', currentHash!).where('disabled', '=', false).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('AUTH.WRONG_PASSWORD', { field: 'currentPassword' });
    const others = await trx.deleteFrom('sessions').where('account_id', '=', actor.id).where('token_hash', '!=', sessionHash).returning('token_hash').execute();
    await appendAudit(trx, {
      actorId: actor.id, actorRole: actor.roles[0] ?? null, action: 'auth.password_change', subjectType: 'account', subjectId: actor.id,
      change: { sessionId: sessionHash.slice(0, 16), otherSessionsEnded: others.length, clientAddress: input.clientAddress },
    });
    return others.length;
  });
  forgetCachedSessionsOf(actor.id, deps);
  return { ended };
}

/** A wrong current password is a security event like a failed sign-in; the failure that locked the username is audited as `auth.lockout`. */
async function auditFailure(deps: Deps, input: PasswordChangeInput, actor: Actor, sessionHash: string, lockedUntil: Date | undefined): Promise<void> {
  const subject = { subjectType: 'account', subjectId: actor.id };
  const entries: AuditInput[] = [{
    actorId: actor.id, actorRole: actor.roles[0] ?? null, action: 'auth.password_change_failed', ...subject,
    change: { sessionId: sessionHash.slice(0, 16), clientAddress: input.clientAddress, reason: 'wrong_password' },
  }];
  if (lockedUntil) entries.push({ actorId: null, actorRole: null, action: 'auth.lockout', ...subject, change: { lockedUntil: lockedUntil.toISOString(), clientAddress: input.clientAddress, username: actor.username, via: 'password_change' } });
  await deps.db.transaction().execute((trx) => appendAuditEntries(trx, entries));
}

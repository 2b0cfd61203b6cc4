import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import { getUsableIdentityCheck } from '../../agents/use-cases/check-identity.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor } from '../domain/roles.ts';
import { forgetCachedSessionsOf, noticeSessionsChanged } from './authenticate-session.ts';

export interface IdentityVerificationView {
  status: 'verified' | 'pending';
  via: 'assumed' | 'in_person' | 'online' | null;
  verifiedAt: string | null;
}

/** The account's own 实名核验 status. */
export async function myIdentityVerification(actor: Actor, deps: Deps): Promise<IdentityVerificationView> {
  const a = await deps.db.selectFrom('accounts').select(['identity_verification', 'identity_verified_at']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  return a.identity_verification === 'pending'
    ? { status: 'pending', via: null, verifiedAt: null }
    : { status: 'verified', via: a.identity_verification, verifiedAt: a.identity_verified_at ? new Date(a.identity_verified_at).toISOString() : null };
}

/**
 * 实名核验 in person: at the window a clerk (or a service-hall helper) checks the holder's
 * identity document (POST /api/v1/identity-checks, their own current check) and confirms the
 * account that claimed that number. The number on the document must be the account's; the
 * name on the document becomes the account's name. From then on the account reaches its
 * licenses, access log and applications. Audited in the staff member's name.
 */
export async function verifyAccountIdentity(input: { username: string; identityCheckId: string }, actor: Actor, deps: Deps): Promise<IdentityVerificationView & { username: string; displayName: string }> {
  const check = await getUsableIdentityCheck(input.identityCheckId, actor, deps);
  const now = deps.now();
  const account = await deps.db.transaction().execute(async (trx) => {
    const account = await trx.selectFrom('accounts').select(['id', 'username', 'kind', 'display_name', 'identity_verification', 'id_number_hash', 'uscc_hash', 'disabled'])
      .where('username', '=', input.username).forUpdate().executeTakeFirst();
    if (!account || account.disabled || account.kind === 'staff') throw new AppError('IDENTITY.ACCOUNT_NOT_FOUND', { field: 'username' });
    if (account.identity_verification !== 'pending') throw new AppError('IDENTITY.ALREADY_VERIFIED', { field: 'username' });
    const claimed = account.kind === 'person' ? account.id_number_hash : account.uscc_hash;
    if (check.subject_kind !== account.kind || !claimed || check.subject_code_hash !== claimed) throw new AppError('IDENTITY.VERIFICATION_MISMATCH', { field: 'identityCheckId' });
    await trx.updateTable('accounts').set({ identity_verification: 'in_person', identity_verified_at: now, identity_verified_by: actor.id, display_name: check.subject_name }).where('id', '=', account.id).execute();
    await noticeSessionsChanged(trx, { accountId: account.id });
    await appendAudit(trx, {
      actorId: actor.id, actorRole: actor.roles.includes('clerk') ? 'clerk' : 'agent', action: 'identity.account.verify', subjectType: 'account', subjectId: account.id,
      purpose: '实名核验 identity verification', legalBasis: '《中华人民共和国网络安全法》第二十四条',
      change: { identityCheckId: check.id, method: check.method, nameBefore: account.display_name, nameAfter: check.subject_name },
    });
    return account;
  });
  forgetCachedSessionsOf(account.id, deps);
  return { username: account.username, displayName: check.subject_name, status: 'verified', via: 'in_person', verifiedAt: now.toISOString() };
}

import type { Actor } from '../../identity/domain/roles.ts';
import { hasRole } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { authorizationCovers } from '../../agents/domain/authorization.ts';
import { getUsableIdentityCheck } from '../../agents/use-cases/check-identity.ts';

export interface Applicant {
  accountId: string | null;
  kind: 'person' | 'enterprise';
  name: string;
  /** Identity number or USCC in clear (sealed before storage). */
  code: string;
}

export interface Filing { applicant: Applicant; agentAccountId: string | null; identityCheckId: string | null }

async function applicantFromAccount(accountId: string, deps: Deps): Promise<Applicant> {
  const a = await deps.db.selectFrom('accounts').select(['id', 'kind', 'display_name', 'id_number_enc', 'uscc', 'roles']).where('id', '=', accountId).executeTakeFirst();
  if (!a || !a.roles.includes('applicant')) throw new AppError('AGENT.NOT_AUTHORIZED', { field: 'onBehalfOf' });
  const code = a.kind === 'enterprise' ? a.uscc : a.id_number_enc ? deps.pii.reveal(a.id_number_enc, 'id_number') : null;
  if (!code) throw new AppError('IDENTITY.INVALID_ID_NUMBER', { field: 'applicant', message: '申请人账号未登记证件号码', messageEn: 'The applicant account has no identity number' });
  return { accountId: a.id, kind: a.kind === 'enterprise' ? 'enterprise' : 'person', name: a.display_name, code: code.trim() };
}

/**
 * Who the application is for and who files it: the applicant themself; an agent under a
 * current authorization covering every service item; or a helper/clerk for a walk-in
 * applicant after an identity check.
 */
export async function resolveFiling(input: { onBehalfOf?: string; identityCheckId?: string }, serviceItemCodes: readonly string[], actor: Actor, deps: Deps): Promise<Filing> {
  if (input.onBehalfOf && input.identityCheckId) throw new AppError('REQUEST.INVALID', { field: 'identityCheckId', message: '代办授权与现场身份核验只能选择一种', messageEn: 'Give either onBehalfOf or identityCheckId' });
  if (input.identityCheckId) {
    if (!hasRole(actor, 'agent', 'clerk')) throw new AppError('AUTH.FORBIDDEN', { field: 'identityCheckId' });
    const check = await getUsableIdentityCheck(input.identityCheckId, actor, deps);
    const code = deps.pii.reveal(check.subject_code_enc, 'identity_check');
    const account = await deps.db.selectFrom('accounts').select('id').where(check.subject_kind === 'person' ? 'id_number_hash' : 'uscc_hash', '=', check.subject_code_hash).executeTakeFirst();
    return { applicant: { accountId: account?.id ?? null, kind: check.subject_kind, name: check.subject_name, code }, agentAccountId: actor.id, identityCheckId: check.id };
  }
  if (input.onBehalfOf) {
    if (!hasRole(actor, 'agent')) throw new AppError('AUTH.FORBIDDEN', { field: 'onBehalfOf' });
    const auths = await deps.db.selectFrom('agent_authorizations').selectAll().where('agent_account_id', '=', actor.id).where('principal_account_id', '=', input.onBehalfOf).where('status', '=', 'active').execute();
    const ok = auths.some((a) => authorizationCovers({ status: a.status, validFrom: new Date(a.valid_from), validUntil: new Date(a.valid_until), serviceItemCodes: a.service_item_codes }, serviceItemCodes, deps.now()));
    if (!ok) throw new AppError('AGENT.NOT_AUTHORIZED', { field: 'onBehalfOf' });
    return { applicant: await applicantFromAccount(input.onBehalfOf, deps), agentAccountId: actor.id, identityCheckId: null };
  }
  if (!hasRole(actor, 'applicant')) throw new AppError('AUTH.FORBIDDEN', { field: 'onBehalfOf', message: '代办人员须指定被代办的申请人（onBehalfOf）或现场身份核验', messageEn: 'Agents must name the applicant (onBehalfOf) or an identity check' });
  return { applicant: await applicantFromAccount(actor.id, deps), agentAccountId: null, identityCheckId: null };
}

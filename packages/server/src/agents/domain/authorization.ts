/** 帮办代办授权 rules, pure. */
import { wrongApplicantKind, type ApplicantKind } from '../../catalog/domain/applicant-kinds.ts';

export interface AuthorizationLike { status: 'active' | 'revoked'; validFrom: Date; validUntil: Date; serviceItemCodes: readonly string[] }

export const MAX_AUTHORIZATION_DAYS = 366;

export function authorizationCovers(a: AuthorizationLike, serviceItemCodes: readonly string[], now: Date): boolean {
  return a.status === 'active' && a.validFrom.getTime() <= now.getTime() && now.getTime() < a.validUntil.getTime()
    && serviceItemCodes.every((c) => a.serviceItemCodes.includes(c));
}

export function validPeriod(from: Date, until: Date): boolean {
  return from.getTime() < until.getTime() && until.getTime() - from.getTime() <= MAX_AUTHORIZATION_DAYS * 86_400_000;
}

/** The kind of applicant an account applies (and authorises) as: an enterprise account as 法人, any other as 自然人 — as filing takes it. */
export function principalKindOf(accountKind: string): ApplicantKind {
  return accountKind === 'enterprise' ? 'enterprise' : 'person';
}

export interface ScopeViolation { index: number; serviceItemCode: string; applicantKinds: readonly ApplicantKind[]; message: string; messageEn: string }

/**
 * 服务对象 of an authorization's scope: the items (in the order given) that a principal of `kind`
 * may not apply for — and so may not have an agent apply for either — each with its position and
 * why, e.g. “结婚登记”的服务对象为自然人,企业不能申请,也不能委托他人代办. Empty when all may be.
 */
export function scopeNotForPrincipal(items: readonly { code: string; name: string; applicantKinds: readonly ApplicantKind[] }[], kind: ApplicantKind): ScopeViolation[] {
  const out: ScopeViolation[] = [];
  for (const [index, item] of items.entries()) {
    const wrong = wrongApplicantKind(item, kind);
    if (wrong) {
      out.push({
        index, serviceItemCode: item.code, applicantKinds: item.applicantKinds,
        message: `${wrong.message}，也不能委托他人代办`, messageEn: `${wrong.messageEn}, nor have an agent apply for it`,
      });
    }
  }
  return out;
}

/** 帮办代办授权 rules, pure. */
export interface AuthorizationLike { status: 'active' | 'revoked'; validFrom: Date; validUntil: Date; serviceItemCodes: readonly string[] }

export const MAX_AUTHORIZATION_DAYS = 366;

export function authorizationCovers(a: AuthorizationLike, serviceItemCodes: readonly string[], now: Date): boolean {
  return a.status === 'active' && a.validFrom.getTime() <= now.getTime() && now.getTime() < a.validUntil.getTime()
    && serviceItemCodes.every((c) => a.serviceItemCodes.includes(c));
}

export function validPeriod(from: Date, until: Date): boolean {
  return from.getTime() < until.getTime() && until.getTime() - from.getTime() <= MAX_AUTHORIZATION_DAYS * 86_400_000;
}

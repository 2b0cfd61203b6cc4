/**
 * 用证授权 — the holder's consent that a named department may use a named license for a named
 * purpose (a service item, or one application) until a time. Pure rules.
 */
export type GrantState = 'live' | 'revoked' | 'expired';

export interface GrantFacts {
  departmentId: string;
  serviceItemCode: string | null;
  applicationRef: string | null;
  validUntil: Date;
  revokedAt: Date | null;
}

export interface UsePurpose { departmentId: string; serviceItemCode?: string | null; applicationRef?: string | null }

export const MAX_GRANT_DAYS = 366;

export function grantState(g: Pick<GrantFacts, 'validUntil' | 'revokedAt'>, now: Date): GrantState {
  if (g.revokedAt !== null) return 'revoked';
  if (g.validUntil.getTime() <= now.getTime()) return 'expired';
  return 'live';
}

/**
 * A grant covers a use when it names the same department and the same purpose: the same
 * service item, or the same application. A grant for a service item covers every application
 * of that item; a grant for one application covers only that application.
 */
export function grantCovers(g: GrantFacts, use: UsePurpose): boolean {
  if (g.departmentId !== use.departmentId) return false;
  if (g.serviceItemCode !== null && use.serviceItemCode && g.serviceItemCode === use.serviceItemCode) return true;
  if (g.applicationRef !== null && use.applicationRef && g.applicationRef === use.applicationRef) return true;
  return false;
}

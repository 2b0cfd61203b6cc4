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

/** What choosing among a holder's licenses of one type needs to know of each. */
export interface GrantCandidate {
  status: 'valid' | 'suspended' | 'revoked';
  /** YYYY-MM-DD, China time */
  validFrom: string;
  validUntil: string | null;
  /** a live grant of the holder covers the use asked for */
  granted: boolean;
}

/** Whether a license can be used on `today` (YYYY-MM-DD, China time): valid status, within its validity period. */
export function licenseUsable(l: Pick<GrantCandidate, 'status' | 'validFrom' | 'validUntil'>, today: string): boolean {
  return l.status === 'valid' && l.validFrom <= today && (l.validUntil === null || today <= l.validUntil);
}

/**
 * The license a department reads when it names the holder and the type rather than the license
 * (the application engine resolving a material), among the holder's licenses of that type,
 * `candidates` newest first. A grant names one license, so the one read is a license the holder
 * granted for this use: the newest usable granted one. Without a usable granted one, the answer
 * is about the newest usable one (it has no live grant: no_grant, grant_revoked or grant_expired —
 * the holder is asked to grant a license that can be used, never read without it); with no usable
 * license at all, about the newest granted one (license_revoked, license_expired …), else the
 * newest. Never an ungranted license in place of a granted one, never two.
 */
export function pickGrantedLicense<T extends GrantCandidate>(candidates: readonly T[], today: string): T | undefined {
  return candidates.find((c) => c.granted && licenseUsable(c, today))
    ?? candidates.find((c) => licenseUsable(c, today))
    ?? candidates.find((c) => c.granted)
    ?? candidates[0];
}

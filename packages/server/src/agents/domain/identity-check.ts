/**
 * Identity check of a walk-in applicant before a helper files for them. A port: the
 * clerk's document check now (the ID card in hand, number check digit valid); face
 * verification against the national identity service later.
 */
export interface IdentityCheckInput {
  name: string;
  kind: 'person' | 'enterprise';
  code: string;
  /** The clerk attests the original document was inspected and matches the person at the window. */
  documentInspected: boolean;
}

export interface IdentityCheckResult {
  verified: boolean;
  checks: { name: string; passed: boolean }[];
  errors: string[];
}

export interface IdentityVerifier {
  readonly method: 'document' | 'face';
  verify(input: IdentityCheckInput): Promise<IdentityCheckResult>;
}

/** How long an identity check may be relied on for filing and in-person signing (minutes). */
export const IDENTITY_CHECK_VALID_MINUTES = 120;

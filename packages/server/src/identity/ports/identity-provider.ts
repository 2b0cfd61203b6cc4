/**
 * Seam for the province's unified login (an external OpenID Connect provider) — not
 * built yet. An adapter implementing this port would:
 *  1. send the browser to `authorizationUrl(state, nonce)`;
 *  2. on the callback, `exchangeCode(code, nonce)` → verified claims (ID token checked
 *     against the provider's keys, `nonce` and audience);
 *  3. find the account by `accounts.external_subject = claims.subject` (or link it by the
 *     keyed hash of the verified identity number, `accounts.id_number_hash`), then create a
 *     session exactly as `login` does (sessions table, cookie + bearer token, audit entry).
 * Everything after step 3 — roles, scoping, sessions, audit — is unchanged.
 */
export interface ExternalIdentity {
  subject: string;
  displayName: string;
  /** GB 11643 identity number when the provider asserts it (real-name verified). */
  idNumber?: string;
  /** GB 32100 code for a legal-person login. */
  uscc?: string;
  /** Authentication strength the provider reports (e.g. password, face, CA certificate). */
  assurance: string;
}

export interface IdentityProvider {
  readonly id: string;
  authorizationUrl(state: string, nonce: string): string;
  exchangeCode(code: string, nonce: string): Promise<ExternalIdentity>;
}

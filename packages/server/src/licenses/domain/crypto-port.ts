import type { SuiteId } from '@mianzheng/crypto';

/**
 * What license verification needs from cryptography, injected so the domain stays free of a
 * crypto library: the SM3 digest of a disclosure and a signature check. The adapter
 * (adapters/license-crypto.ts) implements it with @mianzheng/crypto.
 */
export interface LicenseCrypto {
  /** base64url(SM3(UTF-8 text)) — the digest of a selective disclosure. */
  digest(text: string): string;
  /** Never throws: false for a bad key, signature or suite. */
  verify(suite: SuiteId, publicKeyHex: string, message: Uint8Array, signature: Uint8Array): boolean;
}

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** Strict base64url (no padding, no other characters); undefined when not. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Reject non-canonical encodings (trailing bits set), so one byte string has one text.
  if (bytes.toString('base64url') !== text) return undefined;
  return new Uint8Array(bytes);
}

import { bytesToHex, hmacSm3, sm4Open, sm4Seal } from '@mianzheng/crypto';

/**
 * Personal identifiers at rest: sealed with SM4 (authenticated) under a key derived
 * from the master key, plus a keyed HMAC-SM3 for lookup without decryption, plus a
 * mask for display. The clear value is never stored.
 */
export interface ProtectedIdentifier { enc: string; hash: string; mask: string }

export class PiiProtector {
  readonly #encKey: Uint8Array;
  readonly #lookupKey: Uint8Array;

  constructor(masterKey: Uint8Array) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
    this.#encKey = hmacSm3(masterKey, 'mianzheng/pii/enc/v1');
    this.#lookupKey = hmacSm3(masterKey, 'mianzheng/pii/lookup/v1');
  }

  protect(value: string, kind: string): ProtectedIdentifier {
    const v = value.trim().toUpperCase();
    return { enc: Buffer.from(sm4Seal(this.#encKey, Buffer.from(v), Buffer.from(kind))).toString('base64'), hash: this.lookupHash(v), mask: maskIdentifier(v) };
  }

  reveal(enc: string, kind: string): string {
    return Buffer.from(sm4Open(this.#encKey, Buffer.from(enc, 'base64'), Buffer.from(kind))).toString('utf8');
  }

  lookupHash(value: string): string {
    return bytesToHex(hmacSm3(this.#lookupKey, value.trim().toUpperCase()));
  }
}

/** 11010519491231002X → 110105********002X */
export function maskIdentifier(v: string): string {
  if (v.length <= 8) return '*'.repeat(v.length);
  return v.slice(0, 6) + '*'.repeat(v.length - 10) + v.slice(-4);
}

/** An 18-character GB 11643-shaped identity number (17 digits + digit/X), wherever it stands in a text. */
const IDENTITY_NUMBER_IN_TEXT = /\d{17}[\dXx]/g;

/** Every identity-number-shaped run in a text masked like `maskIdentifier` — for log lines (request URLs). */
export function maskIdentityNumbersIn(text: string): string {
  return text.replace(IDENTITY_NUMBER_IN_TEXT, maskIdentifier);
}

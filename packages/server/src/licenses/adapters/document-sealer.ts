import { hmacSm3, sm4Open, sm4Seal } from '@mianzheng/crypto';

/**
 * The signed license document contains the holder's identity number (as a disclosure), so it
 * is stored sealed: SM4-CTR + HMAC-SM3 (sm4Seal) under a key derived from the master key, bound
 * to the license id so a sealed document cannot be moved to another row.
 */
export class DocumentSealer {
  readonly #key: Uint8Array;

  constructor(masterKey: Uint8Array) {
    this.#key = hmacSm3(masterKey, 'mianzheng/licenses/document/v1');
  }

  seal(licenseId: string, canonicalJson: string): string {
    return Buffer.from(sm4Seal(this.#key, new TextEncoder().encode(canonicalJson), new TextEncoder().encode(licenseId))).toString('base64');
  }

  open(licenseId: string, sealed: string): string {
    return new TextDecoder().decode(sm4Open(this.#key, Buffer.from(sealed, 'base64'), new TextEncoder().encode(licenseId)));
  }
}

const sealers = new WeakMap<Uint8Array, DocumentSealer>();

/** One sealer per master key (the key derivation runs once). */
export function documentSealer(masterKey: Uint8Array): DocumentSealer {
  let s = sealers.get(masterKey);
  if (!s) {
    s = new DocumentSealer(masterKey);
    sealers.set(masterKey, s);
  }
  return s;
}

export interface KeyPair {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

/** Options for SM2; Ed25519 ignores them. `id` is the SM2 distinguishing identifier (UTF-8 if a string). */
export interface SignOptions {
  id?: string | Uint8Array;
}

/**
 * One SM2 implementation (OpenSSL via the native addon, or pure TypeScript).
 * Keys: private = 32-byte big-endian d; public = 65-byte uncompressed 04||x||y.
 * Signatures: raw r||s, 64 bytes. verify never throws.
 */
export interface Sm2Implementation {
  readonly kind: 'native' | 'ts';
  getPublicKey(privateKey: Uint8Array): Uint8Array;
  sign(privateKey: Uint8Array, message: Uint8Array, opts?: SignOptions): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, opts?: SignOptions): boolean;
}

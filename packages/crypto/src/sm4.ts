/**
 * SM4 (GB/T 32907) block cipher and an authenticated "seal" for keys and secrets at rest.
 *
 * Seal scheme (Node's OpenSSL 3.0 has sm4-ecb/cbc/ctr but no sm4-gcm, so we use
 * encrypt-then-MAC from the primitives it does have):
 *   encKey = HMAC-SM3(key, "mianzheng/sm4-seal/v1/enc")[0..16]
 *   macKey = HMAC-SM3(key, "mianzheng/sm4-seal/v1/mac")
 *   iv     = 16 random bytes (the initial SM4-CTR counter block)
 *   ct     = SM4-CTR(encKey, iv, plaintext)
 *   tag    = HMAC-SM3(macKey, version || iv || u64be(len(aad)) || aad || ct)
 *   sealed = version(0x01) || iv || ct || tag(32)
 * Opening recomputes the tag and compares it in constant time before decrypting.
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { concatBytes, plainBytes } from './bytes.js';
import { CryptoError } from './errors.js';
import { hmacSm3, SM3_BYTES } from './sm3.js';

export const SM4_KEY_BYTES = 16;
export const SM4_BLOCK_BYTES = 16;
/** Length of the master key taken by sm4Seal / sm4Open. */
export const SM4_SEAL_KEY_BYTES = 32;

const SEAL_VERSION = 0x01;
const IV_BYTES = 16;
const OVERHEAD = 1 + IV_BYTES + SM3_BYTES;

function checkLength(value: Uint8Array, length: number, what: string): void {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new CryptoError('CRYPTO.INVALID_ARGUMENT', `${what} must be ${length} bytes`);
  }
}

function sm4Block(mode: 'encrypt' | 'decrypt', key: Uint8Array, block: Uint8Array): Uint8Array {
  checkLength(key, SM4_KEY_BYTES, 'SM4 key');
  checkLength(block, SM4_BLOCK_BYTES, 'SM4 block');
  const cipher =
    mode === 'encrypt' ? createCipheriv('sm4-ecb', key, null) : createDecipheriv('sm4-ecb', key, null);
  cipher.setAutoPadding(false);
  return plainBytes(Buffer.concat([cipher.update(block), cipher.final()]));
}

/** Encrypts one 16-byte block (SM4-ECB, no padding). For test vectors and building blocks only. */
export function sm4EncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  return sm4Block('encrypt', key, block);
}

export function sm4DecryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  return sm4Block('decrypt', key, block);
}

export function generateSm4SealKey(): Uint8Array {
  return plainBytes(randomBytes(SM4_SEAL_KEY_BYTES));
}

function subKeys(key: Uint8Array): { encKey: Uint8Array; macKey: Uint8Array } {
  checkLength(key, SM4_SEAL_KEY_BYTES, 'seal key');
  return {
    encKey: hmacSm3(key, 'mianzheng/sm4-seal/v1/enc').subarray(0, SM4_KEY_BYTES),
    macKey: hmacSm3(key, 'mianzheng/sm4-seal/v1/mac'),
  };
}

function tagOf(macKey: Uint8Array, header: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array {
  const aadLength = new Uint8Array(8);
  new DataView(aadLength.buffer).setBigUint64(0, BigInt(aad.length));
  return hmacSm3(macKey, concatBytes(header, aadLength, aad, ct));
}

/** Authenticated encryption (SM4-CTR + HMAC-SM3, encrypt-then-MAC). `aad` is bound but not stored. */
export function sm4Seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array = new Uint8Array(0)): Uint8Array {
  const { encKey, macKey } = subKeys(key);
  const iv = plainBytes(randomBytes(IV_BYTES));
  const cipher = createCipheriv('sm4-ctr', encKey, iv);
  const ct = plainBytes(Buffer.concat([cipher.update(plaintext), cipher.final()]));
  const header = concatBytes(Uint8Array.of(SEAL_VERSION), iv);
  return concatBytes(header, ct, tagOf(macKey, header, aad, ct));
}

/** Reverses sm4Seal; throws CRYPTO.DECRYPT_FAILED on a wrong key, wrong aad or any tampering. */
export function sm4Open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array = new Uint8Array(0)): Uint8Array {
  const { encKey, macKey } = subKeys(key);
  if (!(sealed instanceof Uint8Array) || sealed.length < OVERHEAD || sealed[0] !== SEAL_VERSION) {
    throw new CryptoError('CRYPTO.DECRYPT_FAILED', 'not a sealed value of a known version');
  }
  const header = sealed.subarray(0, 1 + IV_BYTES);
  const ct = sealed.subarray(1 + IV_BYTES, sealed.length - SM3_BYTES);
  const tag = sealed.subarray(sealed.length - SM3_BYTES);
  if (!timingSafeEqual(tag, tagOf(macKey, header, aad, ct))) {
    throw new CryptoError('CRYPTO.DECRYPT_FAILED', 'authentication tag mismatch');
  }
  const decipher = createDecipheriv('sm4-ctr', encKey, header.subarray(1));
  return plainBytes(Buffer.concat([decipher.update(ct), decipher.final()]));
}

/**
 * SM2 digital signatures (GB/T 32918.2) in pure TypeScript on @noble/curves, plus the
 * helpers both implementations share: curve parameters, Z/e, key and signature encodings.
 *
 *   Z = SM3(ENTL || ID || a || b || Gx || Gy || Px || Py)     e = SM3(Z || M)
 *   sign:   (x1, y1) = kG; r = (e + x1) mod n; s = (1 + d)^-1 (k - r d) mod n
 *   verify: t = (r + s) mod n; (x1, y1) = sG + tP; accept iff (e + x1) mod n == r
 *
 * The TS path is not hardened against timing side channels beyond what noble offers
 * (constant-time base-point multiplication); BigInt scalar arithmetic is variable-time.
 */
import { randomBytes } from 'node:crypto';
import { invert } from '@noble/curves/abstract/modular.js';
import { DER, weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { bigIntToBytes, bytesToBigInt, bytesToHex, hexToBytes, plainBytes, toBytes } from './bytes.js';
import { CryptoError } from './errors.js';
import { BoundedCache, secretCacheKey } from './key-cache.js';
import { sm3Concat } from './sm3.js';
import type { KeyPair, SignOptions, Sm2Implementation } from './types.js';

export const SM2_DEFAULT_ID = '1234567812345678';
export const SM2_PRIVATE_KEY_BYTES = 32;
export const SM2_PUBLIC_KEY_BYTES = 65;
export const SM2_SIGNATURE_BYTES = 64;
/** ENTL is a 16-bit bit length, so an ID holds at most 8191 bytes. */
export const SM2_MAX_ID_BYTES = 8191;

/** The recommended SM2 curve (GB/T 32918.5). */
export const SM2_CURVE = Object.freeze({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
});

const Point = weierstrass(SM2_CURVE);
type Sm2Point = InstanceType<typeof Point>;
const { n } = SM2_CURVE;
const mod = (x: bigint): bigint => ((x % n) + n) % n;

const CURVE_BYTES = [SM2_CURVE.a, SM2_CURVE.b, SM2_CURVE.Gx, SM2_CURVE.Gy].map((v) => bigIntToBytes(v, 32));

export function sm2IdBytes(id: SignOptions['id'] = SM2_DEFAULT_ID): Uint8Array {
  const bytes = typeof id === 'string' || id instanceof Uint8Array ? toBytes(id) : undefined;
  if (bytes === undefined) throw new CryptoError('CRYPTO.INVALID_ARGUMENT', 'SM2 id must be a string or Uint8Array');
  if (bytes.length > SM2_MAX_ID_BYTES) {
    throw new CryptoError('CRYPTO.INVALID_ARGUMENT', `SM2 id longer than ${SM2_MAX_ID_BYTES} bytes`);
  }
  return bytes;
}

/**
 * Parses and validates a public key point. Signing APIs take only the 65-byte uncompressed
 * form (like the native path); the hex/compression helpers also accept 33-byte compressed.
 */
function parsePublicKey(publicKey: Uint8Array, allowCompressed = false): Sm2Point {
  const okLength = publicKey instanceof Uint8Array && (publicKey.length === 65 || (allowCompressed && publicKey.length === 33));
  if (!okLength || (publicKey.length === 65 && publicKey[0] !== 0x04)) {
    throw new CryptoError('CRYPTO.INVALID_KEY', 'SM2 public key must be 65 bytes 04||x||y');
  }
  try {
    return Point.fromBytes(publicKey);
  } catch (cause) {
    throw new CryptoError('CRYPTO.INVALID_KEY', 'SM2 public key is not a point on the curve', { cause });
  }
}

/** d must be 32 bytes with 1 <= d <= n - 2 (so that 1 + d is invertible). */
function parsePrivateKey(privateKey: Uint8Array): bigint {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== SM2_PRIVATE_KEY_BYTES) {
    throw new CryptoError('CRYPTO.INVALID_KEY', 'SM2 private key must be 32 bytes');
  }
  const d = bytesToBigInt(privateKey);
  if (d < 1n || d > n - 2n) throw new CryptoError('CRYPTO.INVALID_KEY', 'SM2 private key out of range');
  return d;
}

/** Uniform scalar in [1, max] by rejection sampling (n is close to 2^256, so rejection is rare). */
function randomScalar(max: bigint): bigint {
  for (;;) {
    const k = bytesToBigInt(randomBytes(32));
    if (k >= 1n && k <= max) return k;
  }
}

/** True for a 65-byte uncompressed point on the curve (the form every signing API takes). */
export function sm2IsValidPublicKey(publicKey: Uint8Array): boolean {
  try {
    parsePublicKey(publicKey);
    return true;
  } catch {
    return false;
  }
}

/** 04||x||y, lowercase hex (130 characters). */
export function sm2PublicKeyToHex(publicKey: Uint8Array): string {
  return bytesToHex(parsePublicKey(publicKey, true).toBytes(false));
}

/** Accepts uncompressed (130 hex) or compressed (66 hex) form, returns the 65-byte uncompressed key. */
export function sm2PublicKeyFromHex(hex: string): Uint8Array {
  return plainBytes(parsePublicKey(hexToBytes(hex), true).toBytes(false));
}

export function sm2CompressPublicKey(publicKey: Uint8Array): Uint8Array {
  return plainBytes(parsePublicKey(publicKey, true).toBytes(true));
}

export function sm2GeneratePrivateKey(): Uint8Array {
  return bigIntToBytes(randomScalar(n - 2n), SM2_PRIVATE_KEY_BYTES);
}

export function sm2GenerateKeyPair(impl: Pick<Sm2Implementation, 'getPublicKey'> = sm2Ts): KeyPair {
  const privateKey = sm2GeneratePrivateKey();
  return { privateKey, publicKey: impl.getPublicKey(privateKey) };
}

function zOf(publicKey: Uint8Array, id: SignOptions['id']): Uint8Array {
  const idBytes = sm2IdBytes(id);
  const entl = Uint8Array.of((idBytes.length * 8) >> 8, (idBytes.length * 8) & 0xff);
  return sm3Concat([entl, idBytes, ...CURVE_BYTES, publicKey.subarray(1, 65)]);
}

function checkMessage(message: Uint8Array): void {
  if (!(message instanceof Uint8Array)) throw new CryptoError('CRYPTO.INVALID_ARGUMENT', 'message must be a Uint8Array');
}

/** Z = SM3(ENTL || ID || a || b || Gx || Gy || Px || Py). */
export function sm2Z(publicKey: Uint8Array, id?: SignOptions['id']): Uint8Array {
  parsePublicKey(publicKey);
  return zOf(publicKey, id);
}

/** e = SM3(Z || M), the value that is signed. */
export function sm2Digest(publicKey: Uint8Array, message: Uint8Array, id?: SignOptions['id']): Uint8Array {
  checkMessage(message);
  return sm3Concat([sm2Z(publicKey, id), message]);
}

/**
 * Signs a precomputed digest e. `fixedK` exists only so tests can reproduce the
 * GB/T 32918 example; production callers must leave it undefined (random k).
 * @internal
 */
export function sm2SignDigest(privateKey: Uint8Array, e: Uint8Array, fixedK?: bigint): Uint8Array {
  const d = parsePrivateKey(privateKey);
  const eInt = bytesToBigInt(e);
  const dInv = invert(1n + d, n);
  for (;;) {
    const k = fixedK ?? randomScalar(n - 1n);
    if (k < 1n || k >= n) throw new CryptoError('CRYPTO.INVALID_ARGUMENT', 'k out of range');
    const r = mod(eInt + Point.BASE.multiply(k).x);
    const s = r === 0n || r + k === n ? 0n : mod(dInv * (k - r * d));
    if (s !== 0n) return concatSignature(r, s);
    if (fixedK !== undefined) throw new CryptoError('CRYPTO.SIGN_FAILED', 'fixed k gives r = 0 or s = 0');
  }
}

function concatSignature(r: bigint, s: bigint): Uint8Array {
  const out = new Uint8Array(SM2_SIGNATURE_BYTES);
  out.set(bigIntToBytes(r, 32), 0);
  out.set(bigIntToBytes(s, 32), 32);
  return out;
}

/** Raw r||s (64 bytes) -> DER SEQUENCE { INTEGER r, INTEGER s } (GB/T 35276 / GM/T 0009 form). */
export function sm2SignatureToDer(signature: Uint8Array): Uint8Array {
  if (!(signature instanceof Uint8Array) || signature.length !== SM2_SIGNATURE_BYTES) {
    throw new CryptoError('CRYPTO.INVALID_ARGUMENT', 'SM2 raw signature must be 64 bytes');
  }
  const r = bytesToBigInt(signature.subarray(0, 32));
  const s = bytesToBigInt(signature.subarray(32));
  return hexToBytes(DER.hexFromSig({ r, s }));
}

/** Strict DER -> raw r||s; throws CRYPTO.INVALID_ARGUMENT on malformed input or r, s outside [1, n-1]. */
export function sm2SignatureFromDer(der: Uint8Array): Uint8Array {
  let sig: { r: bigint; s: bigint };
  try {
    sig = DER.toSig(der);
  } catch (cause) {
    throw new CryptoError('CRYPTO.INVALID_ARGUMENT', 'malformed DER SM2 signature', { cause });
  }
  if (sig.r < 1n || sig.r >= n || sig.s < 1n || sig.s >= n) {
    throw new CryptoError('CRYPTO.INVALID_ARGUMENT', 'SM2 signature component out of range');
  }
  return concatSignature(sig.r, sig.s);
}

function verifyDigest(P: Sm2Point, e: Uint8Array, signature: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== SM2_SIGNATURE_BYTES) return false;
  const r = bytesToBigInt(signature.subarray(0, 32));
  const s = bytesToBigInt(signature.subarray(32));
  if (r < 1n || r >= n || s < 1n || s >= n) return false;
  const t = mod(r + s);
  if (t === 0n) return false;
  const X = Point.BASE.mulAddUnsafe(s, P, t);
  if (X.is0()) return false;
  return mod(bytesToBigInt(e) + X.x) === r;
}

// Public keys derived from private keys, so signing costs one base-point multiplication, not two.
const derivedPublicKeys = new BoundedCache<Uint8Array>(256);

/** Pure TypeScript SM2 (noble curves + node SM3). Always available. */
export const sm2Ts: Sm2Implementation = {
  kind: 'ts',
  getPublicKey(privateKey) {
    return plainBytes(Point.BASE.multiply(parsePrivateKey(privateKey)).toBytes(false));
  },
  sign(privateKey, message, opts) {
    checkMessage(message);
    parsePrivateKey(privateKey);
    const publicKey = derivedPublicKeys.getOrCreate(secretCacheKey(privateKey), () => sm2Ts.getPublicKey(privateKey));
    return sm2SignDigest(privateKey, sm3Concat([zOf(publicKey, opts?.id), message]));
  },
  verify(publicKey, message, signature, opts) {
    try {
      if (!(message instanceof Uint8Array)) return false;
      const P = parsePublicKey(publicKey);
      return verifyDigest(P, sm3Concat([zOf(publicKey, opts?.id), message]), signature);
    } catch {
      return false;
    }
  },
};

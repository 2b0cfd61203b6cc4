/**
 * Ed25519 (RFC 8032) on node:crypto. Keys: 32-byte seed / 32-byte public key; signatures 64 bytes.
 *
 * Node 20 cannot import raw Ed25519 keys, and importing PKCS#8 through OpenSSL 3's decoders
 * costs ~1 ms — 20x the signature itself — so imported KeyObjects are kept in small bounded
 * caches (key-cache.ts; seeds are never used as map keys).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { concatBytes, plainBytes } from './bytes.js';
import { CryptoError } from './errors.js';
import { BoundedCache, publicCacheKey, secretCacheKey } from './key-cache.js';
import type { KeyPair } from './types.js';

export const ED25519_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

// Fixed DER prefixes: PKCS#8 and SPKI wrappers around a raw Ed25519 key (RFC 8410).
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

const privateKeys = new BoundedCache<KeyObject>(256);
const publicKeys = new BoundedCache<KeyObject>(256);

function privateKeyObject(privateKey: Uint8Array): KeyObject {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== ED25519_KEY_BYTES) {
    throw new CryptoError('CRYPTO.INVALID_KEY', 'Ed25519 private key must be a 32-byte seed');
  }
  return privateKeys.getOrCreate(secretCacheKey(privateKey), () =>
    createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_PREFIX, privateKey)), format: 'der', type: 'pkcs8' }),
  );
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return publicKeys.getOrCreate(publicCacheKey(publicKey), () =>
    createPublicKey({ key: Buffer.from(concatBytes(SPKI_PREFIX, publicKey)), format: 'der', type: 'spki' }),
  );
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const spki = key.export({ format: 'der', type: 'spki' });
  return plainBytes(spki.subarray(SPKI_PREFIX.length));
}

export function ed25519GenerateKeyPair(): KeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const seed = plainBytes(pkcs8.subarray(PKCS8_PREFIX.length));
  return { privateKey: seed, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

export function ed25519GetPublicKey(privateKey: Uint8Array): Uint8Array {
  return rawPublicKey(createPublicKey(privateKeyObject(privateKey)));
}

export function ed25519Sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  if (!(message instanceof Uint8Array)) {
    throw new CryptoError('CRYPTO.INVALID_ARGUMENT', 'message must be a Uint8Array');
  }
  return plainBytes(sign(null, message, privateKeyObject(privateKey)));
}

/** Never throws: malformed keys or signatures give false. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (
      !(publicKey instanceof Uint8Array) ||
      publicKey.length !== ED25519_KEY_BYTES ||
      !(message instanceof Uint8Array) ||
      !(signature instanceof Uint8Array) ||
      signature.length !== ED25519_SIGNATURE_BYTES
    ) {
      return false;
    }
    return verify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}

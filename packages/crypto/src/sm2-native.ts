/**
 * SM2 over the OpenSSL inside the running Node binary, through the small N-API addon in
 * ../native (built by scripts/build-native.mjs). Loading is lazy and never throws: if the
 * addon is missing, fails to link, or fails the GB/T 32918 example, the status says why
 * and callers fall back to the pure TypeScript implementation.
 */
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { hexToBytes } from './bytes.js';
import { CryptoError } from './errors.js';
import { BoundedCache, secretCacheKey } from './key-cache.js';
import { SM2_PRIVATE_KEY_BYTES, SM2_PUBLIC_KEY_BYTES, SM2_SIGNATURE_BYTES, sm2IdBytes } from './sm2.js';
import type { Sm2Implementation } from './types.js';

interface Sm2Addon {
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, id: Uint8Array): boolean;
  /** publicKey, when given, must be the key of privateKey (it skips one scalar multiplication). */
  sign(privateKey: Uint8Array, message: Uint8Array, id: Uint8Array, publicKey?: Uint8Array): Uint8Array;
  publicKey(privateKey: Uint8Array): Uint8Array;
  opensslVersion: string;
}

export type NativeSm2Status =
  | { available: true; path: string; opensslVersion: string }
  | { available: false; path: string; reason: string };

export const NATIVE_ADDON_PATH = fileURLToPath(new URL('../native/build/Release/mz_sm2.node', import.meta.url));

// GB/T 32918.5 example (see DOMAIN.md): the addon must accept it, and reject it under another ID.
const SELF_TEST = {
  publicKey: '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  signature: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
  message: 'message digest',
};

function loadAddon(path: string): Sm2Addon {
  const module = { exports: {} as Sm2Addon };
  // RTLD_NOW: resolve every OpenSSL symbol at load time, so a missing export fails here
  // (and we fall back) instead of aborting the process on first call.
  process.dlopen(module, path, constants.dlopen.RTLD_NOW);
  const addon = module.exports;
  const pub = hexToBytes(SELF_TEST.publicKey);
  const sig = hexToBytes(SELF_TEST.signature);
  const msg = new TextEncoder().encode(SELF_TEST.message);
  if (!addon.verify(pub, msg, sig, sm2IdBytes()) || addon.verify(pub, msg, sig, sm2IdBytes('x'))) {
    throw new Error('addon failed the GB/T 32918 self-test');
  }
  return addon;
}

let state: { addon: Sm2Addon | undefined; status: NativeSm2Status } | undefined;

function load(): { addon: Sm2Addon | undefined; status: NativeSm2Status } {
  if (state === undefined) {
    try {
      const addon = loadAddon(NATIVE_ADDON_PATH);
      state = { addon, status: { available: true, path: NATIVE_ADDON_PATH, opensslVersion: addon.opensslVersion } };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      state = { addon: undefined, status: { available: false, path: NATIVE_ADDON_PATH, reason } };
    }
  }
  return state;
}

/** Whether the native addon is usable, and why not. Loads it on first call. */
export function nativeSm2Status(): NativeSm2Status {
  return load().status;
}

function checkPrivateKey(privateKey: Uint8Array): void {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== SM2_PRIVATE_KEY_BYTES) {
    throw new CryptoError('CRYPTO.INVALID_KEY', 'SM2 private key must be 32 bytes');
  }
}

function wrap(addon: Sm2Addon): Sm2Implementation {
  // Public keys derived from private keys, so signing skips that multiplication (key-cache.ts).
  const derived = new BoundedCache<Uint8Array>(256);
  const getPublicKey = (privateKey: Uint8Array): Uint8Array => {
    checkPrivateKey(privateKey);
    try {
      return addon.publicKey(privateKey);
    } catch (cause) {
      throw new CryptoError('CRYPTO.INVALID_KEY', 'SM2 private key out of range', { cause });
    }
  };
  return {
    kind: 'native',
    getPublicKey,
    sign(privateKey, message, opts) {
      checkPrivateKey(privateKey);
      if (!(message instanceof Uint8Array)) {
        throw new CryptoError('CRYPTO.INVALID_ARGUMENT', 'message must be a Uint8Array');
      }
      const id = sm2IdBytes(opts?.id);
      const publicKey = derived.getOrCreate(secretCacheKey(privateKey), () => getPublicKey(privateKey));
      try {
        return addon.sign(privateKey, message, id, publicKey);
      } catch (cause) {
        throw new CryptoError('CRYPTO.SIGN_FAILED', 'SM2 signing failed in OpenSSL', { cause });
      }
    },
    verify(publicKey, message, signature, opts) {
      try {
        if (
          !(publicKey instanceof Uint8Array) ||
          publicKey.length !== SM2_PUBLIC_KEY_BYTES ||
          publicKey[0] !== 0x04 ||
          !(message instanceof Uint8Array) ||
          !(signature instanceof Uint8Array) ||
          signature.length !== SM2_SIGNATURE_BYTES
        ) {
          return false;
        }
        return addon.verify(publicKey, message, signature, sm2IdBytes(opts?.id));
      } catch {
        return false;
      }
    },
  };
}

let native: Sm2Implementation | undefined;

/** The OpenSSL-backed implementation, or undefined when the addon is not usable. */
export function findNativeSm2(): Sm2Implementation | undefined {
  const { addon } = load();
  if (addon === undefined) return undefined;
  native ??= wrap(addon);
  return native;
}

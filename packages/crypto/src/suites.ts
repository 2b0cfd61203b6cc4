/** Signature-suite port: one interface, one contract test suite, two adapters (SM2-SM3, Ed25519). */
import { ed25519GenerateKeyPair, ed25519Sign, ed25519Verify } from './ed25519.js';
import { CryptoError } from './errors.js';
import { sm2GenerateKeyPair } from './sm2.js';
import { getSm2Implementation, type Sm2Preference } from './sm2-select.js';
import type { KeyPair, SignOptions, Sm2Implementation } from './types.js';

export type SuiteId = 'SM2-SM3' | 'Ed25519';
export const SUITE_IDS: readonly SuiteId[] = ['SM2-SM3', 'Ed25519'];

/**
 * SM2-SM3: private key 32 bytes, public key 65 bytes (04||x||y), signature raw r||s (64 bytes),
 * opts.id = distinguishing ID (default "1234567812345678").
 * Ed25519: private key 32-byte seed, public key 32 bytes, signature 64 bytes; opts ignored.
 * sign throws CryptoError on bad keys; verify never throws, it returns false.
 */
export interface SignatureSuite {
  readonly id: SuiteId;
  generateKeyPair(): KeyPair;
  sign(privateKey: Uint8Array, message: Uint8Array, opts?: SignOptions): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, opts?: SignOptions): boolean;
}

export function createSm2Suite(impl: Sm2Implementation): SignatureSuite {
  return {
    id: 'SM2-SM3',
    generateKeyPair: () => sm2GenerateKeyPair(impl),
    sign: (privateKey, message, opts) => impl.sign(privateKey, message, opts),
    verify: (publicKey, message, signature, opts) => impl.verify(publicKey, message, signature, opts),
  };
}

export const ed25519Suite: SignatureSuite = {
  id: 'Ed25519',
  generateKeyPair: ed25519GenerateKeyPair,
  sign: (privateKey, message) => ed25519Sign(privateKey, message),
  verify: (publicKey, message, signature) => ed25519Verify(publicKey, message, signature),
};

export interface SuiteOptions {
  /** SM2 implementation choice; default 'auto' (native addon when built, else TypeScript). */
  sm2?: Sm2Preference;
}

const sm2Suites = new Map<Sm2Implementation, SignatureSuite>();

export function findSuite(id: string, opts: SuiteOptions = {}): SignatureSuite | undefined {
  if (id === 'Ed25519') return ed25519Suite;
  if (id !== 'SM2-SM3') return undefined;
  const impl = getSm2Implementation(opts.sm2);
  let suite = sm2Suites.get(impl);
  if (suite === undefined) {
    suite = createSm2Suite(impl);
    sm2Suites.set(impl, suite);
  }
  return suite;
}

/** Throws CRYPTO.SUITE_NOT_FOUND for an unknown id. */
export function getSuite(id: SuiteId, opts: SuiteOptions = {}): SignatureSuite {
  const suite = findSuite(id, opts);
  if (suite === undefined) throw new CryptoError('CRYPTO.SUITE_NOT_FOUND', `unknown signature suite: ${String(id)}`);
  return suite;
}

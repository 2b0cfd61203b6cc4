// One contract, run against every SignatureSuite adapter (Veramo-style shared suite).
import { describe, expect, it } from 'vitest';
import { ed25519Suite, createSm2Suite, findSuite, getSuite, SUITE_IDS, type SignatureSuite } from '../src/suites.js';
import { sm2Ts } from '../src/sm2.js';
import { nativeSm2, utf8 } from './helpers.js';

const adapters: Array<[string, SignatureSuite]> = [
  ['Ed25519 (node:crypto)', ed25519Suite],
  ['SM2-SM3 (TypeScript)', createSm2Suite(sm2Ts)],
  ...(nativeSm2 ? [['SM2-SM3 (native OpenSSL)', createSm2Suite(nativeSm2)] as [string, SignatureSuite]] : []),
  ['getSuite("SM2-SM3") default', getSuite('SM2-SM3')],
  ['getSuite("Ed25519")', getSuite('Ed25519')],
];

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index]! ^= 0x01;
  return copy;
}

describe.each(adapters)('SignatureSuite contract: %s', (_name, suite) => {
  const message = utf8('{"license":"1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"}');

  it('has a known id', () => {
    expect(SUITE_IDS).toContain(suite.id);
  });

  it('generates distinct key pairs of the documented sizes', () => {
    const a = suite.generateKeyPair();
    const b = suite.generateKeyPair();
    expect(a.privateKey).toHaveLength(32);
    expect(a.publicKey).toHaveLength(suite.id === 'SM2-SM3' ? 65 : 32);
    expect(a.privateKey).not.toEqual(b.privateKey);
  });

  it('round-trips: a signature verifies under its public key', () => {
    const { privateKey, publicKey } = suite.generateKeyPair();
    const signature = suite.sign(privateKey, message);
    expect(signature).toHaveLength(64);
    expect(suite.verify(publicKey, message, signature)).toBe(true);
  });

  it('round-trips an empty message', () => {
    const { privateKey, publicKey } = suite.generateKeyPair();
    expect(suite.verify(publicKey, new Uint8Array(0), suite.sign(privateKey, new Uint8Array(0)))).toBe(true);
  });

  it('fails on a tampered message (every byte position tried)', () => {
    const { privateKey, publicKey } = suite.generateKeyPair();
    const signature = suite.sign(privateKey, message);
    for (let i = 0; i < message.length; i += 7) {
      expect(suite.verify(publicKey, flip(message, i), signature)).toBe(false);
    }
    expect(suite.verify(publicKey, message.subarray(1), signature)).toBe(false);
  });

  it('fails on a tampered signature (every byte position)', () => {
    const { privateKey, publicKey } = suite.generateKeyPair();
    const signature = suite.sign(privateKey, message);
    for (let i = 0; i < signature.length; i++) {
      expect(suite.verify(publicKey, message, flip(signature, i))).toBe(false);
    }
  });

  it('fails under the wrong public key', () => {
    const signer = suite.generateKeyPair();
    const other = suite.generateKeyPair();
    expect(suite.verify(other.publicKey, message, suite.sign(signer.privateKey, message))).toBe(false);
  });

  it('never throws from verify on malformed input', () => {
    const { privateKey, publicKey } = suite.generateKeyPair();
    const signature = suite.sign(privateKey, message);
    const verify = suite.verify as (...args: unknown[]) => boolean;
    const malformed: unknown[][] = [
      [new Uint8Array(0), message, signature],
      [publicKey.subarray(1), message, signature],
      [publicKey, message, new Uint8Array(0)],
      [publicKey, message, new Uint8Array(65)],
      [null, message, signature],
      [publicKey, undefined, signature],
      [publicKey, message, 'signature'],
      // Ed25519 ignores opts; SM2 must treat a non-string, non-bytes id as a failure.
      ...(suite.id === 'SM2-SM3' ? [[publicKey, message, signature, { id: Symbol('x') }]] : []),
    ];
    for (const args of malformed) {
      expect(() => verify(...args)).not.toThrow();
      expect(verify(...args)).toBe(false);
    }
  });

  it('throws a CryptoError from sign on a malformed private key', () => {
    expect(() => suite.sign(new Uint8Array(5), message)).toThrow(expect.objectContaining({ code: 'CRYPTO.INVALID_KEY' }));
  });
});

describe('SM2-SM3 suite: distinguishing ID', () => {
  it('binds the signature to opts.id', () => {
    const suite = getSuite('SM2-SM3');
    const { privateKey, publicKey } = suite.generateKeyPair();
    const signature = suite.sign(privateKey, utf8('m'), { id: 'issuer-340500' });
    expect(suite.verify(publicKey, utf8('m'), signature, { id: 'issuer-340500' })).toBe(true);
    expect(suite.verify(publicKey, utf8('m'), signature)).toBe(false);
  });
});

describe('suite lookup', () => {
  it('findSuite returns undefined for an unknown id; getSuite throws CRYPTO.SUITE_NOT_FOUND', () => {
    expect(findSuite('RSA-SHA256')).toBeUndefined();
    expect(() => getSuite('ECDSA-P256' as never)).toThrow(expect.objectContaining({ code: 'CRYPTO.SUITE_NOT_FOUND' }));
  });

  it('honours an explicit TS preference for SM2', () => {
    const suite = getSuite('SM2-SM3', { sm2: 'ts' });
    const { privateKey, publicKey } = suite.generateKeyPair();
    expect(sm2Ts.verify(publicKey, utf8('m'), suite.sign(privateKey, utf8('m')))).toBe(true);
  });
});

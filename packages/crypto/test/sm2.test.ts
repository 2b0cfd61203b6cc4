// SM2 behaviour beyond the standard example: cross-verification between our two
// implementations and with sm-crypto / sm-crypto-v2, IDs, encodings, malformed input.
import { describe, expect, it } from 'vitest';
import smCrypto from 'sm-crypto';
import { sm2 as smV2 } from 'sm-crypto-v2';
import { bytesToHex, hexToBytes } from '../src/bytes.js';
import {
  SM2_CURVE,
  sm2CompressPublicKey,
  sm2GenerateKeyPair,
  sm2IsValidPublicKey,
  sm2PublicKeyFromHex,
  sm2PublicKeyToHex,
  sm2SignatureFromDer,
  sm2SignatureToDer,
  sm2Ts,
} from '../src/sm2.js';
import { getSm2Implementation } from '../src/sm2-select.js';
import type { Sm2Implementation } from '../src/types.js';
import { nativeSm2, sm2Implementations, utf8, vectorPublicKey, vectorSignature } from './helpers.js';

const smV1 = smCrypto.sm2;
const MESSAGES = [new Uint8Array(0), utf8('abc'), utf8('电子证照 营业执照 1.2.156.3005.2'), new Uint8Array(1000).fill(7)];
const IDS = [undefined, '1234567812345678', '', 'alice@mianzheng.gov.cn', '马鞍山市数据资源局'];

interface ThirdParty {
  name: string;
  keyPair(): { privateKey: string; publicKey: string };
  sign(message: Uint8Array, privateKeyHex: string, publicKeyHex: string, userId: string): string;
  verify(message: Uint8Array, signatureHex: string, publicKeyHex: string, userId: string): boolean;
}

// Both libraries take userId as a UTF-8 string; sm-crypto-v2 only prefixes Z when hash: true.
const thirdParties: ThirdParty[] = [
  {
    name: 'sm-crypto 0.5.8',
    keyPair: () => smV1.generateKeyPairHex(),
    sign: (m, d, p, userId) => smV1.doSignature(m, d, { hash: true, publicKey: p, userId }),
    verify: (m, sig, p, userId) => smV1.doVerifySignature(m, sig, p, { hash: true, userId }),
  },
  {
    name: 'sm-crypto-v2 1.15.1',
    keyPair: () => smV2.generateKeyPairHex(),
    sign: (m, d, p, userId) => smV2.doSignature(m, d, { hash: true, publicKey: p, userId }),
    verify: (m, sig, p, userId) => smV2.doVerifySignature(m, sig, p, { hash: true, userId }),
  },
];

const cases = sm2Implementations.map((impl) => [impl.kind, impl] as const);

describe.each(cases)('SM2 %s implementation', (_kind, impl: Sm2Implementation) => {
  it('round-trips across messages and IDs (including empty and Chinese IDs)', () => {
    const { privateKey, publicKey } = sm2GenerateKeyPair(impl);
    for (const message of MESSAGES) {
      for (const id of IDS) {
        const signature = impl.sign(privateKey, message, id === undefined ? {} : { id });
        expect(signature).toHaveLength(64);
        expect(impl.verify(publicKey, message, signature, id === undefined ? {} : { id })).toBe(true);
      }
    }
  });

  it('uses a fresh random k (two signatures of one message differ)', () => {
    const { privateKey } = sm2GenerateKeyPair(impl);
    expect(impl.sign(privateKey, utf8('m'))).not.toEqual(impl.sign(privateKey, utf8('m')));
  });

  it('accepts the ID as bytes, equal to its UTF-8 string', () => {
    const { privateKey, publicKey } = sm2GenerateKeyPair(impl);
    const signature = impl.sign(privateKey, utf8('m'), { id: '数据局' });
    expect(impl.verify(publicKey, utf8('m'), signature, { id: utf8('数据局') })).toBe(true);
  });

  it('rejects an ID longer than 8191 bytes when signing, and returns false when verifying', () => {
    const { privateKey, publicKey } = sm2GenerateKeyPair(impl);
    const long = 'x'.repeat(8192);
    expect(() => impl.sign(privateKey, utf8('m'), { id: long })).toThrow(/8191/);
    expect(impl.verify(publicKey, utf8('m'), impl.sign(privateKey, utf8('m')), { id: long })).toBe(false);
  });

  it('returns false (never throws) on malformed input', () => {
    const pub = vectorPublicKey();
    const sig = vectorSignature();
    const msg = utf8('message digest');
    const notOnCurve = pub.slice();
    notOnCurve[64]! ^= 1;
    const compressed = sm2CompressPublicKey(pub);
    const hybrid = pub.slice();
    hybrid[0] = 0x06 | (pub[64]! & 1); // SEC1 hybrid form: same point, not the 04||x||y we accept
    const n = hexToBytes(SM2_CURVE.n.toString(16));
    const bad: Array<[unknown, unknown, unknown, unknown?]> = [
      [notOnCurve, msg, sig],
      [compressed, msg, sig],
      [hybrid, msg, sig],
      [pub.subarray(1), msg, sig],
      [new Uint8Array(65), msg, sig],
      [pub, msg, sig.subarray(0, 63)],
      [pub, msg, new Uint8Array(64)],
      [pub, msg, new Uint8Array([...n, ...sig.subarray(32)])], // r = n
      [pub, msg, new Uint8Array([...sig.subarray(0, 32), ...n])], // s = n
      [pub, msg, sm2SignatureToDer(sig)],
      [pub, 'message digest', sig],
      [undefined, msg, sig],
      [pub, msg, null],
      [pub, msg, sig, { id: 42 }],
      ['04' + bytesToHex(pub), msg, sig],
    ];
    for (const [p, m, s, o] of bad) {
      const verify = impl.verify as (...args: unknown[]) => boolean;
      expect(verify(p, m, s, o)).toBe(false);
    }
  });

  it('refuses private keys that are the wrong size or out of [1, n-2]', () => {
    const n = SM2_CURVE.n;
    for (const d of [0n, n - 1n, n, 2n ** 256n - 1n]) {
      const key = hexToBytes(d.toString(16).padStart(64, '0'));
      expect(() => impl.sign(key, utf8('m'))).toThrow();
      expect(() => impl.getPublicKey(key)).toThrow();
    }
    expect(() => impl.sign(new Uint8Array(31).fill(1), utf8('m'))).toThrow(/32 bytes/);
    expect(impl.getPublicKey(hexToBytes((n - 2n).toString(16)))).toHaveLength(65);
  });

  describe.each(thirdParties.map((t) => [t.name, t] as const))('interop with %s', (_name, lib) => {
    it('our signature verifies with theirs', () => {
      const { privateKey, publicKey } = sm2GenerateKeyPair(impl);
      for (const message of MESSAGES) {
        for (const id of ['1234567812345678', 'alice@mianzheng.gov.cn', '马鞍山市数据资源局']) {
          const signature = impl.sign(privateKey, message, { id });
          expect(lib.verify(message, bytesToHex(signature), bytesToHex(publicKey), id)).toBe(true);
          expect(lib.verify(message, bytesToHex(signature), bytesToHex(publicKey), id + '!')).toBe(false);
        }
      }
    });

    it('their signature verifies with ours', () => {
      const keys = lib.keyPair();
      const privateKey = hexToBytes(keys.privateKey.padStart(64, '0'));
      const publicKey = sm2PublicKeyFromHex(keys.publicKey);
      expect(impl.getPublicKey(privateKey)).toEqual(publicKey);
      for (const message of MESSAGES) {
        for (const id of ['1234567812345678', '马鞍山市数据资源局']) {
          const signature = hexToBytes(lib.sign(message, keys.privateKey, keys.publicKey, id));
          expect(impl.verify(publicKey, message, signature, { id })).toBe(true);
          expect(impl.verify(publicKey, message, signature, { id: id + '!' })).toBe(false);
        }
      }
    });
  });
});

describe.skipIf(nativeSm2 === undefined)('native and TypeScript SM2 cross-verify', () => {
  const native = nativeSm2!;

  it('native signs, TS verifies; TS signs, native verifies', () => {
    for (let i = 0; i < 20; i++) {
      const { privateKey, publicKey } = sm2GenerateKeyPair(sm2Ts);
      expect(native.getPublicKey(privateKey)).toEqual(publicKey);
      const message = utf8(`批次 ${i}`);
      const id = [undefined, '', `dept-${i}`, '池州市政务服务管理局'][i % 4];
      const opts = id === undefined ? {} : { id };
      expect(sm2Ts.verify(publicKey, message, native.sign(privateKey, message, opts), opts)).toBe(true);
      expect(native.verify(publicKey, message, sm2Ts.sign(privateKey, message, opts), opts)).toBe(true);
    }
  });

  it('agree on rejection of a tampered signature under a cached public key', () => {
    const { privateKey, publicKey } = sm2GenerateKeyPair(native);
    const signature = native.sign(privateKey, utf8('m'));
    expect(native.verify(publicKey, utf8('m'), signature)).toBe(true);
    signature[40]! ^= 0x10;
    expect(native.verify(publicKey, utf8('m'), signature)).toBe(false);
    expect(sm2Ts.verify(publicKey, utf8('m'), signature)).toBe(false);
  });
});

describe('SM2 implementation selection', () => {
  it('auto picks native when built, else TS; ts always gives TS', () => {
    expect(getSm2Implementation('ts')).toBe(sm2Ts);
    expect(getSm2Implementation().kind).toBe(nativeSm2 === undefined ? 'ts' : 'native');
  });

  it.skipIf(nativeSm2 !== undefined)('native throws CRYPTO.NATIVE_UNAVAILABLE when the addon is not built', () => {
    expect(() => getSm2Implementation('native')).toThrow(expect.objectContaining({ code: 'CRYPTO.NATIVE_UNAVAILABLE' }));
  });
});

describe('SM2 encodings', () => {
  it('round-trips raw r||s through DER', () => {
    const raw = vectorSignature();
    const der = sm2SignatureToDer(raw);
    expect(der[0]).toBe(0x30);
    expect(sm2SignatureFromDer(der)).toEqual(raw);
  });

  it('keeps leading zero bytes of short r/s in the raw form', () => {
    const raw = new Uint8Array(64);
    raw[31] = 5;
    raw[63] = 9;
    expect(bytesToHex(sm2SignatureToDer(raw))).toBe('3006020105020109');
    expect(sm2SignatureFromDer(sm2SignatureToDer(raw))).toEqual(raw);
  });

  it('reads DER signatures from sm-crypto-v2', () => {
    const keys = smV2.generateKeyPairHex();
    const der = hexToBytes(smV2.doSignature(utf8('m'), keys.privateKey, { hash: true, der: true }));
    expect(sm2Ts.verify(sm2PublicKeyFromHex(keys.publicKey), utf8('m'), sm2SignatureFromDer(der))).toBe(true);
  });

  it('rejects malformed DER', () => {
    const der = sm2SignatureToDer(vectorSignature());
    expect(() => sm2SignatureFromDer(der.subarray(0, der.length - 1))).toThrow();
    expect(() => sm2SignatureFromDer(hexToBytes('3006020100020109'))).toThrow(/out of range/);
  });

  it('encodes public keys as 04||x||y hex and reads compressed keys', () => {
    const pub = vectorPublicKey();
    const hex = sm2PublicKeyToHex(pub);
    expect(hex).toMatch(/^04[0-9a-f]{128}$/);
    expect(sm2PublicKeyFromHex(hex.toUpperCase())).toEqual(pub);
    expect(sm2PublicKeyFromHex(bytesToHex(sm2CompressPublicKey(pub)))).toEqual(pub);
    expect(sm2IsValidPublicKey(pub)).toBe(true);
    expect(sm2IsValidPublicKey(sm2CompressPublicKey(pub))).toBe(false);
    expect(() => sm2PublicKeyFromHex('04' + '00'.repeat(64))).toThrow();
  });
});

// Standard test vectors from DOMAIN.md (GB/T 32905 SM3, GB/T 32907 SM4, GB/T 32918 SM2).
import { describe, expect, it } from 'vitest';
import { sm3 as theirSm3 } from 'sm-crypto-v2';
import { bytesToHex, hexToBytes } from '../src/bytes.js';
import { hmacSm3, sm3 } from '../src/sm3.js';
import { sm4DecryptBlock, sm4EncryptBlock } from '../src/sm4.js';
import { sm2Digest, sm2SignDigest, sm2Ts, sm2Z } from '../src/sm2.js';
import {
  SM2_VECTOR,
  nativeSm2,
  nativeStatus,
  sm2Implementations,
  utf8,
  vectorPrivateKey,
  vectorPublicKey,
  vectorSignature,
} from './helpers.js';

describe('SM3 (GB/T 32905)', () => {
  it('hashes "abc"', () => {
    expect(bytesToHex(sm3('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('hashes "abcd" x 16', () => {
    expect(bytesToHex(sm3(utf8('abcd'.repeat(16))))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it('returns a plain Uint8Array', () => {
    expect(Object.getPrototypeOf(sm3('abc'))).toBe(Uint8Array.prototype);
  });
});

describe('HMAC-SM3', () => {
  it('agrees with sm-crypto-v2 for short and block-sized keys', () => {
    for (const key of [hexToBytes('0b'.repeat(20)), hexToBytes('aa'.repeat(64)), hexToBytes('01'.repeat(100))]) {
      const message = utf8('Hi There 免证');
      expect(bytesToHex(hmacSm3(key, message))).toBe(theirSm3(message, { key, mode: 'hmac' }));
    }
  });

  it('depends on the key', () => {
    expect(hmacSm3(utf8('k1'), 'm')).not.toEqual(hmacSm3(utf8('k2'), 'm'));
  });
});

describe('SM4 (GB/T 32907)', () => {
  const key = hexToBytes('0123456789abcdeffedcba9876543210');

  it('encrypts the standard block', () => {
    expect(bytesToHex(sm4EncryptBlock(key, key))).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('decrypts it back', () => {
    expect(sm4DecryptBlock(key, hexToBytes('681edf34d206965e86b3e94f536e4246'))).toEqual(key);
  });

  it('rejects wrong key and block sizes', () => {
    expect(() => sm4EncryptBlock(key.subarray(1), key)).toThrow(/16 bytes/);
    expect(() => sm4EncryptBlock(key, key.subarray(1))).toThrow(/16 bytes/);
  });
});

describe('SM2 (GB/T 32918) example, pure TypeScript', () => {
  const publicKey = vectorPublicKey();

  it('derives the public key from d', () => {
    expect(sm2Ts.getPublicKey(vectorPrivateKey())).toEqual(publicKey);
  });

  it('computes Z for ID 1234567812345678', () => {
    expect(bytesToHex(sm2Z(publicKey, SM2_VECTOR.id))).toBe(SM2_VECTOR.Z.toLowerCase());
    expect(sm2Z(publicKey)).toEqual(sm2Z(publicKey, SM2_VECTOR.id)); // default ID
  });

  it('computes e = SM3(Z || M)', () => {
    expect(bytesToHex(sm2Digest(publicKey, utf8(SM2_VECTOR.message)))).toBe(SM2_VECTOR.e.toLowerCase());
  });

  it('produces r and s with the fixed k', () => {
    const e = hexToBytes(SM2_VECTOR.e);
    const signature = sm2SignDigest(vectorPrivateKey(), e, BigInt('0x' + SM2_VECTOR.k));
    expect(bytesToHex(signature)).toBe((SM2_VECTOR.r + SM2_VECTOR.s).toLowerCase());
  });
});

describe.each(sm2Implementations.map((impl) => [impl.kind, impl] as const))('SM2 example, %s implementation', (_kind, impl) => {
  const message = utf8(SM2_VECTOR.message);

  it('derives the public key from d', () => {
    expect(impl.getPublicKey(vectorPrivateKey())).toEqual(vectorPublicKey());
  });

  it('verifies (r, s) under ID 1234567812345678, explicitly and by default', () => {
    expect(impl.verify(vectorPublicKey(), message, vectorSignature(), { id: SM2_VECTOR.id })).toBe(true);
    expect(impl.verify(vectorPublicKey(), message, vectorSignature())).toBe(true);
  });

  it('rejects (r, s) under another ID, so Z is really in the hash', () => {
    expect(impl.verify(vectorPublicKey(), message, vectorSignature(), { id: '1234567812345679' })).toBe(false);
    expect(impl.verify(vectorPublicKey(), message, vectorSignature(), { id: '' })).toBe(false);
  });

  it('rejects (r, s) for another message', () => {
    expect(impl.verify(vectorPublicKey(), utf8('message digesT'), vectorSignature())).toBe(false);
  });
});

describe('native SM2 addon', () => {
  // Without the addon the native cases above simply do not exist; CI sets this after build-native.
  it.skipIf(process.env.MIANZHENG_REQUIRE_NATIVE !== '1')('is built and passes its self-test (MIANZHENG_REQUIRE_NATIVE=1)', () => {
    expect(nativeStatus).toMatchObject({ available: true });
    expect(nativeSm2?.kind).toBe('native');
  });
});

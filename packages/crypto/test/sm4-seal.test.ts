import { describe, expect, it } from 'vitest';
import { createDecipheriv } from 'node:crypto';
import { hexToBytes } from '../src/bytes.js';
import { hmacSm3 } from '../src/sm3.js';
import { generateSm4SealKey, sm4Open, sm4Seal } from '../src/sm4.js';
import { utf8 } from './helpers.js';

const key = hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const decryptFailed = expect.objectContaining({ code: 'CRYPTO.DECRYPT_FAILED' });

describe('SM4 seal (SM4-CTR + HMAC-SM3, encrypt-then-MAC)', () => {
  it('round-trips, with and without associated data', () => {
    for (const plaintext of [new Uint8Array(0), utf8('110105194912310'), new Uint8Array(4099).fill(0xab)]) {
      expect(sm4Open(key, sm4Seal(key, plaintext))).toEqual(plaintext);
      expect(sm4Open(key, sm4Seal(key, plaintext, utf8('key:dept-340500')), utf8('key:dept-340500'))).toEqual(plaintext);
    }
  });

  it('has the documented layout: version 1 || iv(16) || ct || tag(32)', () => {
    const plaintext = utf8('SM2 private key bytes');
    const sealed = sm4Seal(key, plaintext);
    expect(sealed).toHaveLength(1 + 16 + plaintext.length + 32);
    expect(sealed[0]).toBe(1);
    // Decrypt independently with the documented sub-key derivation.
    const encKey = hmacSm3(key, 'mianzheng/sm4-seal/v1/enc').subarray(0, 16);
    const decipher = createDecipheriv('sm4-ctr', encKey, sealed.subarray(1, 17));
    expect(new Uint8Array(decipher.update(sealed.subarray(17, sealed.length - 32)))).toEqual(plaintext);
  });

  it('uses a fresh IV every time', () => {
    const plaintext = utf8('same');
    expect(sm4Seal(key, plaintext)).not.toEqual(sm4Seal(key, plaintext));
  });

  it('rejects any flipped bit, a wrong key, wrong or missing aad, truncation and unknown versions', () => {
    const sealed = sm4Seal(key, utf8('secret'), utf8('aad'));
    for (let i = 0; i < sealed.length; i++) {
      const tampered = sealed.slice();
      tampered[i]! ^= 0x80;
      expect(() => sm4Open(key, tampered, utf8('aad'))).toThrow(decryptFailed);
    }
    expect(() => sm4Open(generateSm4SealKey(), sealed, utf8('aad'))).toThrow(decryptFailed);
    expect(() => sm4Open(key, sealed, utf8('aae'))).toThrow(decryptFailed);
    expect(() => sm4Open(key, sealed)).toThrow(decryptFailed);
    expect(() => sm4Open(key, sealed.subarray(0, 48))).toThrow(decryptFailed);
  });

  it('requires a 32-byte key', () => {
    expect(() => sm4Seal(key.subarray(0, 16), utf8('x'))).toThrow(/32 bytes/);
    expect(generateSm4SealKey()).toHaveLength(32);
  });
});

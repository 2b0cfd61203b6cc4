import { createHash } from 'node:crypto';
import { findSuite, hexToBytes, sm3, type SignatureSuite, type SuiteId } from '@mianzheng/crypto';
import type { LicenseCrypto } from '../domain/crypto-port.ts';

const suites = new Map<string, SignatureSuite | undefined>();

function suiteOf(id: SuiteId): SignatureSuite | undefined {
  if (!suites.has(id)) suites.set(id, findSuite(id));
  return suites.get(id);
}

/**
 * Signature verification is a pure function of (suite, key, message, signature), and the
 * same license is verified on every read under a grant: results are memoised, bounded.
 * Every other check (key status, issuer, validity, registry status) still runs each time.
 */
const VERIFIED_MAX = 8192;
const verified = new Map<string, boolean>();

function verifyOnce(s: SignatureSuite, suite: SuiteId, publicKeyHex: string, message: Uint8Array, signature: Uint8Array): boolean {
  const key = createHash('sha256').update(`${suite}|${publicKeyHex.toLowerCase()}|${message.length}|${signature.length}|`).update(message).update(signature).digest('base64');
  const known = verified.get(key);
  if (known !== undefined) return known;
  const ok = s.verify(hexToBytes(publicKeyHex), message, signature);
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
  verified.set(key, ok);
  return ok;
}

/** LicenseCrypto on @mianzheng/crypto: SM3 digests, SM2-SM3 (default ID 1234567812345678) and Ed25519 signatures. */
export const licenseCrypto: LicenseCrypto = {
  digest: (text) => Buffer.from(sm3(new TextEncoder().encode(text))).toString('base64url'),
  verify(suite, publicKeyHex, message, signature) {
    try {
      const s = suiteOf(suite);
      if (!s || !/^[0-9a-fA-F]+$/.test(publicKeyHex)) return false;
      return verifyOnce(s, suite, publicKeyHex, message, signature);
    } catch {
      return false;
    }
  },
};

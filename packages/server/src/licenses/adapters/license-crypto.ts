import { findSuite, hexToBytes, sm3, type SignatureSuite, type SuiteId } from '@mianzheng/crypto';
import type { LicenseCrypto } from '../domain/crypto-port.ts';

const suites = new Map<string, SignatureSuite | undefined>();

function suiteOf(id: SuiteId): SignatureSuite | undefined {
  if (!suites.has(id)) suites.set(id, findSuite(id));
  return suites.get(id);
}

/** LicenseCrypto on @mianzheng/crypto: SM3 digests, SM2-SM3 (default ID 1234567812345678) and Ed25519 signatures. */
export const licenseCrypto: LicenseCrypto = {
  digest: (text) => Buffer.from(sm3(new TextEncoder().encode(text))).toString('base64url'),
  verify(suite, publicKeyHex, message, signature) {
    try {
      const s = suiteOf(suite);
      if (!s || !/^[0-9a-fA-F]+$/.test(publicKeyHex)) return false;
      return s.verify(hexToBytes(publicKeyHex), message, signature);
    } catch {
      return false;
    }
  },
};

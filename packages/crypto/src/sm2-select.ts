/** Which SM2 implementation to use: the OpenSSL addon when it loads, pure TypeScript otherwise. */
import { CryptoError } from './errors.js';
import { sm2Ts } from './sm2.js';
import { findNativeSm2, nativeSm2Status } from './sm2-native.js';
import type { Sm2Implementation } from './types.js';

export type Sm2Preference = 'auto' | 'native' | 'ts';

/**
 * 'auto' (default): native if the addon is built and passes its self-test, else TS.
 * 'native': the addon or CRYPTO.NATIVE_UNAVAILABLE. 'ts': always the TypeScript path.
 */
export function getSm2Implementation(preference: Sm2Preference = 'auto'): Sm2Implementation {
  if (preference === 'ts') return sm2Ts;
  const native = findNativeSm2();
  if (native !== undefined) return native;
  if (preference === 'native') {
    const status = nativeSm2Status();
    const reason = status.available ? 'unknown' : status.reason;
    throw new CryptoError('CRYPTO.NATIVE_UNAVAILABLE', `native SM2 addon unavailable: ${reason}`);
  }
  return sm2Ts;
}

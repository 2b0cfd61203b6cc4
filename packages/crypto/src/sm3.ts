/** SM3 (GB/T 32905) and HMAC-SM3, on the SM3 that Node's OpenSSL provides. */
import { createHash, createHmac } from 'node:crypto';
import { plainBytes, toBytes } from './bytes.js';

export const SM3_BYTES = 32;

export function sm3(data: Uint8Array | string): Uint8Array {
  return plainBytes(createHash('sm3').update(toBytes(data)).digest());
}

/** SM3 over the concatenation of `parts`, without copying them together first. */
export function sm3Concat(parts: readonly Uint8Array[]): Uint8Array {
  const hash = createHash('sm3');
  for (const part of parts) hash.update(part);
  return plainBytes(hash.digest());
}

export function hmacSm3(key: Uint8Array, data: Uint8Array | string): Uint8Array {
  return plainBytes(createHmac('sm3', key).update(toBytes(data)).digest());
}

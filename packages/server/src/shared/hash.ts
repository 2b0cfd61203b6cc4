import { createHash } from 'node:crypto';
import { bytesToHex, sm3 } from '@mianzheng/crypto';

/** SM3 (GB/T 32905), hex output. */
export function sm3Hex(data: string | Uint8Array): string {
  return bytesToHex(sm3(data));
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

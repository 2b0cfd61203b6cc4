/** Small byte helpers shared by the crypto modules. Outputs are plain Uint8Array, never Buffer. */
import { CryptoError } from './errors.js';

const encoder = new TextEncoder();

/** Strings are encoded as UTF-8; byte arrays pass through unchanged. */
export function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

/** Copies a Buffer (or any Uint8Array view) into a fresh, exactly-sized Uint8Array. */
export function plainBytes(data: Uint8Array): Uint8Array {
  return new Uint8Array(data);
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new CryptoError('CRYPTO.INVALID_ARGUMENT', 'not a hex string of whole bytes');
  }
  return plainBytes(Buffer.from(hex, 'hex'));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + bytesToHex(bytes));
}

/** Big-endian, left-padded to `length` bytes; throws if the value does not fit. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16).padStart(length * 2, '0');
  if (value < 0n || hex.length > length * 2) {
    throw new CryptoError('CRYPTO.INVALID_ARGUMENT', `integer does not fit in ${length} bytes`);
  }
  return hexToBytes(hex);
}

export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

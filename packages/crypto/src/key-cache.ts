/**
 * Small bounded caches for derived or imported key material (FIFO eviction).
 * Secret inputs are never used as map keys directly: secretCacheKey() maps them through
 * HMAC-SHA256 under a random per-process key.
 *
 * Content-addressed: an entry is the imported form of the very key bytes it is looked up by,
 * and says nothing about whether that key may still be used. Whether a key is active or
 * retired is decided before a signature is checked — by the platform's keystore (PgKeyStore)
 * and data-sharing directory, or a node's consumer list — so no retirement waits on this cache.
 */
import { createHmac, randomBytes } from 'node:crypto';

const processSecret = randomBytes(32);

export function secretCacheKey(secret: Uint8Array): string {
  return createHmac('sha256', processSecret).update(secret).digest('base64');
}

export function publicCacheKey(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
}

export class BoundedCache<V> {
  readonly #entries = new Map<string, V>();

  constructor(private readonly limit: number) {}

  /** Returns the cached value or creates, stores and returns it. `create` may throw; nothing is cached then. */
  getOrCreate(key: string, create: () => V): V {
    let value = this.#entries.get(key);
    if (value === undefined) {
      value = create();
      if (this.#entries.size >= this.limit) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(key, value);
    }
    return value;
  }
}

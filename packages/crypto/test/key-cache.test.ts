import { describe, expect, it } from 'vitest';
import { BoundedCache, secretCacheKey } from '../src/key-cache.js';

describe('BoundedCache', () => {
  it('creates once, evicts the oldest beyond its limit, and caches nothing when create throws', () => {
    const cache = new BoundedCache<number>(2);
    let created = 0;
    const make = (v: number) => () => (created++, v);
    expect(cache.getOrCreate('a', make(1))).toBe(1);
    expect(cache.getOrCreate('a', make(9))).toBe(1);
    cache.getOrCreate('b', make(2));
    cache.getOrCreate('c', make(3)); // evicts a
    expect(cache.getOrCreate('a', make(4))).toBe(4);
    expect(created).toBe(4);
    expect(() => cache.getOrCreate('x', () => { throw new Error('bad key'); })).toThrow('bad key');
    expect(cache.getOrCreate('x', make(5))).toBe(5);
  });

  it('keys secrets by a keyed hash, not by their bytes', () => {
    const secret = new Uint8Array(32).fill(7);
    expect(secretCacheKey(secret)).toBe(secretCacheKey(secret.slice()));
    expect(secretCacheKey(secret)).not.toContain(Buffer.from(secret).toString('base64'));
    expect(secretCacheKey(secret)).not.toBe(secretCacheKey(new Uint8Array(32).fill(8)));
  });
});

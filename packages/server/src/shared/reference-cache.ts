/**
 * A short-lived memo of reference data that every application reads and administrators
 * seldom change: license types and their proof-item links, departments. It saves a
 * database round trip per read on the hot path (an application reads each several times).
 *
 * Consistency: a change made through this instance invalidates the affected keys at once
 * (the writers call invalidate()); a change made by another instance sharing the database
 * is seen within the TTL (30 s by default). Only reference data goes here — never anything
 * that decides a person's rights at this moment (credit records, grants, license status).
 * Concurrent first reads share one load; a failed load is not kept.
 */
import type { Db } from '../db/database.ts';

export class ReferenceCache {
  readonly #entries = new Map<string, { until: number; value: Promise<unknown> }>();

  constructor(private readonly ttlMs = 30_000, private readonly clock: () => number = Date.now, private readonly limit = 10_000) {}

  /** The cached value, or `load()`'s. With `keepMissing: false` an undefined result is not kept (the row may be created soon, e.g. by a seed). */
  get<T>(key: string, load: () => Promise<T>, options: { keepMissing?: boolean } = {}): Promise<T> {
    const now = this.clock();
    const hit = this.#entries.get(key);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    const value = load();
    if (this.#entries.size >= this.limit) this.#entries.clear();
    this.#entries.set(key, { until: now + this.ttlMs, value });
    const forget = () => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    };
    value.then((v) => { if (v === undefined && options.keepMissing === false) forget(); }, forget);
    return value;
  }

  /** Forgets every key starting with one of the prefixes (after a change made here). */
  invalidate(...prefixes: string[]): void {
    for (const key of [...this.#entries.keys()]) if (prefixes.some((p) => key.startsWith(p))) this.#entries.delete(key);
  }
}

/** One cache per database handle: every Deps copy over the same database shares it. */
const caches = new WeakMap<object, ReferenceCache>();

export function referenceCacheOf(deps: { db: Db }): ReferenceCache {
  let c = caches.get(deps.db);
  if (!c) {
    c = new ReferenceCache();
    caches.set(deps.db, c);
  }
  return c;
}

/** Key prefixes, so writers and readers agree. */
export const REF = {
  licenseType: 'license-type:',
  licenseLink: 'license-link:',
  department: 'department:',
} as const;

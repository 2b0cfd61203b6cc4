/**
 * Nonces seen within the freshness window, per consumer. A nonce is remembered until its
 * request's timestamp leaves the window, so a replay is caught for as long as the
 * timestamp would still be accepted. Rebuilt from the trail on restart.
 */
export class NonceStore {
  readonly #seen = new Map<string, number>();
  #sweepAt = 0;

  constructor(private readonly windowMs: number) {}

  /** Records the nonce; false when it was already used (a replay). */
  remember(consumer: string, nonce: string, requestTimeMs: number, nowMs: number): boolean {
    if (nowMs >= this.#sweepAt) this.#sweep(nowMs);
    const key = `${consumer}\u0000${nonce}`;
    const until = this.#seen.get(key);
    if (until !== undefined && until >= nowMs) return false;
    if (until !== undefined) this.#seen.delete(key); // keep insertion order = expiry order
    this.#seen.set(key, requestTimeMs + this.windowMs);
    return true;
  }

  /** Whether the nonce is currently remembered (without recording it). */
  has(consumer: string, nonce: string, nowMs: number): boolean {
    const until = this.#seen.get(`${consumer}\u0000${nonce}`);
    return until !== undefined && until >= nowMs;
  }

  get size(): number {
    return this.#seen.size;
  }

  /**
   * Drops expired nonces in insertion order and stops at the first live one: cheap at any
   * volume. A future-dated request (still within the window) may hold later expired
   * entries back until it expires itself — at most one window.
   */
  #sweep(nowMs: number): void {
    for (const [k, until] of this.#seen) {
      if (until >= nowMs) break;
      this.#seen.delete(k);
    }
    this.#sweepAt = nowMs + 1000;
  }
}

/**
 * Nonces seen within the freshness window, per consumer. A nonce is remembered until its
 * request's timestamp leaves the window, so a replay is caught for as long as the
 * timestamp would still be accepted. Rebuilt from the trail on restart.
 *
 * Bounded: it holds at most `capacity` nonces. When it is full and none has expired, a new
 * nonce cannot be recorded, and `remember` says so (`full`) instead of recording it: the node
 * then refuses the request (`busy`) — it never answers a request whose nonce it could not
 * record, since that request could be replayed. It recovers by itself as the nonces it holds
 * leave the window (within one window at most).
 *
 * Small per entry (≈ 70 bytes with the platform's 22-character nonces, Node 20): one map per
 * consumer keyed by the nonce string as received — no key built per request — and the end of
 * the window kept as whole seconds after the store was made, a small integer V8 stores in
 * place rather than as a heap number.
 */

/** What `remember` did: recorded the nonce, found it already used (a replay), or could not record it (full). */
export type NonceCheck = 'recorded' | 'replayed' | 'full';

/** Nonces a node holds at most unless configured otherwise (`maxNonces`): ≈ 6,600 requests/s over a 5-minute window. */
export const DEFAULT_MAX_NONCES = 2_000_000;

export class NonceStore {
  /** consumer → nonce → end of its window, in whole seconds after #baseMs (rounded up: kept a little longer, never shorter) */
  readonly #byConsumer = new Map<string, Map<string, number>>();
  readonly #baseMs: number;
  #size = 0;
  #sweepAt = 0;
  /** the earliest end of window among the first entries of the consumers' maps: before it, a sweep frees nothing */
  #nextExpiryMs = Infinity;
  /** consumer → the latest end of window recorded for it (an earlier one recorded after it is out of order) */
  readonly #latestEnd = new Map<string, number>();
  /**
   * The earliest end of window among nonces recorded out of expiry order (by more than a second)
   * — requests not in time order: one dated ahead of those recorded after it, or behind those
   * before it. The sweep, which stops at the first live nonce, may leave such a nonce behind
   * once it has expired: a full store then goes through all of them (#compact) before it refuses
   * a nonce. Infinity: none.
   */
  #outOfOrderEnd = Infinity;
  #compactAt = 0;

  constructor(private readonly windowMs: number, readonly capacity: number = DEFAULT_MAX_NONCES, baseMs = Date.now()) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('the nonce store needs a capacity of at least 1');
    this.#baseMs = baseMs;
  }

  /** Records the nonce: `replayed` when it was already used, `full` when it could not be recorded (then it is not). */
  remember(consumer: string, nonce: string, requestTimeMs: number, nowMs: number): NonceCheck {
    return this.#record(consumer, nonce, requestTimeMs, nowMs, false);
  }

  /**
   * Records a nonce the node accepted before a restart (from its trail), even beyond the
   * capacity: forgetting it would let its request be replayed. A store filled past its
   * capacity this way refuses new nonces until enough of these leave the window.
   */
  restore(consumer: string, nonce: string, requestTimeMs: number, nowMs: number): void {
    if (requestTimeMs + this.windowMs >= nowMs) this.#record(consumer, nonce, requestTimeMs, nowMs, true);
  }

  /** Whether the nonce is currently remembered (without recording it). */
  has(consumer: string, nonce: string, nowMs: number): boolean {
    const until = this.#byConsumer.get(consumer)?.get(nonce);
    return until !== undefined && this.#ms(until) >= nowMs;
  }

  get size(): number {
    return this.#size;
  }

  #record(consumer: string, nonce: string, requestTimeMs: number, nowMs: number, beyondCapacity: boolean): NonceCheck {
    if (nowMs >= this.#sweepAt || (this.#size >= this.capacity && nowMs > this.#nextExpiryMs)) this.#sweep(nowMs);
    let seen = this.#byConsumer.get(consumer);
    const until = seen?.get(nonce);
    if (until !== undefined) {
      if (this.#ms(until) >= nowMs) return 'replayed';
      seen!.delete(nonce); // expired but not swept yet; re-inserted below, so insertion order stays expiry order
      this.#size--;
    }
    if (this.#size >= this.capacity && !beyondCapacity) {
      if (nowMs > this.#ms(this.#outOfOrderEnd) && nowMs >= this.#compactAt) this.#compact(nowMs);
      if (this.#size >= this.capacity) return 'full';
    }
    if (!seen) this.#byConsumer.set(consumer, (seen = new Map()));
    const end = Math.ceil((requestTimeMs + this.windowMs - this.#baseMs) / 1000);
    const latest = this.#latestEnd.get(consumer) ?? -Infinity;
    if (end < latest - 1) this.#outOfOrderEnd = Math.min(this.#outOfOrderEnd, end);
    else if (end > latest) this.#latestEnd.set(consumer, end);
    seen.set(nonce, end);
    this.#size++;
    if (seen.size === 1) this.#nextExpiryMs = Math.min(this.#nextExpiryMs, this.#ms(end));
    return 'recorded';
  }

  #ms(end: number): number {
    return this.#baseMs + end * 1000;
  }

  /**
   * Drops expired nonces in insertion order and stops at the first live one: cheap at any
   * volume. A future-dated request (still within the window) may hold later expired
   * entries back until it expires itself — at most one window; a full store then frees
   * them with #compact.
   */
  #sweep(nowMs: number): void {
    let next = Infinity;
    for (const seen of this.#byConsumer.values()) {
      for (const [nonce, end] of seen) {
        const endMs = this.#ms(end);
        if (endMs >= nowMs) {
          if (endMs < next) next = endMs;
          break;
        }
        seen.delete(nonce);
        this.#size--;
      }
    }
    this.#nextExpiryMs = next;
    this.#sweepAt = nowMs + 1000;
  }

  /**
   * Drops every expired nonce, wherever it stands (the sweep stops at the first live one), and
   * notes which of those left are out of expiry order. Goes through the whole store: only when it
   * is full and one of them has expired, at most once a second.
   */
  #compact(nowMs: number): void {
    let outOfOrderEnd = Infinity;
    let next = Infinity;
    for (const [consumer, seen] of this.#byConsumer) {
      let latest = -Infinity;
      for (const [nonce, end] of seen) {
        const endMs = this.#ms(end);
        if (endMs < nowMs) {
          seen.delete(nonce);
          this.#size--;
          continue;
        }
        if (latest === -Infinity && endMs < next) next = endMs;
        if (end < latest - 1) outOfOrderEnd = Math.min(outOfOrderEnd, end);
        else if (end > latest) latest = end;
      }
      if (latest === -Infinity) this.#latestEnd.delete(consumer);
      else this.#latestEnd.set(consumer, latest);
    }
    this.#outOfOrderEnd = outOfOrderEnd;
    this.#nextExpiryMs = next;
    this.#compactAt = nowMs + 1000;
  }
}

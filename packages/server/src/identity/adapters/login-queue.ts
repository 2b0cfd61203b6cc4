/**
 * In-process line of sign-in attempts per throttle key (`user:…`, `addr:…`), per database
 * handle, i.e. per platform instance: at most `limit` attempts of one key are checked at once
 * here, the others wait their turn in order without touching the database. It also tells an
 * attempt waiting for a place in the database's counter when another attempt of the key ended
 * here (the counter may have room now). The counter in the database stays the limit that
 * holds across instances; this only keeps simultaneous attempts on one instance from asking it
 * in a herd.
 */
/** How many attempts may wait in line per place (so at most 4 × 5 for one username on one instance). */
export const WAITING_PER_PLACE = 4;

interface Line { running: number; waiting: Array<() => void>; watchers: Set<() => void> }

export class LoginQueue {
  private readonly lines = new Map<string, Line>();

  /**
   * Takes one of the key's `limit` places here, waiting in line until `deadline` (performance.now()
   * time); false when the deadline came first, and false at once when `WAITING_PER_PLACE` × `limit`
   * attempts already wait (a flood of sign-ins for one name is refused, not held open in memory).
   */
  enter(key: string, limit: number, deadline: number): Promise<boolean> {
    const line = this.line(key);
    if (line.running < limit && line.waiting.length === 0) {
      line.running++;
      return Promise.resolve(true);
    }
    if (line.waiting.length >= WAITING_PER_PLACE * limit) return Promise.resolve(false);
    return new Promise((resolve) => {
      const admit = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const at = line.waiting.indexOf(admit);
        if (at < 0) return;
        line.waiting.splice(at, 1);
        this.tidy(key, line);
        resolve(false);
      }, Math.max(0, deadline - performance.now()));
      line.waiting.push(admit);
    });
  }

  /** Gives the place to the next in line (or back), and wakes whoever waits for an attempt of the key to end. */
  leave(key: string): void {
    const line = this.lines.get(key);
    if (!line) return;
    const next = line.waiting.shift();
    if (next) next();
    else line.running--;
    for (const wake of [...line.watchers]) wake();
    this.tidy(key, line);
  }

  /**
   * Resolves true when an attempt of `key` ends here, or after `pollMs` (one may have ended on
   * another instance); false at once when `deadline` has passed.
   */
  async ended(key: string, deadline: number, pollMs: number): Promise<boolean> {
    const left = deadline - performance.now();
    if (left <= 0) return false;
    const line = this.line(key);
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        line.watchers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(pollMs, left));
      line.watchers.add(wake);
    });
    this.tidy(key, line);
    return true;
  }

  private line(key: string): Line {
    let line = this.lines.get(key);
    if (!line) this.lines.set(key, (line = { running: 0, waiting: [], watchers: new Set() }));
    return line;
  }

  private tidy(key: string, line: Line): void {
    if (line.running === 0 && line.waiting.length === 0 && line.watchers.size === 0 && this.lines.get(key) === line) this.lines.delete(key);
  }
}

const queues = new WeakMap<object, LoginQueue>();

/** The line of this platform instance (one per database handle, like the session cache). */
export function loginQueueOf(db: object): LoginQueue {
  let q = queues.get(db);
  if (!q) queues.set(db, (q = new LoginQueue()));
  return q;
}

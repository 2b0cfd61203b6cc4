/**
 * The node's own trail: one JSON line per exchange (accepted or rejected), hash-chained
 * with SM3, appended with group commit — entries that arrive while a write is in flight
 * are written together, and each is acknowledged only after its batch is on disk
 * (fdatasync). The node answers a query only after its entry is acknowledged, so no
 * answered query is missing from the trail.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { sm3Hex } from '../protocol/messages.ts';

export const GENESIS = '0'.repeat(64);

export interface TrailRecord {
  at: string;
  consumer: string | null;
  keyId: string | null;
  item: string | null;
  purpose: string | null;
  application: string | null;
  legalBasis: string | null;
  nonce: string | null;
  requestTimestamp: string | null;
  /** whether the request's signature verified (its nonce is then remembered) */
  authenticated: boolean;
  /** SM3 of the canonical request string; null when the request could not be read */
  requestSm3: string | null;
  /**
   * HMAC-SM3 of the parameters (JCS) under the node's parameter key (derived from its
   * signing key, see keys.ts): no identity number is written in clear, and — unlike a plain
   * digest, which a dictionary of the few million possible numbers would reverse — the
   * trail alone does not reveal whom a query was about. Trails written before this field
   * existed carry `paramsSm3` (plain SM3) instead.
   */
  paramsHmac: string | null;
  status: number;
  outcome: 'answered' | 'not_found' | 'rejected' | 'error';
  reason: string | null;
  field: string | null;
  responseSm3: string;
  asOf: string | null;
  durationMs: number;
}

export interface TrailEntry extends TrailRecord { seq: number; prev: string; hash: string }

/**
 * Each line is the JSON text of the entry with `"hash"` as its last member; the hash is
 * SM3(prev ‖ the line's text without that member) — byte-exact, so any language can
 * verify it from the file alone.
 */
function entryText(e: Omit<TrailEntry, 'hash'>): string {
  return JSON.stringify(e);
}

function lineHash(prev: string, text: string): string {
  return sm3Hex(prev + text);
}

const HASH_SUFFIX = /,"hash":"([0-9a-f]{64})"\}$/;

interface Pending { record: TrailRecord; resolve: () => void; reject: (e: Error) => void }

export class Trail {
  #fd: fs.promises.FileHandle | undefined;
  #seq = 0;
  #last = GENESIS;
  #queue: Pending[] = [];
  #flushing = false;
  #closed = false;
  #written = 0;

  private constructor(readonly file: string, private readonly fsync: boolean) {}

  /** Opens (creating) the trail, checks its chain and returns the entries within `recentMs` of now (for nonce recovery). */
  static async open(file: string, options: { fsync: boolean; recentMs: number; nowMs: number }): Promise<{ trail: Trail; recent: TrailEntry[] }> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const trail = new Trail(file, options.fsync);
    const recent: TrailEntry[] = [];
    if (fs.existsSync(file)) {
      const check = await scanTrail(file, (e) => {
        if (options.nowMs - Date.parse(e.at) <= options.recentMs) recent.push(e);
      });
      if (check.tornTail !== undefined) fs.truncateSync(file, check.tornTail); // an unacknowledged partial write after a crash
      if (!check.ok) throw new Error(`trail ${file} is broken at entry ${check.brokenAt}: ${check.problem}`);
      trail.#seq = check.lastSeq;
      trail.#last = check.lastHash;
    }
    trail.#fd = await fs.promises.open(file, 'a', 0o600);
    return { trail, recent };
  }

  get lastSeq(): number {
    return this.#seq;
  }

  get written(): number {
    return this.#written;
  }

  /** Appends a record; resolves once it is durably written. */
  append(record: TrailRecord): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('trail closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ record, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, 1000);
        const lines: string[] = [];
        let seq = this.#seq;
        let last = this.#last;
        for (const { record } of batch) {
          const text = entryText({ ...record, seq: ++seq, prev: last });
          const hash = lineHash(last, text);
          lines.push(`${text.slice(0, -1)},"hash":"${hash}"}`);
          last = hash;
        }
        try {
          await this.#fd!.appendFile(`${lines.join('\n')}\n`);
          if (this.fsync) await this.#fd!.datasync();
          this.#seq = seq;
          this.#last = last;
          this.#written += batch.length;
          for (const p of batch) p.resolve();
        } catch (e) {
          for (const p of batch) p.reject(e as Error);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    while (this.#flushing || this.#queue.length) await new Promise((r) => setTimeout(r, 5));
    await this.#fd?.close();
    this.#fd = undefined;
  }
}

export interface TrailCheck { ok: boolean; entries: number; lastSeq: number; lastHash: string; brokenAt?: number; problem?: string; tornTail?: number }

/** Reads a trail file line by line and recomputes its hash chain. */
export async function scanTrail(file: string, each?: (e: TrailEntry) => void): Promise<TrailCheck> {
  const stream = fs.createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let seq = 0;
  let last = GENESIS;
  let offset = 0;
  let entries = 0;
  let pendingBad: { at: number; problem: string } | undefined;
  for await (const line of lines) {
    const lineStart = offset;
    offset += Buffer.byteLength(line) + 1;
    if (pendingBad) return { ok: false, entries, lastSeq: seq, lastHash: last, brokenAt: seq + 1, problem: pendingBad.problem };
    if (!line.trim()) continue;
    let e: TrailEntry;
    const m = HASH_SUFFIX.exec(line);
    try {
      e = JSON.parse(line) as TrailEntry;
      if (!m) throw new Error('no hash');
    } catch {
      pendingBad = { at: lineStart, problem: 'unreadable line' };
      continue;
    }
    const hash = m[1]!;
    if (e.seq !== seq + 1) return { ok: false, entries, lastSeq: seq, lastHash: last, brokenAt: seq + 1, problem: `expected seq ${seq + 1}, found ${e.seq}` };
    if (e.prev !== last) return { ok: false, entries, lastSeq: seq, lastHash: last, brokenAt: e.seq, problem: 'prev does not match the previous hash' };
    if (lineHash(last, `${line.slice(0, m.index)}}`) !== hash) return { ok: false, entries, lastSeq: seq, lastHash: last, brokenAt: e.seq, problem: 'hash does not match the content' };
    seq = e.seq;
    last = hash;
    entries++;
    each?.(e);
  }
  // An unreadable last line is a torn write (the crash came before fdatasync acknowledged it).
  if (pendingBad) return { ok: true, entries, lastSeq: seq, lastHash: last, tornTail: pendingBad.at };
  return { ok: true, entries, lastSeq: seq, lastHash: last };
}

/**
 * The node's own trail: one JSON line per exchange (accepted or rejected), hash-chained
 * with SM3, appended with group commit — entries that arrive while a write is in flight
 * are written together, and each is acknowledged only after its batch is on disk
 * (fdatasync). The node answers a query only after its entry is acknowledged, so no
 * answered query is missing from the trail.
 *
 * Rotation: when the file reaches `rotateBytes` it is renamed `<name>.<firstSeq>-<lastSeq>.jsonl`
 * next to it and a new file continues the same chain (its first entry's `prev` is the last
 * hash of the archive). scanTrailSet() verifies the archives and the current file as one chain.
 *
 * Retention: pruneTrail() removes (or moves to cold storage) whole archives older than a date,
 * never less than six months old, never the newest archive. It first records them in
 * `<name>.pruned.json` — each pruned archive's range, times, last hash and SM3 — whose anchor
 * (the last pruned entry's seq and hash) is where scanTrailSet() then starts the chain.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createHash } from 'node:crypto';
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
   * HMAC-SM3 of the parameters (JCS) under the node's parameter key (its own file, see
   * keys.ts): no identity number is written in clear, and — unlike a plain
   * digest, which a dictionary of the few million possible numbers would reverse — the
   * trail alone does not reveal whom a query was about. Trails written before this field
   * existed carry `paramsSm3` (plain SM3) instead.
   */
  paramsHmac: string | null;
  status: number;
  outcome: 'answered' | 'not_found' | 'rejected' | 'error';
  reason: string | null;
  field: string | null;
  /** what exactly was wrong, for a rejection that says (e.g. too_many_records: "1001 records; at most 1000"); absent otherwise */
  detail?: string;
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
  /** bytes in the current file, and the seq its first entry has (or will have) */
  #bytes = 0;
  #firstSeq = 1;
  #rotateBytes = 0;
  #queue: Pending[] = [];
  #flushing = false;
  #closed = false;
  /** set when a failed write could not be cut off the file: no further entry may follow it */
  #broken: Error | undefined;
  #written = 0;

  private constructor(readonly file: string, private readonly fsync: boolean) {}

  /**
   * Opens (creating) the trail, checks the current file's chain (continuing the newest
   * archive's) and returns the entries within `recentMs` of now, archives included (for
   * nonce recovery). `rotateBytes` 0: never rotate.
   */
  static async open(file: string, options: { fsync: boolean; recentMs: number; nowMs: number; rotateBytes?: number }): Promise<{ trail: Trail; recent: TrailEntry[] }> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const trail = new Trail(file, options.fsync);
    trail.#rotateBytes = options.rotateBytes ?? 0;
    const recent: TrailEntry[] = [];
    const isRecent = (e: TrailEntry) => options.nowMs - Date.parse(e.at) <= options.recentMs;
    const archives = trailArchives(file);
    const newest = archives.at(-1);
    let start = { seq: 0, hash: GENESIS };
    if (newest) {
      const tail = lastEntryOf(newest.file);
      if (!tail) throw new Error(`trail archive ${newest.file} is empty or unreadable`);
      start = { seq: tail.seq, hash: tail.hash };
      // rotations within the freshness window (a busy node rotates several times in it): those
      // archives' recent nonces still count. An archive's mtime is its last entry's time.
      let from = archives.length;
      while (from > 0 && options.nowMs - fs.statSync(archives[from - 1]!.file).mtimeMs <= options.recentMs) from--;
      for (const archive of archives.slice(from)) {
        for (const line of fs.readFileSync(archive.file, 'utf8').split('\n')) {
          if (!line.trim()) continue;
          const e = JSON.parse(line) as TrailEntry;
          if (isRecent(e)) recent.push(e);
        }
      }
    }
    trail.#seq = start.seq;
    trail.#last = start.hash;
    trail.#firstSeq = start.seq + 1;
    if (fs.existsSync(file)) {
      const check = await scanTrail(file, (e) => {
        if (isRecent(e)) recent.push(e);
      }, start);
      if (check.tornTail !== undefined) fs.truncateSync(file, check.tornTail); // an unacknowledged partial write after a crash
      if (!check.ok) throw new Error(`trail ${file} is broken at entry ${check.brokenAt}: ${check.problem}`);
      trail.#seq = check.lastSeq;
      trail.#last = check.lastHash;
      trail.#bytes = fs.statSync(file).size;
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
    if (this.#broken) return Promise.reject(this.#broken);
    return new Promise((resolve, reject) => {
      this.#queue.push({ record, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) {
        if (this.#broken) {
          for (const p of this.#queue.splice(0)) p.reject(this.#broken);
          break;
        }
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
          const text = `${lines.join('\n')}\n`;
          await this.#fd!.appendFile(text);
          if (this.fsync) await this.#fd!.datasync();
          this.#seq = seq;
          this.#last = last;
          this.#bytes += Buffer.byteLength(text);
          this.#written += batch.length;
          for (const p of batch) p.resolve();
        } catch (e) {
          // Nothing of a failed batch may stay in the file: a partial line, or whole lines not
          // known to be on disk, would break the chain the next batch continues (same seq and prev).
          // When the file cannot be cut back, the trail stops taking entries (the node answers 500).
          await this.#fd!.truncate(this.#bytes).catch((t: Error) => {
            this.#broken = new Error(`trail ${this.file} holds an unacknowledged write that could not be removed: ${t.message}`);
          });
          for (const p of batch) p.reject(e as Error);
        }
        if (this.#rotateBytes > 0 && this.#bytes >= this.#rotateBytes) await this.#rotate().catch(() => undefined);
      }
    } finally {
      this.#flushing = false;
    }
  }

  /**
   * Renames the full file to its archive name and continues the chain in a new one. Every
   * entry is already durable; a rotation that fails leaves the trail writing where it was
   * (and tries again after the next batch).
   */
  async #rotate(): Promise<void> {
    const archive = archiveName(this.file, this.#firstSeq, this.#seq);
    try {
      fs.renameSync(this.file, archive); // the open descriptor follows the file
    } catch {
      return;
    }
    let next: fs.promises.FileHandle;
    try {
      next = await fs.promises.open(this.file, 'a', 0o600);
    } catch {
      fs.renameSync(archive, this.file);
      return;
    }
    const old = this.#fd!;
    this.#fd = next;
    await old.close().catch(() => undefined);
    this.#bytes = 0;
    this.#firstSeq = this.#seq + 1;
    if (this.fsync) {
      // make the rename durable too
      const dir = await fs.promises.open(path.dirname(this.file), 'r').catch(() => undefined);
      await dir?.sync().catch(() => undefined);
      await dir?.close();
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

/**
 * Reads a trail file line by line and recomputes its hash chain, starting after `start`
 * (the last entry of the previous archive; the genesis by default).
 */
export async function scanTrail(file: string, each?: (e: TrailEntry) => void, start: { seq: number; hash: string } = { seq: 0, hash: GENESIS }): Promise<TrailCheck> {
  const stream = fs.createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let seq = start.seq;
  let last = start.hash;
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

function archiveName(file: string, from: number, to: number): string {
  return file.replace(/(\.jsonl)?$/, `.${from}-${to}.jsonl`);
}

/** The rotated archives of a trail file, oldest first. */
export function trailArchives(file: string): Array<{ file: string; from: number; to: number }> {
  const dir = path.dirname(file);
  const stem = path.basename(file).replace(/\.jsonl$/, '');
  if (!fs.existsSync(dir)) return [];
  const pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)-(\\d+)\\.jsonl$`);
  return fs.readdirSync(dir).flatMap((name) => {
    const m = pattern.exec(name);
    return m ? [{ file: path.join(dir, name), from: Number(m[1]), to: Number(m[2]) }] : [];
  }).sort((a, b) => a.from - b.from);
}

/** seq, hash and time of a file's last entry (read from its end). */
function lastEntryOf(file: string): { seq: number; hash: string; at: string } | undefined {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r');
  try {
    for (let chunk = 8192; ; chunk *= 4) {
      const len = Math.min(size, chunk);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, size - len);
      const lines = buf.toString('utf8').split('\n').filter((l) => l.trim());
      const line = lines.at(-1);
      if (line && (len === size || lines.length > 1)) {
        const e = JSON.parse(line) as TrailEntry;
        return { seq: e.seq, hash: e.hash, at: e.at };
      }
      if (len === size) return undefined;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Verifies the archives and the current file as one chain: seq ranges adjacent, each file
 * continuing the previous one's last hash — from the genesis, or from the anchor of the
 * pruned-archives manifest when archives were pruned (`pruned`: how many entries came before).
 */
export async function scanTrailSet(file: string): Promise<TrailCheck & { files: number; pruned: number; manifest?: PrunedManifest }> {
  let manifest: PrunedManifest | undefined;
  try {
    manifest = readPrunedManifest(file);
  } catch (e) {
    return { ok: false, entries: 0, lastSeq: 0, lastHash: GENESIS, files: 0, pruned: 0, problem: (e as Error).message };
  }
  let start = manifest?.anchor ?? { seq: 0, hash: GENESIS };
  const pruned = start.seq;
  let entries = 0;
  // archives the manifest already covers but a prune interrupted before removing them are not part of the chain any more
  const files = [...trailArchives(file).filter((a) => a.to > pruned).map((a) => a.file), ...(fs.existsSync(file) ? [file] : [])];
  let last: TrailCheck = { ok: true, entries: 0, lastSeq: 0, lastHash: GENESIS };
  for (const f of files) {
    const check = await scanTrail(f, undefined, start);
    entries += check.entries;
    if (!check.ok || (check.tornTail !== undefined && f !== file)) {
      return { ...check, ok: false, entries, files: files.length, pruned, problem: `${path.basename(f)}: ${check.problem ?? 'torn line inside an archive'}` };
    }
    start = { seq: check.lastSeq, hash: check.lastHash };
    last = check;
  }
  return { ...last, lastSeq: start.seq, lastHash: start.hash, entries, files: files.length, pruned, ...(manifest ? { manifest } : {}) };
}

/** One archive removed from the node by pruneTrail(). */
export interface PrunedArchive {
  name: string;
  from: number;
  to: number;
  firstAt: string;
  lastAt: string;
  /** hash of its last entry: the next file's first `prev` */
  lastHash: string;
  /** SM3 of the archive file, to recognise it in cold storage */
  sm3: string;
  /** `moved:<directory>` or `deleted` */
  disposition: string;
  prunedAt: string;
}

/** `<name>.pruned.json`: the archives pruned so far, oldest first; the chain now starts after `anchor`. */
export interface PrunedManifest { anchor: { seq: number; hash: string }; archives: PrunedArchive[] }

export function prunedManifestFile(file: string): string {
  return file.replace(/(\.jsonl)?$/, '.pruned.json');
}

/** The manifest of pruned archives, or undefined when nothing was pruned; throws on a file that is not one. */
export function readPrunedManifest(file: string): PrunedManifest | undefined {
  const name = prunedManifestFile(file);
  if (!fs.existsSync(name)) return undefined;
  let m: PrunedManifest;
  try {
    m = JSON.parse(fs.readFileSync(name, 'utf8')) as PrunedManifest;
  } catch {
    throw new Error(`${path.basename(name)} is not readable JSON`);
  }
  const last = m?.archives?.at(-1);
  if (!Number.isSafeInteger(m?.anchor?.seq) || !/^[0-9a-f]{64}$/.test(String(m?.anchor?.hash)) || !last || last.to !== m.anchor.seq || last.lastHash !== m.anchor.hash) {
    throw new Error(`${path.basename(name)} is not a manifest of pruned archives (anchor and last archive disagree)`);
  }
  return m;
}

/** The legal floor: network logs are kept at least six months (《中华人民共和国网络安全法》第二十一条). */
export const MIN_TRAIL_RETENTION_DAYS = 180;

export class TrailPruneError extends Error {}

async function fileSm3(file: string): Promise<string> {
  const hash = createHash('sm3');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function firstEntryAt(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const line = buf.subarray(0, n).toString('utf8').split('\n')[0]!;
    return (JSON.parse(line) as TrailEntry).at;
  } finally {
    fs.closeSync(fd);
  }
}

function writeDurably(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncPath(path.dirname(file));
}

/** Flushes a file, or a directory's entries, to disk. */
function fsyncPath(p: string): void {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Removes whole archives whose last entry is older than `before` — oldest first, contiguous,
 * never the newest archive nor the current file, and only when `before` is at least
 * MIN_TRAIL_RETENTION_DAYS ago — after checking the whole chain. With `moveTo`, each archive
 * is copied there, synced and compared by SM3 before the original is removed. The manifest
 * is written (durably) before any file is touched, so an interrupted prune leaves a chain
 * that still verifies and can be run again to finish.
 */
export async function pruneTrail(file: string, options: { before: Date; now?: Date; moveTo?: string }): Promise<{ pruned: PrunedArchive[]; kept: number }> {
  const now = options.now ?? new Date();
  const floor = now.getTime() - MIN_TRAIL_RETENTION_DAYS * 86_400_000;
  if (!(options.before.getTime() <= floor)) {
    throw new TrailPruneError(`--before must be at least ${MIN_TRAIL_RETENTION_DAYS} days ago (${new Date(floor).toISOString().slice(0, 10)} or earlier): network logs are kept at least six months (《网络安全法》第二十一条)`);
  }
  const check = await scanTrailSet(file);
  if (!check.ok) throw new TrailPruneError(`the trail is broken (${check.problem ?? `at entry ${check.brokenAt}`}); nothing pruned`);
  // the manifest the chain was just verified from
  const manifest = check.manifest ?? { anchor: { seq: 0, hash: GENESIS }, archives: [] };
  const archives = trailArchives(file).filter((a) => a.to > manifest.anchor.seq);
  const chosen: PrunedArchive[] = [];
  const prunedAt = now.toISOString();
  for (const a of archives.slice(0, -1)) {
    const tail = lastEntryOf(a.file);
    if (!tail || Date.parse(tail.at) >= options.before.getTime()) break;
    chosen.push({
      name: path.basename(a.file), from: a.from, to: a.to, firstAt: firstEntryAt(a.file), lastAt: tail.at, lastHash: tail.hash,
      sm3: await fileSm3(a.file), disposition: options.moveTo ? `moved:${path.resolve(options.moveTo)}` : 'deleted', prunedAt,
    });
  }
  // archives a previous, interrupted prune recorded but did not remove
  const leftovers = trailArchives(file).filter((a) => a.to <= manifest.anchor.seq);
  if (chosen.length === 0 && leftovers.length === 0) return { pruned: [], kept: archives.length };
  if (chosen.length > 0) {
    const last = chosen.at(-1)!;
    writeDurably(prunedManifestFile(file), `${JSON.stringify({ anchor: { seq: last.to, hash: last.lastHash }, archives: [...manifest.archives, ...chosen] }, null, 2)}\n`);
  }
  const all = new Map([...manifest.archives, ...chosen].map((a) => [a.name, a]));
  for (const a of [...leftovers.map((l) => path.basename(l.file)), ...chosen.map((c) => c.name)]) {
    const source = path.join(path.dirname(file), a);
    if (!fs.existsSync(source)) continue;
    const record = all.get(a);
    if (options.moveTo) {
      fs.mkdirSync(options.moveTo, { recursive: true });
      const target = path.join(options.moveTo, a);
      if (!fs.existsSync(target)) {
        fs.copyFileSync(source, target, fs.constants.COPYFILE_EXCL);
        fsyncPath(target);
      }
      const copied = await fileSm3(target);
      if (record && copied !== record.sm3) throw new TrailPruneError(`${target} differs from ${a} (SM3); the archive was left in place`);
    }
    fs.rmSync(source);
  }
  fsyncPath(path.dirname(file));
  return { pruned: chosen, kept: archives.length - chosen.length };
}

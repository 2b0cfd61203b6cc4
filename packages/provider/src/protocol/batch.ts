/**
 * MZX1 batch signatures: one signature over the SM3 Merkle root of several canonical
 * strings (requests, or answers), each message carrying its inclusion proof.
 *
 * Why: a signature and its verification cost 10–30× an unsigned loopback round trip. Under
 * load, everything a signer has queued within one event-loop turn is signed together, and a
 * verifier that has already checked a root's signature only recomputes the proof (a few SM3
 * hashes). Each message stays independently verifiable — by anyone, later, from the message,
 * its proof, the signature and the public key — so nothing is lost for non-repudiation.
 * With a single message queued the signer signs the canonical string itself (no proof), as
 * before; a verifier must accept both forms.
 *
 * The tree is RFC 9162 §2.1 (Certificate Transparency v2) with SM3 as the hash:
 *   leaf  = SM3(0x00 ‖ UTF-8(canonical string))
 *   node  = SM3(0x01 ‖ left ‖ right), splitting n leaves at the largest power of two < n
 * The signed statement is the text (LF-separated, no trailing LF):
 *   MZX1-BATCH
 *   <size>                       number of leaves, 2–256
 *   <root>                       lowercase hex Merkle root
 * It cannot be mistaken for a request or answer canonical string (they start MZX1-REQUEST
 * / MZX1-RESPONSE). The proof travels in the header x-mz-batch as
 *   <index>.<size>.<path>        path = the sibling hashes from the leaf up, hex, concatenated
 */
import { hash } from 'node:crypto';

export const BATCH_HEADER = 'x-mz-batch';
export const MAX_BATCH = 256;

export interface BatchProof {
  index: number;
  size: number;
  /** sibling hashes, leaf to root, lowercase hex */
  path: string[];
}

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function leafHash(canonical: string): Buffer {
  return hash('sm3', Buffer.concat([LEAF, Buffer.from(canonical, 'utf8')]), 'buffer');
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return hash('sm3', Buffer.concat([NODE, left, right], 65), 'buffer');
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The Merkle root of the canonical strings and each one's inclusion proof. */
export function merkleBatch(canonicals: readonly string[]): { root: string; proofs: BatchProof[] } {
  const n = canonicals.length;
  if (n < 1 || n > MAX_BATCH) throw new RangeError(`a batch holds 1–${MAX_BATCH} messages, not ${n}`);
  const leaves = canonicals.map(leafHash);
  const paths: Buffer[][] = canonicals.map(() => []);
  const build = (lo: number, hi: number): Buffer => {
    if (hi - lo === 1) return leaves[lo]!;
    const k = largestPowerOfTwoBelow(hi - lo);
    const left = build(lo, lo + k);
    const right = build(lo + k, hi);
    for (let i = lo; i < lo + k; i++) paths[i]!.push(right);
    for (let i = lo + k; i < hi; i++) paths[i]!.push(left);
    return nodeHash(left, right);
  };
  const root = build(0, n).toString('hex');
  return { root, proofs: paths.map((p, index) => ({ index, size: n, path: p.map((h) => h.toString('hex')) })) };
}

/**
 * The root a proof leads to from a canonical string (RFC 9162 §2.1.3.2), or null when the
 * proof is malformed for its index and size (too short, too long, index out of range).
 */
export function rootFromProof(canonical: string, proof: BatchProof): string | null {
  const { index, size, path } = proof;
  if (!Number.isInteger(size) || size < 2 || size > MAX_BATCH || !Number.isInteger(index) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(canonical);
  for (const hex of path) {
    if (sn === 0) return null; // path longer than the tree is high
    const p = Buffer.from(hex, 'hex');
    if (p.length !== 32) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 ? r.toString('hex') : null;
}

export function batchStatement(size: number, root: string): string {
  return `MZX1-BATCH\n${size}\n${root}`;
}

const PROOF_FORMAT = /^(\d{1,3})\.(\d{1,3})\.((?:[0-9a-f]{64}){1,8})$/;

export function encodeBatchProof(p: BatchProof): string {
  return `${p.index}.${p.size}.${p.path.join('')}`;
}

/** Parses the x-mz-batch header value; undefined when absent, null when malformed. */
export function parseBatchProof(value: string | undefined): BatchProof | null | undefined {
  if (value === undefined) return undefined;
  const m = PROOF_FORMAT.exec(value);
  if (!m) return null;
  const path: string[] = [];
  for (let i = 0; i < m[3]!.length; i += 64) path.push(m[3]!.slice(i, i + 64));
  return { index: Number(m[1]), size: Number(m[2]), path };
}

/**
 * The text whose signature proves a canonical string: the string itself without a proof,
 * the batch statement of the root its proof leads to with one (null when the proof is bad).
 */
export function signedTextFor(canonical: string, proof: BatchProof | undefined): string | null {
  if (!proof) return canonical;
  const root = rootFromProof(canonical, proof);
  return root === null ? null : batchStatement(proof.size, root);
}

export interface BatchSignature { signature: string; proof: BatchProof | undefined }

/**
 * Group signing: messages handed to sign() during one event-loop turn are signed together
 * at the next check phase (setImmediate) — one signature for the batch, one proof each. A
 * lone message is signed directly. Nothing waits for a batch to fill: under light load
 * every message is signed alone, one turn later.
 */
export class BatchSigner<K = string> {
  #pending: Array<{ canonical: string; resolve: (s: BatchSignature & { keyId: K }) => void; reject: (e: unknown) => void }> = [];
  #scheduled = false;
  #batches = 0;
  #messages = 0;

  /** `signText` signs a UTF-8 text and says with which key (the key id may change on rotation). */
  constructor(private readonly signText: (text: string) => Promise<{ signature: string; keyId: K }> | { signature: string; keyId: K }, private readonly maxBatch = 64) {
    if (maxBatch < 1 || maxBatch > MAX_BATCH) throw new RangeError(`maxBatch must be 1–${MAX_BATCH}`);
  }

  get stats(): { batches: number; messages: number } {
    return { batches: this.#batches, messages: this.#messages };
  }

  sign(canonical: string): Promise<BatchSignature & { keyId: K }> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ canonical, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.maxBatch);
      this.#batches++;
      this.#messages += batch.length;
      void (async () => {
        try {
          if (batch.length === 1) {
            const s = await this.signText(batch[0]!.canonical);
            batch[0]!.resolve({ signature: s.signature, keyId: s.keyId, proof: undefined });
            return;
          }
          const { root, proofs } = merkleBatch(batch.map((b) => b.canonical));
          const s = await this.signText(batchStatement(batch.length, root));
          batch.forEach((b, i) => b.resolve({ signature: s.signature, keyId: s.keyId, proof: proofs[i] }));
        } catch (e) {
          for (const b of batch) b.reject(e);
        }
      })();
    }
  }
}

/**
 * Remembers signatures over batch statements that verified, so the other messages of the
 * batch cost only their proof. Only successes are kept, keyed by suite, public key,
 * statement and signature — verification is a pure function of these. Bounded (FIFO).
 */
export class VerifiedStatements {
  readonly #seen = new Set<string>();

  constructor(private readonly limit = 4096) {}

  verify(suite: string, publicKey: string, statement: string, signature: string, verify: () => boolean): boolean {
    const key = `${suite}\n${publicKey}\n${signature}\n${statement}`;
    if (this.#seen.has(key)) return true;
    if (!verify()) return false;
    if (this.#seen.size >= this.limit) this.#seen.delete(this.#seen.values().next().value!);
    this.#seen.add(key);
    return true;
  }
}

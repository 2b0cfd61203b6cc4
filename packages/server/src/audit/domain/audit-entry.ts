import { canonicalize } from '@mianzheng/crypto';

/** What a use case states when it records a change. */
export interface AuditInput {
  actorId: string | null;
  actorRole: string | null;
  /** The person an agent or helper acts for, when not the actor. */
  onBehalfOf?: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  /** Required where personal data is involved. */
  purpose?: string | null;
  legalBasis?: string | null;
  /** The change itself; only its digest is chained and stored. */
  change: unknown;
}

export interface ChainedEntry {
  /** Which parallel chain; `seq`, `prevHash` and `hash` are per chain. Not hashed: the links bind an entry to its chain. */
  chain: number;
  seq: number;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  onBehalfOf: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  purpose: string | null;
  legalBasis: string | null;
  changeDigest: string;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Parallel chains: a transaction appends to one of them, so writers rarely wait for each other. */
export const CHAIN_COUNT = 16;

/** The hashed content of an entry: everything but the hash itself (and the chain number), in JCS canonical form. */
export function entryPreimage(e: Omit<ChainedEntry, 'hash' | 'chain'>): string {
  return canonicalize({
    seq: e.seq, at: e.at, actorId: e.actorId, actorRole: e.actorRole, onBehalfOf: e.onBehalfOf, action: e.action,
    subjectType: e.subjectType, subjectId: e.subjectId, purpose: e.purpose, legalBasis: e.legalBasis,
    changeDigest: e.changeDigest, prevHash: e.prevHash,
  });
}

export type BrokenLink = { chain: number; seq: number; reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' };
export interface ChainCheck { ok: boolean; checked: number; firstBroken?: BrokenLink }

/** Recomputes one chain over its entries in sequence order. `hashFn` is the chain hash (SM3). */
export function checkChain(entries: Iterable<ChainedEntry>, hashFn: (s: string) => string, start?: { seq: number; hash: string }): ChainCheck {
  let prev = start?.hash ?? GENESIS_HASH;
  let expectedSeq = (start?.seq ?? 0) + 1;
  let checked = 0;
  for (const e of entries) {
    if (e.seq !== expectedSeq) return { ok: false, checked, firstBroken: { chain: e.chain, seq: e.seq, reason: 'sequence_gap' } };
    if (e.prevHash !== prev) return { ok: false, checked, firstBroken: { chain: e.chain, seq: e.seq, reason: 'prev_hash_mismatch' } };
    const { hash, chain: _chain, ...rest } = e;
    if (hashFn(prev + entryPreimage(rest)) !== hash) return { ok: false, checked, firstBroken: { chain: e.chain, seq: e.seq, reason: 'hash_mismatch' } };
    prev = hash;
    expectedSeq++;
    checked++;
  }
  return { ok: true, checked };
}

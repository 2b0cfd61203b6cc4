import { describe, expect, it } from 'vitest';
import { checkChain, entryPreimage, GENESIS_HASH, type ChainedEntry } from '../../src/audit/domain/audit-entry.ts';
import { sm3Hex } from '../../src/shared/hash.ts';

function chain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = { seq, at: new Date(Date.UTC(2026, 0, seq)).toISOString(), actorId: 'a', actorRole: 'clerk', onBehalfOf: null, action: 'x', subjectType: 's', subjectId: String(seq), purpose: null, legalBasis: null, changeDigest: sm3Hex(String(seq)), prevHash: prev };
    const hash = sm3Hex(prev + entryPreimage(e));
    out.push({ ...e, chain: 0, hash });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('accepts an intact chain', () => expect(checkChain(chain(5), sm3Hex)).toEqual({ ok: true, checked: 5 }));
  it('reports the first entry whose content changed', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, subjectId: 'forged' };
    expect(checkChain(c, sm3Hex)).toEqual({ ok: false, checked: 2, firstBroken: { chain: 0, seq: 3, reason: 'hash_mismatch' } });
  });
  it('reports a removed entry and a relinked chain', () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(checkChain(c, sm3Hex).firstBroken).toEqual({ chain: 0, seq: 3, reason: 'sequence_gap' });
    const d = chain(4);
    d[3] = { ...d[3]!, prevHash: GENESIS_HASH };
    expect(checkChain(d, sm3Hex).firstBroken).toEqual({ chain: 0, seq: 4, reason: 'prev_hash_mismatch' });
  });
});

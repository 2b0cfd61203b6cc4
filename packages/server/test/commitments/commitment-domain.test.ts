import { describe, expect, it } from 'vitest';
import { commitmentText, COMMITMENT_STATEMENTS } from '../../src/commitments/domain/commitment-text.ts';
import { nextCommitmentStatus, type CommitmentEvent, type CommitmentStatus } from '../../src/commitments/domain/commitment-state.ts';
import { commitmentExclusion, samplePostCheck, uniformFromHex } from '../../src/credit/domain/credit-rules.ts';
import { postCheckDigest } from '../../src/credit/use-cases/schedule-post-check.ts';

const input = {
  proofItemName: '婚姻状况证明', legalBasis: '《婚姻登记条例》第五条', issuingDepartmentName: '马鞍山市民政局', acceptingDepartmentName: '马鞍山市民政局',
  serviceItemName: '结婚登记', applicationRef: '340500-20260301-ABCDEFGH', applicantName: '张晓梅', applicantCodeMask: '340503********0021', applicantKind: 'person' as const,
  rule: { conditions: '申请人所填报的婚姻状况真实。', consequence: '如承诺不实，将依法撤销并记入信用记录。', postCheck: { samplingRate: 0.1, withinDays: 90 } }, date: '2026-03-01',
};

describe('告知承诺书 text', () => {
  const text = commitmentText(input);
  it('states everything the 2020 guidance requires the department to tell', () => {
    for (const part of ['婚姻状况证明', '《婚姻登记条例》第五条', '申请人所填报的婚姻状况真实。', '如承诺不实', '核查方式', '90 日内', '10%', '投诉渠道', '12345', '自愿']) expect(text).toContain(part);
  });
  it('has the applicant commit to the four statements, in their name', () => {
    for (const s of COMMITMENT_STATEMENTS) expect(text).toContain(s);
    expect(text).toContain('承诺人：张晓梅');
    expect(text).toContain('340500-20260301-ABCDEFGH');
  });
  it('is deterministic (its digest is what is signed)', () => {
    expect(commitmentText(input)).toBe(text);
  });
});

describe('commitment transitions', () => {
  const allowed: Record<string, CommitmentStatus> = { 'pending_signature/sign': 'signed', 'pending_signature/decline': 'declined', 'signed/find_false': 'found_false' };
  for (const s of ['pending_signature', 'signed', 'declined', 'found_false'] as CommitmentStatus[]) for (const e of ['sign', 'decline', 'find_false'] as CommitmentEvent[]) {
    it(`${s} --${e}--> ${allowed[`${s}/${e}`] ?? 'forbidden'}`, () => expect(nextCommitmentStatus(s, e)).toBe(allowed[`${s}/${e}`]));
  }
});

describe('post-check sampling with seeded randomness', () => {
  it('is reproducible per commitment and close to the item rate over many', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const sampled = ids.filter((id) => samplePostCheck({ commitmentId: id, samplingRate: 0.2, hasCreditHistory: false }, postCheckDigest(id)).sampled).length;
    expect(sampled / ids.length).toBeGreaterThan(0.17);
    expect(sampled / ids.length).toBeLessThan(0.23);
    expect(samplePostCheck({ commitmentId: ids[0]!, samplingRate: 0.2, hasCreditHistory: false }, postCheckDigest(ids[0]!)))
      .toEqual(samplePostCheck({ commitmentId: ids[0]!, samplingRate: 0.2, hasCreditHistory: false }, postCheckDigest(ids[0]!)));
  });
  it('always checks a committer with a credit history', () => {
    expect(samplePostCheck({ commitmentId: 'x', samplingRate: 0.0001, hasCreditHistory: true }, 'f'.repeat(64))).toMatchObject({ sampled: true, reason: 'credit_history' });
  });
  it('maps digests to [0,1)', () => {
    expect(uniformFromHex('0'.repeat(64))).toBe(0);
    expect(uniformFromHex('f'.repeat(64))).toBeLessThan(1);
  });
});

describe('credit exclusion', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  it('withdraws the commitment route while a record is active, and says until when', () => {
    const e = commitmentExclusion([{ status: 'active', validUntil: new Date('2026-12-31T00:00:00Z') }], now);
    expect(e?.reason).toContain('2026-12-31');
  });
  it('not after it expires or is repaired', () => {
    expect(commitmentExclusion([{ status: 'active', validUntil: new Date('2026-01-01T00:00:00Z') }], now)).toBeNull();
    expect(commitmentExclusion([{ status: 'repaired', validUntil: new Date('2026-12-31T00:00:00Z') }], now)).toBeNull();
  });
});

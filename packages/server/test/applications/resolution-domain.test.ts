import { describe, expect, it } from 'vitest';
import { describeResolution, nextMethod, planMaterial, remainingMethods, settledEvent, type ApplicantContext } from '../../src/applications/domain/resolution.ts';
import { dedupeMaterials } from '../../src/applications/domain/bundles.ts';
import { cleanUploadFilename, sniffUploadType } from '../../src/applications/domain/file-type.ts';

const none: ApplicantContext = { commitmentExcluded: null };
const excluded: ApplicantContext = { commitmentExcluded: { reason: '有失信记录', reasonEn: 'credit record' } };
const at = '2026-03-01T00:00:00.000Z';

describe('fallback order', () => {
  it('takes the first method, then the next after a failed attempt, then upload when exhausted', () => {
    expect(nextMethod(['data_sharing', 'commitment'], [], none, at).method).toBe('data_sharing');
    const failed = [{ method: 'data_sharing' as const, outcome: 'unavailable', reason: 'x', reasonEn: 'x', at }];
    expect(nextMethod(['data_sharing', 'commitment'], failed, none, at).method).toBe('commitment');
    const both = [...failed, { method: 'commitment' as const, outcome: 'declined', reason: 'x', reasonEn: 'x', at }];
    expect(nextMethod(['data_sharing', 'commitment'], both, none, at).method).toBe('upload');
  });
  it('skips the commitment route, with the reason, for an applicant with an active credit record', () => {
    const r = nextMethod(['commitment', 'dept_verification'], [], excluded, at);
    expect(r.method).toBe('dept_verification');
    expect(r.skipped).toEqual([expect.objectContaining({ method: 'commitment', outcome: 'skipped', reason: '有失信记录' })]);
    expect(nextMethod(['commitment'], [], excluded, at).method).toBe('upload');
  });
  it('offers the remaining methods and always the upload', () => {
    expect(remainingMethods(['data_sharing', 'commitment'], [], 'data_sharing', none)).toEqual(['commitment', 'upload']);
    expect(remainingMethods(['data_sharing', 'commitment'], [], 'data_sharing', excluded)).toEqual(['upload']);
    expect(remainingMethods(['retained'], [], 'retained', none)).toEqual([]);
  });
  it('never replaces a fact the issuing department denied by a commitment', () => {
    const denied = [
      { method: 'dept_verification' as const, outcome: 'awaiting', reason: 'x', reasonEn: 'x', at },
      { method: 'dept_verification' as const, outcome: 'denied', reason: '不属实', reasonEn: 'denied', at },
    ];
    const r = nextMethod(['dept_verification', 'commitment'], denied, none, at);
    expect(r.method).toBe('upload');
    expect(r.skipped).toEqual([expect.objectContaining({ method: 'commitment', outcome: 'skipped', reason: expect.stringContaining('不属实') })]);
    expect(remainingMethods(['dept_verification', 'commitment'], denied, 'dept_verification', none)).toEqual(['upload']);
    // an unanswered (or unavailable) verification still falls back to the commitment
    expect(nextMethod(['dept_verification', 'commitment'], [{ ...denied[0]!, outcome: 'unavailable' }], none, at).method).toBe('commitment');
  });
});

describe('what the applicant reads', () => {
  const proof = { name: '婚姻状况证明', methods: ['data_sharing', 'commitment'] as const, legalBasis: '《婚姻登记条例》第五条', issuingDepartmentName: '马鞍山市民政局' };
  it('says nothing to provide, what we will do, the legal basis and the fallbacks', () => {
    const p = planMaterial({ ...proof, methods: [...proof.methods] }, none, at);
    expect(p).toMatchObject({ method: 'data_sharing', mustProvide: false });
    expect(p.explanation).toContain('无需提交');
    expect(p.explanation).toContain('马鞍山市民政局');
    expect(p.explanation).toContain('《婚姻登记条例》第五条');
    expect(p.explanation).toContain('告知承诺');
  });
  it('says please upload for a retained proof', () => {
    const p = planMaterial({ name: 'x', methods: ['retained'], legalBasis: '某法第一条', issuingDepartmentName: 'd' }, none, at);
    expect(p).toMatchObject({ method: 'retained', mustProvide: true });
    expect(p.explanation).toContain('请上传');
  });
  it('tells why the commitment route is not offered', () => {
    const p = planMaterial({ name: 'x', methods: ['commitment'], legalBasis: 'b', issuingDepartmentName: 'd' }, excluded, at);
    expect(p.mustProvide).toBe(true);
    expect(p.explanation).toContain('有失信记录');
  });
  it('names every fallback in the current state', () => {
    const d = describeResolution({ ...proof, methods: [...proof.methods] }, 'commitment', 'awaiting_signature', [
      { method: 'data_sharing', outcome: 'unavailable', reason: '提供部门无响应', reasonEn: 'no answer', at },
    ]);
    expect(d.zh).toContain('数据共享未能使用：提供部门无响应');
  });
  it('waits while any material awaits, else is resolved', () => {
    expect(settledEvent(['satisfied', 'awaiting_signature'])).toBe('wait');
    expect(settledEvent(['satisfied', 'failed'])).toBe('resolved');
    expect(settledEvent([])).toBe('resolved');
  });
});

describe('bundles', () => {
  it('de-duplicates proofs across items and keeps every place that needs them', () => {
    const d = dedupeMaterials([
      { code: 'A', materials: [{ id: 'A1', name: '表', proofItemId: null }, { id: 'A2', name: '户口', proofItemId: 'P1' }, { id: 'A3', name: '婚姻', proofItemId: 'P2' }] },
      { code: 'B', materials: [{ id: 'B1', name: '表', proofItemId: null }, { id: 'B2', name: '户口', proofItemId: 'P1' }] },
    ]);
    expect(d.uniqueProofs).toBe(2);
    expect(d.totalProofMaterials).toBe(3);
    expect(d.proofs.get('P1')).toHaveLength(2);
    expect(d.forms).toHaveLength(2);
  });
});

describe('upload type sniffing', () => {
  it('recognises PDF, JPEG, PNG and OFD by their bytes and refuses others', () => {
    expect(sniffUploadType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffUploadType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0]))).toBe('image/jpeg');
    expect(sniffUploadType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffUploadType(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('....OFD.xml....')]))).toBe('application/ofd');
    expect(sniffUploadType(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('word/document.xml')]))).toBeUndefined();
    expect(sniffUploadType(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffUploadType(Buffer.from('hello.pdf'))).toBeUndefined();
  });
  it('stores a file name without its path, control characters or a cut surrogate pair', () => {
    expect(cleanUploadFilename('C:\\fakepath\\身份证.pdf')).toBe('身份证.pdf');
    expect(cleanUploadFilename('../../etc/x.pdf')).toBe('x.pdf');
    expect(cleanUploadFilename('a\u0000b\r\nc.pdf')).toBe('abc.pdf');
    expect(cleanUploadFilename('\u0000 ')).toBe('upload');
    const long = cleanUploadFilename('a' + '😀'.repeat(300));
    expect([...long]).toHaveLength(200);
    expect(Buffer.from(long).toString()).toBe(long); // no lone surrogate (it would not survive UTF-8)
  });
});

import { describe, expect, it } from 'vitest';
import { checkProofItemRules, defaultCommitmentRule, type ProofItemFields } from '../../src/catalog/domain/proof-item.ts';
import { diffCatalog, type ComparableProofItem } from '../../src/catalog/domain/changelog.ts';
import { explainMaterial } from '../../src/catalog/domain/explanation.ts';
import { TextIndex, normaliseQuery } from '../../src/catalog/search/text-index.ts';
import { regionWithin } from '../../src/identity/domain/roles.ts';

const base: ProofItemFields = {
  name: '婚姻状况证明', issuingDepartmentId: 'mas-mz', regionCode: '340500', legalBasis: '《婚姻登记条例》第五条',
  methods: ['data_sharing'], riskCategory: null, commitment: null, notes: '',
};
const codes = (p: Partial<ProofItemFields>) => checkProofItemRules({ ...base, ...p }).map((v) => v.code);

describe('catalog rules (DOMAIN.md)', () => {
  it('accepts a well-formed item', () => expect(codes({})).toEqual([]));
  it('needs a name that is not only white space', () => {
    expect(codes({ name: ' \u3000 ' })).toEqual(['CATALOG.NAME_REQUIRED']);
  });
  it('a name is at most 200 characters, counted as characters (not UTF-16 units)', () => {
    expect(codes({ name: '证'.repeat(200) })).toEqual([]);
    expect(codes({ name: '𠀀'.repeat(200) })).toEqual([]);
    expect(codes({ name: '证'.repeat(201) })).toEqual(['CATALOG.NAME_TOO_LONG']);
  });
  it('a retained proof needs a legal basis', () => {
    expect(codes({ methods: ['retained'], legalBasis: '  ' })).toEqual(['CATALOG.LEGAL_BASIS_REQUIRED']);
    expect(codes({ methods: ['retained'] })).toEqual([]);
  });
  it('needs at least one method, from the fixed set, without duplicates', () => {
    expect(codes({ methods: [] })).toEqual(['CATALOG.METHOD_REQUIRED']);
    expect(codes({ methods: ['paper' as never] })).toContain('REQUEST.INVALID');
    expect(codes({ methods: ['data_sharing', 'data_sharing'] })).toEqual(['CATALOG.METHOD_CONFLICT']);
  });
  it('a cancelled proof takes no other method', () => {
    expect(codes({ methods: ['cancelled', 'commitment'], commitment: defaultCommitmentRule('x') })).toEqual(['CATALOG.METHOD_CONFLICT']);
  });
  it('commitment is refused for the excluded categories', () => {
    expect(codes({ methods: ['commitment'], commitment: defaultCommitmentRule('x'), riskCategory: 'personal_health' })).toEqual(['CATALOG.COMMITMENT_EXCLUDED']);
    expect(codes({ methods: ['data_sharing'], riskCategory: 'personal_health' })).toEqual([]);
  });
  it('commitment needs conditions, consequence and a post-check rule', () => {
    expect(codes({ methods: ['commitment'] })).toEqual(['CATALOG.COMMITMENT_RULE_REQUIRED']);
    expect(codes({ methods: ['commitment'], commitment: { ...defaultCommitmentRule('x'), postCheck: { samplingRate: 0, withinDays: 90 } } })).toEqual(['CATALOG.COMMITMENT_RULE_REQUIRED']);
    expect(codes({ methods: ['commitment'], commitment: { ...defaultCommitmentRule('x'), consequence: '' } })).toEqual(['CATALOG.COMMITMENT_RULE_REQUIRED']);
    expect(codes({ methods: ['commitment'], commitment: defaultCommitmentRule('x') })).toEqual([]);
  });
});

describe('changelog between two versions', () => {
  const item = (id: string, o: Partial<ComparableProofItem> = {}): ComparableProofItem => ({
    id, name: `证明${id}`, issuingDepartmentName: '马鞍山市民政局', legalBasis: '依据', methods: ['data_sharing'], notes: '', commitment: null, regionCode: '340500', ...o,
  });
  it('reports added, removed, method and legal basis changes and other changes', () => {
    const from = [item('1'), item('2'), item('3'), item('4')];
    const to = [item('1'), item('3', { methods: ['cancelled'] }), item('4', { legalBasis: '新依据', notes: '备注' }), item('5')];
    const entries = diffCatalog(from, to);
    expect(entries.map((e) => [e.kind, e.proofItemId])).toEqual([
      ['added', '5'], ['removed', '2'], ['method_changed', '3'], ['legal_basis_changed', '4'], ['changed', '4'],
    ]);
    expect(entries.find((e) => e.kind === 'method_changed')).toMatchObject({ before: { methods: ['data_sharing'] }, after: { methods: ['cancelled'] } });
    expect(entries.find((e) => e.kind === 'changed')?.fields).toEqual(['notes']);
  });
  it('is empty between equal lists', () => expect(diffCatalog([item('1')], [item('1')])).toEqual([]));
});

describe('material explanation', () => {
  it('says why nothing needs to be provided, or why it does', () => {
    expect(explainMaterial({ methods: ['data_sharing'], legalBasis: 'x', issuingDepartmentName: '马鞍山市民政局' })).toMatchObject({ mustProvide: false, method: 'data_sharing' });
    expect(explainMaterial({ methods: ['data_sharing'], legalBasis: 'x', issuingDepartmentName: '马鞍山市民政局' }).explanation).toContain('马鞍山市民政局');
    expect(explainMaterial({ methods: ['retained'], legalBasis: '《条例》第一条', issuingDepartmentName: 'A' })).toMatchObject({ mustProvide: true });
    expect(explainMaterial({ methods: ['retained'], legalBasis: '《条例》第一条', issuingDepartmentName: 'A' }).explanation).toContain('《条例》第一条');
    expect(explainMaterial(null)).toMatchObject({ mustProvide: true, method: 'form' });
  });
});

describe('text index', () => {
  const names = ['无犯罪记录证明', '户籍证明/户口簿', '犯罪记录查询', '婚姻状况证明', '无房证明'];
  const idx = new TextIndex(names.map((name, ref) => ({ ref, name, context: ref === 1 ? '马鞍山市公安局 马鞍山市' : '铜陵市 铜陵市公安局' })));
  it('finds partial words and ranks exact and prefix matches first', () => {
    expect(idx.search(['无犯罪']).map((h) => names[h.ref])).toEqual(['无犯罪记录证明']);
    expect(idx.search(['犯罪记录']).map((h) => names[h.ref])).toEqual(['犯罪记录查询', '无犯罪记录证明']);
    expect(idx.search(['无房证明']).map((h) => names[h.ref])[0]).toBe('无房证明');
  });
  it('requires every term, in the name or in the department and region', () => {
    expect(idx.search(normaliseQuery('马鞍山 户籍')).map((h) => names[h.ref])).toEqual(['户籍证明/户口簿']);
    expect(idx.search(normaliseQuery('铜陵 户籍'))).toEqual([]);
  });
  it('normalises full-width input and ignores empty queries', () => {
    expect(normaliseQuery('  无犯罪　 马鞍山 ')).toEqual(['无犯罪', '马鞍山']);
    expect(idx.search([])).toEqual([]);
  });
});

describe('region scoping', () => {
  it('a province covers its cities and districts; a city its districts', () => {
    expect(regionWithin('340503', '340000')).toBe(true);
    expect(regionWithin('340503', '340500')).toBe(true);
    expect(regionWithin('340700', '340500')).toBe(false);
    expect(regionWithin('340500', '340503')).toBe(false);
  });
});

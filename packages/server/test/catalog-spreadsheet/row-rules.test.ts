import { describe, expect, it } from 'vitest';
import { checkRowRules } from '../../src/catalog/spreadsheet/row-rules.ts';
import type { SheetRow } from '../../src/catalog/spreadsheet/types.ts';

function buildRow(overrides: Partial<SheetRow> = {}): SheetRow {
  return {
    row: 7, name: '企业无欠税证明', issuingDepartment: '国家税务总局马鞍山市税务局', legalBasis: '《中华人民共和国税收征收管理法》第四十六条',
    methods: ['dept_verification'], serviceItems: ['企业注销登记'], ...overrides,
  };
}

describe('checkRowRules', () => {
  it('accepts a retained proof with a legal basis and any method without one', () => {
    expect(checkRowRules(buildRow({ methods: ['retained'] }))).toEqual([]);
    expect(checkRowRules(buildRow({ methods: ['cancelled'], legalBasis: '' }))).toEqual([]);
  });

  it('rejects a retained proof without a legal basis, in the file’s own column name', () => {
    const errors = checkRowRules(buildRow({ methods: ['retained', 'commitment'], legalBasis: ' \n ' }), { legalBasis: '法律依据' });
    expect(errors).toEqual([{
      row: 7, column: '法律依据', code: 'CATALOG.LEGAL_BASIS_REQUIRED',
      reason: '保留的证明事项必须填写“法律依据”', reasonEn: 'A retained proof needs a legal basis in "法律依据"',
    }]);
  });

  it('rejects a method outside the fixed set', () => {
    const errors = checkRowRules({ row: 3, legalBasis: '', methods: ['data_sharing', 'fax'] });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ row: 3, column: '免提交方式', code: 'IMPORT.UNKNOWN_METHOD' });
    expect(errors[0]?.reason).toContain('“fax”');
  });
});

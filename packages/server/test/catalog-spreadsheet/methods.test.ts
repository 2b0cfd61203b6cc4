import { describe, expect, it } from 'vitest';
import { methodLabel, parseMethods } from '../../src/catalog/spreadsheet/methods.ts';
import { METHODS, type ExemptionMethod } from '../../src/catalog/spreadsheet/types.ts';

const WORDINGS: Array<[string, ExemptionMethod]> = [
  ['直接取消', 'cancelled'], ['取消', 'cancelled'], ['不再提交', 'cancelled'], ['免于提交', 'cancelled'],
  ['数据共享', 'data_sharing'], ['部门间信息共享', 'data_sharing'], ['信息共享', 'data_sharing'], ['共享核验', 'data_sharing'],
  ['电子证照', 'e_license'], ['亮证', 'e_license'], ['亮码', 'e_license'], ['电子证照调用', 'e_license'],
  ['部门核验', 'dept_verification'], ['部门间核验', 'dept_verification'], ['协查核验', 'dept_verification'], ['核查', 'dept_verification'],
  ['告知承诺', 'commitment'], ['告知承诺制', 'commitment'], ['承诺制', 'commitment'], ['个人承诺', 'commitment'],
  ['在线开具', 'online_issue'], ['网上开具', 'online_issue'], ['自助开具', 'online_issue'],
  ['保留', 'retained'], ['保留证明', 'retained'], ['仍需提交', 'retained'], ['继续保留', 'retained'],
];

describe('parseMethods', () => {
  it.each(WORDINGS)('reads %s as %s', (text, code) => {
    expect(parseMethods(text)).toEqual({ methods: [code], unknown: [] });
  });

  it.each(METHODS.map((m) => [m]))('reads the code %s itself, in any case', (m) => {
    expect(parseMethods(m).methods).toEqual([m]);
    expect(parseMethods(m.toUpperCase()).methods).toEqual([m]);
  });

  it('reads the labels the writer uses', () => {
    for (const m of METHODS) expect(parseMethods(methodLabel(m)).methods).toEqual([m]);
  });

  it.each([
    ['数据共享、告知承诺'], ['数据共享，告知承诺'], ['数据共享,告知承诺'], ['数据共享;告知承诺'], ['数据共享；告知承诺'],
    ['数据共享/告知承诺'], ['数据共享|告知承诺'], ['数据共享或告知承诺'], ['数据共享\n告知承诺'], ['数据共享 告知承诺'],
    ['数据共享／告知承诺'], ['1.数据共享；2.告知承诺'], ['①数据共享②告知承诺'], ['数据共享和告知承诺'],
  ])('splits %j into two methods', (text) => {
    expect(parseMethods(text)).toEqual({ methods: ['data_sharing', 'commitment'], unknown: [] });
  });

  it('folds full-width text and ignores stray spaces inside a wording', () => {
    expect(parseMethods('　数据 共享　').methods).toEqual(['data_sharing']);
    expect(parseMethods('ｅ＿ｌｉｃｅｎｓｅ').methods).toEqual(['e_license']);
  });

  it('ignores bracketed remarks and wrappers around a wording', () => {
    expect(parseMethods('数据共享（人口库、婚姻库）').methods).toEqual(['data_sharing']);
    expect(parseMethods('保留(仍需提交)').methods).toEqual(['retained']);
    expect(parseMethods('通过部门间信息共享获取').methods).toEqual(['data_sharing']);
    expect(parseMethods('采用告知承诺方式').methods).toEqual(['commitment']);
  });

  it('removes duplicates and keeps the order written', () => {
    expect(parseMethods('亮证/亮码、电子证照、告知承诺').methods).toEqual(['e_license', 'commitment']);
    expect(parseMethods('告知承诺、数据共享').methods).toEqual(['commitment', 'data_sharing']);
  });

  it('reports unknown wordings as written, next to the known ones', () => {
    expect(parseMethods('数据共享、人工审核')).toEqual({ methods: ['data_sharing'], unknown: ['人工审核'] });
    expect(parseMethods('待定')).toEqual({ methods: [], unknown: ['待定'] });
  });

  it('gives nothing for an empty cell', () => {
    expect(parseMethods('  ')).toEqual({ methods: [], unknown: [] });
  });
});

describe('methodLabel', () => {
  it('labels every method as the published lists do', () => {
    expect(METHODS.map(methodLabel)).toEqual(['直接取消', '数据共享', '电子证照', '部门核验', '告知承诺', '在线开具', '保留']);
  });
});

import { describe, expect, it } from 'vitest';
import { charCount, cleanMultiline, cleanText, matchKey, splitList } from '../../src/catalog/spreadsheet/normalise.ts';

describe('cleanText', () => {
  it('folds full-width Latin letters and digits', () => {
    expect(cleanText('ＡＢＣ１２３')).toBe('ABC123');
    expect(cleanText('ｅ＿ｌｉｃｅｎｓｅ')).toBe('e_license');
  });

  it('drops stray, ideographic and no-break spaces next to Chinese text and collapses the rest', () => {
    expect(cleanText('  马鞍山市\u3000公安局 ')).toBe('马鞍山市公安局');
    expect(cleanText('马鞍山市\u00A0\u00A0 公安局')).toBe('马鞍山市公安局');
    expect(cleanText('《中华人民共和国户口登记条例》 第 十 条')).toBe('《中华人民共和国户口登记条例》第十条');
    expect(cleanText('Public\u00A0  Security\tBureau')).toBe('Public Security Bureau');
  });

  it('keeps one space between Latin letters or digits and Chinese, as written (an export imports back the same name)', () => {
    expect(cleanText('ICP 备案')).toBe('ICP 备案');
    expect(cleanText('ICP备案')).toBe('ICP备案');
    expect(cleanText('ICP\u3000\u3000备案 核验')).toBe('ICP 备案核验');
    expect(cleanText('GB/T 2260 标准')).toBe('GB/T 2260 标准');
    for (const s of ['ICP 备案', '第 10 条', 'GB/T 2260 标准']) expect(cleanText(cleanText(s))).toBe(cleanText(s));
  });

  it('treats a line break inside a one-line cell as a space', () => {
    expect(cleanText('无犯罪\n记录证明')).toBe('无犯罪记录证明');
    expect(cleanText('证明\r\n名称')).toBe('证明名称');
    expect(cleanText('GB/T\n2260')).toBe('GB/T 2260');
  });

  it('removes zero-width characters and BOMs', () => {
    expect(cleanText('\uFEFF婚姻\u200B状况证明\u200D')).toBe('婚姻状况证明');
  });

  it('gives parentheses one form: full-width in Chinese text, ASCII otherwise', () => {
    expect(cleanText('户籍证明(户口簿)')).toBe('户籍证明（户口簿）');
    expect(cleanText('户籍证明（户口簿）')).toBe('户籍证明（户口簿）');
    expect(cleanText('户籍证明 ( 户口簿 )')).toBe('户籍证明（户口簿）');
    expect(cleanText('Form （A）')).toBe('Form (A)');
  });

  it('keeps the Chinese punctuation NFKC would turn into ASCII', () => {
    expect(cleanText('第十条，第十一条；第十二条：适用！？')).toBe('第十条，第十一条；第十二条：适用！？');
    expect(cleanText('详见…')).toBe('详见…');
  });

  it('maps Kangxi-radical look-alikes (from PDF copy-paste) to the ordinary characters', () => {
    expect(cleanText('\u2F08\u2F12资源和社会保障局')).toBe('人力资源和社会保障局');
  });

  it('returns plain Chinese text unchanged', () => {
    expect(cleanText('马鞍山市公安局')).toBe('马鞍山市公安局');
    expect(cleanText('')).toBe('');
  });
});

describe('cleanMultiline', () => {
  it('keeps one line per basis, drops empty lines, cleans each line', () => {
    expect(cleanMultiline('《婚姻登记条例》第五条\r\n\r\n  《中华人民共和国民法典》 第一千零四十五条 \n')).toBe(
      '《婚姻登记条例》第五条\n《中华人民共和国民法典》第一千零四十五条',
    );
  });
});

describe('matchKey', () => {
  it('equates the full-width and ASCII forms, spaces and case', () => {
    expect(matchKey('户籍证明(户口簿)')).toBe(matchKey('户籍证明（户口簿）'));
    expect(matchKey('Ａ，Ｂ 证明')).toBe(matchKey('a,b证明'));
    expect(matchKey('马鞍山市 公安局')).toBe(matchKey('马鞍山市公安局'));
    expect(matchKey('无犯罪记录证明')).not.toBe(matchKey('无犯罪证明'));
  });
});

describe('splitList', () => {
  it('splits on 、；;，, and line breaks', () => {
    expect(splitList('户口迁移、婚姻登记；社保卡申领;居住证申领，生育登记,出生登记\n死亡注销')).toEqual([
      '户口迁移', '婚姻登记', '社保卡申领', '居住证申领', '生育登记', '出生登记', '死亡注销',
    ]);
  });

  it('drops list numbering, a trailing 。 and the closing 等, and duplicates', () => {
    expect(splitList('1.户口迁移；2、婚姻登记\n（3）居住证申领\n④ 教师资格认定等。')).toEqual([
      '户口迁移', '婚姻登记', '居住证申领', '教师资格认定',
    ]);
    expect(splitList('户口迁移、户口迁移 、 婚姻登记等事项')).toEqual(['户口迁移', '婚姻登记']);
  });

  it('keeps numbers that are part of a name and full-width separators', () => {
    expect(splitList('第1类医疗器械备案，2024年度补贴申领')).toEqual(['第1类医疗器械备案', '2024年度补贴申领']);
    expect(splitList('户口迁移，婚姻登记')).toEqual(['户口迁移', '婚姻登记']);
  });

  it('gives an empty list for an empty cell', () => {
    expect(splitList('')).toEqual([]);
    expect(splitList(' \n ')).toEqual([]);
  });
});

describe('charCount', () => {
  it('counts characters outside the BMP once', () => {
    expect(charCount('𠀀证明')).toBe(3);
  });
});

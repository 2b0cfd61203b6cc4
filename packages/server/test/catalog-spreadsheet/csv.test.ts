import { describe, expect, it } from 'vitest';
import { decodeText, parseDelimited } from '../../src/catalog/spreadsheet/csv.ts';
import { parseCatalogSpreadsheet } from '../../src/catalog/spreadsheet/parse-catalog-spreadsheet.ts';
import { HEADER, csvText, gbkEncode } from './helpers.ts';

const ROWS = [
  ['马鞍山市保留证明事项清单（2024年版）'],
  HEADER,
  ['1', '无犯罪记录证明', '马鞍山市公安局', '《公安机关办理犯罪记录查询工作规定》第二条', '部门核验、告知承诺', '教师资格认定、保安员证核发'],
  ['2', '婚姻状况证明', '马鞍山市民政局', '《婚姻登记条例》第五条', '数据共享', '公共租赁住房资格审核'],
];

const EXPECTED = [
  {
    row: 3, seq: '1', name: '无犯罪记录证明', issuingDepartment: '马鞍山市公安局', legalBasis: '《公安机关办理犯罪记录查询工作规定》第二条',
    methods: ['dept_verification', 'commitment'], serviceItems: ['教师资格认定', '保安员证核发'],
  },
  {
    row: 4, seq: '2', name: '婚姻状况证明', issuingDepartment: '马鞍山市民政局', legalBasis: '《婚姻登记条例》第五条',
    methods: ['data_sharing'], serviceItems: ['公共租赁住房资格审核'],
  },
];

describe('decodeText', () => {
  it('reads UTF-8 with and without a BOM', () => {
    expect(decodeText(Buffer.from('\uFEFF证明名称', 'utf8'))).toEqual({ text: '证明名称', encoding: 'utf-8' });
    expect(decodeText(Buffer.from('证明名称', 'utf8'))).toEqual({ text: '证明名称', encoding: 'utf-8' });
  });

  it('reads GB18030/GBK when the bytes are not UTF-8', () => {
    const bytes = gbkEncode('证明名称,开具单位');
    expect(bytes.toString('hex')).toBe('d6a4c3f7c3fbb3c62cbfaabedfb5a5cebb');
    expect(decodeText(bytes)).toEqual({ text: '证明名称,开具单位', encoding: 'gb18030' });
  });

  it('reads UTF-16 with a BOM (Excel "Unicode text")', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('证明\t名称', 'utf16le')]);
    expect(decodeText(le).text).toBe('证明\t名称');
  });
});

describe('parseDelimited', () => {
  it('reads quoted fields with commas, quotes and line breaks, numbering records as Excel does', () => {
    const text = 'a,"b,c","say ""hi"""\r\n"line\r\none",x,\n\nlast,"",y';
    expect([...parseDelimited(text)]).toEqual([
      { row: 1, cells: ['a', 'b,c', 'say "hi"'] },
      { row: 2, cells: ['line\r\none', 'x', ''] },
      { row: 3, cells: [''] },
      { row: 4, cells: ['last', '', 'y'] },
    ]);
  });

  it('accepts CR-only line ends and a missing final line break', () => {
    expect([...parseDelimited('a,b\rc,d')]).toEqual([{ row: 1, cells: ['a', 'b'] }, { row: 2, cells: ['c', 'd'] }]);
  });

  it('takes an unterminated quote to the end of the text', () => {
    expect([...parseDelimited('a,"open\nstill')]).toEqual([{ row: 1, cells: ['a', 'open\nstill'] }]);
  });

  it('detects tab-separated text', () => {
    expect([...parseDelimited('证明名称\t开具单位\n无犯罪记录证明\t公安局, 派出所\n')]).toEqual([
      { row: 1, cells: ['证明名称', '开具单位'] },
      { row: 2, cells: ['无犯罪记录证明', '公安局, 派出所'] },
    ]);
  });
});

describe('parseCatalogSpreadsheet with CSV', () => {
  it('reads UTF-8 with BOM, a title row above the header', async () => {
    const res = await parseCatalogSpreadsheet(Buffer.from(`\uFEFF${csvText(ROWS)}`, 'utf8'), '清单.csv');
    expect(res.errors).toEqual([]);
    expect(res.rows).toStrictEqual(EXPECTED);
    expect(res.headerRow).toBe(2);
    expect(res.sheetName).toBe('清单');
  });

  it('reads UTF-8 without BOM and LF line ends', async () => {
    const res = await parseCatalogSpreadsheet(Buffer.from(csvText(ROWS, '\n'), 'utf8'), 'list.csv');
    expect(res.rows).toStrictEqual(EXPECTED);
  });

  it('reads GB18030/GBK as saved by Excel on Chinese Windows', async () => {
    const res = await parseCatalogSpreadsheet(gbkEncode(csvText(ROWS)), '清单.csv');
    expect(res.errors).toEqual([]);
    expect(res.rows).toStrictEqual(EXPECTED);
  });

  it('reads quoted cells holding commas and line breaks', async () => {
    const rows = [
      HEADER,
      ['1', '亲属关系证明', '马鞍山市公安局', '《中华人民共和国民法典》第一千零四十五条\n《中华人民共和国户口登记条例》第四条', '数据共享,告知承诺', '遗属待遇申领,住房公积金提取\n不动产继承登记'],
    ];
    const res = await parseCatalogSpreadsheet(Buffer.from(csvText(rows), 'utf8'), 'a.csv');
    expect(res.errors).toEqual([]);
    expect(res.rows[0]).toMatchObject({
      row: 2,
      legalBasis: '《中华人民共和国民法典》第一千零四十五条\n《中华人民共和国户口登记条例》第四条',
      methods: ['data_sharing', 'commitment'],
      serviceItems: ['遗属待遇申领', '住房公积金提取', '不动产继承登记'],
    });
  });

  it('counts rows as records, not lines, when quoted cells span lines', async () => {
    const rows = [
      HEADER,
      ['1', '无犯罪记录证明', '马鞍山市公安局', '第一行\n第二行\n第三行', '告知承诺', ''],
      ['2', '婚姻状况证明', '', '', '数据共享', ''],
    ];
    const res = await parseCatalogSpreadsheet(Buffer.from(csvText(rows), 'utf8'), 'a.csv');
    expect(res.rows.map((r) => r.row)).toEqual([2, 3]);
    expect(res.errors).toEqual([expect.objectContaining({ row: 3, column: '开具单位', code: 'IMPORT.REQUIRED' })]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseSheets } from '../../src/catalog/spreadsheet/parse-catalog-spreadsheet.ts';
import { readXlsxWithExcelJs } from '../../src/catalog/spreadsheet/xlsx-reader.ts';
import { readXlsxFast } from '../../src/catalog/spreadsheet/xlsx-fast-reader.ts';
import type { ParseResult } from '../../src/catalog/spreadsheet/types.ts';
import { HEADER, xlsx, xlsxOf } from './helpers.ts';

/** Every case runs through both xlsx readers: the fast one and the exceljs fallback. */
const READERS: Array<[string, (data: Buffer) => Promise<ParseResult>]> = [
  ['fast reader', async (data) => parseSheets(readXlsxFast(data))],
  ['exceljs reader', async (data) => parseSheets(await readXlsxWithExcelJs(data, 'a.xlsx'))],
];

const ROW_A = ['1', '无犯罪记录证明', '马鞍山市公安局', '《公安机关办理犯罪记录查询工作规定》第二条', '告知承诺', '教师资格认定'];
const ROW_B = ['2', '婚姻状况证明', '马鞍山市民政局', '《婚姻登记条例》第五条', '数据共享', '公共租赁住房资格审核'];

describe.each(READERS)('.xlsx layout, %s', (_label, parse) => {
  it('finds the header under a merged title row and a version line', async () => {
    const data = await xlsx((wb) => {
      const ws = wb.addWorksheet('2024年清单');
      ws.getCell('A1').value = '马鞍山市保留证明事项清单（2024年版）';
      ws.mergeCells('A1:F1');
      ws.getCell('A2').value = '填报单位：马鞍山市司法局';
      ws.getCell('E2').value = '2024年6月1日';
      ws.mergeCells('A2:D2');
      ws.addRow(HEADER);
      ws.addRow(ROW_A);
      ws.addRow(ROW_B);
    });
    const res = await parse(data);
    expect(res.errors).toEqual([]);
    expect(res.headerRow).toBe(3);
    expect(res.sheetName).toBe('2024年清单');
    expect(res.rows.map((r) => [r.row, r.name])).toEqual([[4, '无犯罪记录证明'], [5, '婚姻状况证明']]);
    expect(res.columns).toEqual({
      seq: '序号', name: '证明名称', issuingDepartment: '开具单位', legalBasis: '设定依据', methods: '免提交方式', serviceItems: '适用事项',
    });
  });

  it('finds a header made of synonyms, with line breaks, stars and remarks in the header cells, in any column order', async () => {
    const data = await xlsxOf([
      ['铜陵市证明事项告知承诺制清单'],
      [],
      ['事项编码', '*证明事项\n名称', '证明开具单位', '法律依据', '替代方式（直接取消/数据共享/告知承诺等）', '涉及事项', '地区', '实施部门', '说明', '序 号'],
      ['ZM-001', '居民就业状况证明', '铜陵市人力资源和社会保障局', '《中华人民共和国就业促进法》第三十五条', '部门间信息共享', '失业保险金申领', '340700', '铜陵市民政局', '全市通办', '1'],
    ]);
    const res = await parse(data);
    expect(res.errors).toEqual([]);
    expect(res.headerRow).toBe(3);
    expect(res.columns).toMatchObject({ name: '*证明事项名称', methods: '替代方式（直接取消/数据共享/告知承诺等）', region: '地区', code: '事项编码', seq: '序号' });
    expect(res.rows).toStrictEqual([{
      row: 4, seq: '1', code: 'ZM-001', name: '居民就业状况证明', issuingDepartment: '铜陵市人力资源和社会保障局',
      legalBasis: '《中华人民共和国就业促进法》第三十五条', methods: ['data_sharing'], serviceItems: ['失业保险金申领'],
      region: '340700', acceptingDepartment: '铜陵市民政局', notes: '全市通办',
    }]);
  });

  it('skips note rows below the data (注：, 备注：, 说明：, 填表说明) and their continuation lines, without errors', async () => {
    const data = await xlsx((wb) => {
      const ws = wb.addWorksheet('清单');
      ws.addRow(HEADER);
      ws.addRow(ROW_A);
      ws.addRow(ROW_B);
      ws.addRow([]);
      ws.addRow(['注：1. 本清单自公布之日起施行。']);
      ws.mergeCells('A5:F5');
      ws.addRow(['2. 清单实行动态调整。']);
      ws.addRow(['备注：告知承诺书格式全市统一。']);
      ws.addRow(['说明:“数据共享”指通过省大数据平台查询。']);
      ws.addRow(['填表说明']);
      ws.addRow(['1', '表中“开具单位”填写全称', '', '', '', '']);
      ws.addRow(['制表人：张三', '', '审核人：李四']);
    });
    const res = await parse(data);
    expect(res.errors).toEqual([]);
    expect(res.rows.map((r) => r.name)).toEqual(['无犯罪记录证明', '婚姻状况证明']);
  });

  it('reads data again after a note line that sits between data rows', async () => {
    const res = await parse(await xlsxOf([HEADER, ROW_A, ['注：以下为2024年新增事项'], ROW_B]));
    expect(res.errors).toEqual([]);
    expect(res.rows.map((r) => r.row)).toEqual([2, 4]);
  });

  it('skips empty rows anywhere: above the title, between title and header, inside and after the data', async () => {
    const data = await xlsx((wb) => {
      const ws = wb.addWorksheet('清单');
      ws.getCell('B3').value = '池州市证明事项清单';
      ws.getRow(5).values = HEADER;
      ws.getRow(6).values = ['', '', '', '', '', ''];
      ws.getRow(7).values = ROW_A;
      ws.getRow(9).getCell(2).value = '   ';
      ws.getRow(12).values = ROW_B;
      ws.getRow(12).getCell(9).value = null;
      ws.getRow(30).height = 20;
    });
    const res = await parse(data);
    expect(res.errors).toEqual([]);
    expect(res.headerRow).toBe(5);
    expect(res.rows.map((r) => r.row)).toEqual([7, 12]);
  });

  it('carries a 开具单位 merged down several rows to each of them', async () => {
    const data = await xlsx((wb) => {
      const ws = wb.addWorksheet('清单');
      ws.addRow(HEADER);
      ws.addRow(['1', '无犯罪记录证明', '马鞍山市公安局', '', '告知承诺', '教师资格认定']);
      ws.addRow(['2', '户籍证明', null, '', '电子证照', '户口迁移']);
      ws.addRow(['3', '居民养犬证明', null, '', '数据共享', '犬只登记']);
      ws.addRow(['4', '婚姻状况证明', '马鞍山市民政局', '', '数据共享', '生育登记']);
      ws.mergeCells('C2:C4');
      // A block merge: the method of rows 2-3 across two columns stays in its own column.
      ws.mergeCells('E2:F2');
    });
    const res = await parse(data);
    expect(res.rows.map((r) => r.issuingDepartment)).toEqual(['马鞍山市公安局', '马鞍山市公安局', '马鞍山市公安局', '马鞍山市民政局']);
    expect(res.rows[0]?.serviceItems).toEqual([]);
    expect(res.errors).toEqual([]);
  });

  it('skips section headings, a column-number row and a repeated header inside the data', async () => {
    const data = await xlsx((wb) => {
      const ws = wb.addWorksheet('清单');
      ws.addRow(HEADER);
      ws.addRow(['1', '2', '3', '4', '5', '6']);
      ws.addRow(['一、公安部门（1项）']);
      ws.mergeCells('A3:F3');
      ws.addRow(ROW_A);
      ws.addRow(HEADER);
      ws.addRow(['（二）民政部门']);
      ws.addRow(ROW_B);
      ws.addRow(['合计', '2项']);
    });
    const res = await parse(data);
    expect(res.errors).toEqual([]);
    expect(res.rows.map((r) => r.row)).toEqual([4, 7]);
  });

  it('skips pre-numbered template lines that have only 序号 (and a default 区划) filled', async () => {
    const res = await parse(await xlsxOf([
      [...HEADER, '所属区划'],
      [...ROW_A, '340500'],
      ['2', '', '', '', '', '', '340500'],
      ['3'],
      ['4', '', '马鞍山市民政局', '', '', '', ''],
    ]));
    expect(res.rows.map((r) => r.row)).toEqual([2, 5]);
    expect(res.errors.map((e) => [e.row, e.column])).toEqual([[5, '证明名称'], [5, '免提交方式']]);
  });

  it('reads tick-box method columns under a merged 免提交方式 header', async () => {
    const data = await xlsx((wb) => {
      const ws = wb.addWorksheet('清单');
      ws.getRow(1).values = ['序号', '证明名称', '开具单位', '免提交方式', null, null, null, '设定依据'];
      ws.getRow(2).values = [null, null, null, '直接取消', '数据共享', '部门核验', '告知承诺', null];
      for (const c of ['A', 'B', 'C', 'H']) ws.mergeCells(`${c}1:${c}2`);
      ws.mergeCells('D1:G1');
      ws.getRow(3).values = ['1', '无犯罪记录证明', '马鞍山市公安局', '', '×', '√', '√', ''];
      ws.getRow(4).values = ['2', '健在证明', '马鞍山市人力资源和社会保障局', '✓', '', '', '', ''];
      ws.getRow(5).values = ['3', '无房证明', '马鞍山市住房和城乡建设局', '', '', '', '', ''];
    });
    const res = await parse(data);
    expect(res.headerRow).toBe(1);
    expect(res.rows.map((r) => [r.row, r.methods])).toEqual([[3, ['dept_verification', 'commitment']], [4, ['cancelled']], [5, []]]);
    expect(res.errors).toEqual([expect.objectContaining({ row: 5, column: '免提交方式', code: 'IMPORT.REQUIRED' })]);
  });

  it('reads tick-box method columns named in the header row itself', async () => {
    const res = await parse(await xlsxOf([
      ['证明名称', '开具单位', '电子证照', '数据共享', '保留', '设定依据'],
      ['户籍证明', '马鞍山市公安局', '是', '是', '否', ''],
    ]));
    expect(res.errors).toEqual([]);
    expect(res.rows[0]?.methods).toEqual(['e_license', 'data_sharing']);
  });

  it('does not take a data row whose cells happen to name methods for a tick-box header', async () => {
    const res = await parse(await xlsxOf([
      [...HEADER, '备注'],
      ['1', '户籍证明', '马鞍山市公安局', '', '电子证照', '户口迁移', '保留'],
    ]));
    expect(res.rows).toHaveLength(1);
    expect(res.rows[0]).toMatchObject({ methods: ['e_license'], notes: '保留' });

    const blank = await parse(await xlsxOf([
      [...HEADER, '备注'],
      ['1', '', '', '', '电子证照', '', '保留'],
      ROW_B,
    ]));
    expect(blank.rows.map((r) => r.methods)).toEqual([['e_license'], ['data_sharing']]);
    expect(blank.errors.map((e) => [e.row, e.code])).toEqual([[2, 'IMPORT.REQUIRED'], [2, 'IMPORT.REQUIRED']]);
  });

  it('picks the sheet holding the list, not a cover sheet or a hidden sheet', async () => {
    const data = await xlsx((wb) => {
      const cover = wb.addWorksheet('说明');
      cover.addRow(['填表说明：请按模板填写']);
      const hidden = wb.addWorksheet('旧版');
      hidden.state = 'hidden';
      hidden.addRow([...HEADER, '所属区划', '备注']);
      hidden.addRow(['1', '旧证明', '旧单位', '', '保留', '', '', '']);
      const list = wb.addWorksheet('证明事项清单');
      list.addRow(HEADER);
      list.addRow(ROW_A);
    });
    const res = await parse(data);
    expect(res.sheetName).toBe('证明事项清单');
    expect(res.rows.map((r) => r.name)).toEqual(['无犯罪记录证明']);
  });
});

describe.each(READERS)('.xlsx cell contents, %s', (_label, parse) => {
  it('normalises full-width characters, stray spaces, NBSP and line breaks inside cells', async () => {
    const data = await xlsxOf([
      ['证明名称', '开具单位', '设定依据', '免提交方式', '适用事项', '证明编码', '所属区划'],
      ['\u3000户籍证明(户口簿)\n', '马鞍山市\u00A0公安局 ', ' 《中华人民共和国户口登记条例》 第四条\r\n\r\n《中华人民共和国居民身份证法》第三条 ', '电子证照／亮证', '户口迁移；\n居民身份证申领、', 'ＺＭ－００１', '３４０５００'],
    ]);
    const res = await parse(data);
    expect(res.errors).toEqual([]);
    expect(res.rows[0]).toStrictEqual({
      row: 2, name: '户籍证明（户口簿）', issuingDepartment: '马鞍山市公安局',
      legalBasis: '《中华人民共和国户口登记条例》第四条\n《中华人民共和国居民身份证法》第三条',
      methods: ['e_license'], serviceItems: ['户口迁移', '居民身份证申领'], code: 'ZM-001', region: '340500',
    });
  });

  it('reads numbers, dates, booleans, rich text, formulas, shared formulas and hyperlinks as text', async () => {
    const data = await xlsx((wb) => {
      const ws = wb.addWorksheet('清单');
      ws.addRow(['序号', '证明名称', '开具单位', '设定依据', '免提交方式', '适用事项', '所属区划', '备注', '证明编码']);
      ws.addRow([
        1,
        { richText: [{ text: '无犯罪', font: { bold: true } }, { text: '记录证明' }] },
        { text: '马鞍山市公安局', hyperlink: 'https://gaj.mas.gov.cn/' },
        { formula: 'CONCATENATE("《保安服务管理条例》","第八条")', result: '《保安服务管理条例》第八条' },
        { formula: 'IF(1,"部门核验、告知承诺","")', result: '部门核验、告知承诺' },
        { richText: [{ text: '保安员证' }, { text: '核发', font: { color: { argb: 'FFFF0000' } } }] },
        340500,
        new Date(Date.UTC(2024, 5, 1)),
        { formula: 'TEXT(12,"000")', result: '012' },
      ]);
      ws.addRow([
        { formula: 'A2+1', result: 2 },
        '婚姻状况证明',
        '马鞍山市民政局',
        '',
        { sharedFormula: 'E2', result: '数据共享' } as never,
        { text: { richText: [{ text: '生育登记' }] }, hyperlink: 'https://example.gov.cn/' } as never,
        0.1 + 0.2,
        true,
        '',
      ]);
    });
    const res = await parse(data);
    expect(res.errors).toEqual([]);
    expect(res.rows).toStrictEqual([
      {
        row: 2, seq: '1', name: '无犯罪记录证明', issuingDepartment: '马鞍山市公安局', legalBasis: '《保安服务管理条例》第八条',
        methods: ['dept_verification', 'commitment'], serviceItems: ['保安员证核发'], region: '340500', notes: '2024-06-01', code: '012',
      },
      {
        row: 3, seq: '2', name: '婚姻状况证明', issuingDepartment: '马鞍山市民政局', legalBasis: '',
        methods: ['data_sharing'], serviceItems: ['生育登记'], region: '0.3', notes: 'TRUE',
      },
    ]);
  });

  it('treats a formula error value as an empty cell', async () => {
    const data = await xlsxOf([HEADER, ['1', { formula: 'VLOOKUP(1,A:A,2,0)', result: { error: '#N/A' } }, '马鞍山市公安局', '', '告知承诺', '']]);
    const res = await parse(data);
    expect(res.errors).toEqual([expect.objectContaining({ row: 2, column: '证明名称', code: 'IMPORT.REQUIRED' })]);
  });
});

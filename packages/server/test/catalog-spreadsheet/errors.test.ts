import { describe, expect, it } from 'vitest';
import { parseCatalogSpreadsheet } from '../../src/catalog/spreadsheet/parse-catalog-spreadsheet.ts';
import { SpreadsheetError } from '../../src/catalog/spreadsheet/types.ts';
import { HEADER, csvText, xlsx, xlsxOf } from './helpers.ts';

async function rejection(p: Promise<unknown>): Promise<SpreadsheetError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SpreadsheetError) return e;
    throw e;
  }
  throw new Error('expected a SpreadsheetError');
}

const csv = (rows: string[][]) => Buffer.from(csvText(rows), 'utf8');

describe('cell errors', () => {
  it('reports each empty required cell with the header text of its column', async () => {
    const res = await parseCatalogSpreadsheet(await xlsxOf([
      ['序号', '证明事项名称', '出具单位', '依据', '办理方式'],
      ['1', '', '马鞍山市公安局', '', '告知承诺'],
      ['2', '户籍证明', '  ', '', '电子证照'],
      ['3', '婚姻状况证明', '马鞍山市民政局', '', ''],
    ]), 'a.xlsx');
    expect(res.errors).toEqual([
      { row: 2, column: '证明事项名称', code: 'IMPORT.REQUIRED', reason: '“证明事项名称”不能为空', reasonEn: '"证明事项名称" must not be empty' },
      { row: 3, column: '出具单位', code: 'IMPORT.REQUIRED', reason: '“出具单位”不能为空', reasonEn: '"出具单位" must not be empty' },
      { row: 4, column: '办理方式', code: 'IMPORT.REQUIRED', reason: '“办理方式”不能为空', reasonEn: '"办理方式" must not be empty' },
    ]);
    // The rows are still returned, for a preview next to their errors.
    expect(res.rows.map((r) => r.row)).toEqual([2, 3, 4]);
  });

  it('reports an unknown method wording, naming the column and the text', async () => {
    const res = await parseCatalogSpreadsheet(csv([
      ['证明名称', '开具单位', '处理方式'],
      ['无犯罪记录证明', '马鞍山市公安局', '告知承诺、人工审核'],
      ['户籍证明', '马鞍山市公安局', '（待定）'],
    ]), 'a.csv');
    expect(res.errors).toHaveLength(2);
    expect(res.errors[0]).toMatchObject({ row: 2, column: '处理方式', code: 'IMPORT.UNKNOWN_METHOD' });
    expect(res.errors[0]?.reason).toContain('“人工审核”');
    expect(res.errors[0]?.reason).toContain('处理方式');
    expect(res.errors[0]?.reasonEn).toContain('"人工审核"');
    expect(res.errors[1]).toMatchObject({ row: 3, column: '处理方式', code: 'IMPORT.UNKNOWN_METHOD' });
    expect(res.errors[1]?.reason).toContain('（待定）');
    expect(res.rows[0]?.methods).toEqual(['commitment']);
  });

  it('reports a cell over 2,000 characters, and accepts exactly 2,000', async () => {
    const long = '依'.repeat(2001);
    const res = await parseCatalogSpreadsheet(csv([
      HEADER,
      ['1', '无犯罪记录证明', '马鞍山市公安局', long, '告知承诺', ''],
      ['2', '户籍证明', '马鞍山市公安局', '据'.repeat(2000), '电子证照', ''],
    ]), 'a.csv');
    expect(res.errors).toEqual([{
      row: 2, column: '设定依据', code: 'IMPORT.TOO_LONG',
      reason: '“设定依据”超过 2000 个字符（实际 2001 个）', reasonEn: '"设定依据" is longer than 2000 characters (2001)',
    }]);
  });

  it('reports a repeated 证明名称 + 开具单位 pair, even written differently, pointing to the first row', async () => {
    const res = await parseCatalogSpreadsheet(csv([
      HEADER,
      ['1', '户籍证明(户口簿)', '马鞍山市公安局', '', '电子证照', ''],
      ['2', '户籍证明', '马鞍山市公安局', '', '电子证照', ''],
      ['3', '户籍证明（户口簿）', '马鞍山市 公安局', '', '电子证照', ''],
      ['4', '户籍证明（户口簿）', '铜陵市公安局', '', '电子证照', ''],
    ]), 'a.csv');
    expect(res.errors).toEqual([{
      row: 4, column: '证明名称', code: 'IMPORT.DUPLICATE_NAME',
      reason: '证明名称“户籍证明（户口簿）”与开具单位“马鞍山市公安局”的组合与第 2 行重复',
      reasonEn: 'The proof "户籍证明（户口簿）" from "马鞍山市公安局" repeats row 2',
    }]);
  });

  it('does not call the same proof from the same department in two regions a duplicate', async () => {
    const res = await parseCatalogSpreadsheet(csv([
      ['证明名称', '开具单位', '免提交方式', '区划代码'],
      ['无犯罪记录证明', '公安局', '告知承诺', '340500'],
      ['无犯罪记录证明', '公安局', '告知承诺', '340700'],
    ]), 'a.csv');
    expect(res.errors).toEqual([]);
  });
});

describe('whole-file rejects', () => {
  it('rejects a file without a recognisable header, naming the missing required columns', async () => {
    const e = await rejection(parseCatalogSpreadsheet(csv([
      ['马鞍山市证明事项清单'],
      ['序号', '证明名称', '设定依据', '备注'],
      ['1', '无犯罪记录证明', '', ''],
    ]), 'a.csv'));
    expect(e.code).toBe('IMPORT.NO_HEADER');
    expect(e.details.missing).toEqual(['开具单位', '免提交方式']);
    expect(e.message).toContain('“开具单位”“免提交方式”');
    expect(e.messageEn).toContain('开具单位, 免提交方式');
  });

  it('rejects a sheet with no header at all, naming all three required columns', async () => {
    const e = await rejection(parseCatalogSpreadsheet(await xlsxOf([['a', 'b'], ['1', '2']]), 'a.xlsx'));
    expect(e.code).toBe('IMPORT.NO_HEADER');
    expect(e.details.missing).toEqual(['证明名称', '开具单位', '免提交方式']);
  });

  it('looks for the header only in the first 15 non-empty rows', async () => {
    const rows: string[][] = [];
    for (let i = 0; i < 15; i++) rows.push([`标题行 ${i + 1}`]);
    rows.push(HEADER);
    const e = await rejection(parseCatalogSpreadsheet(csv(rows), 'a.csv'));
    expect(e.code).toBe('IMPORT.NO_HEADER');
  });

  it('accepts 20,000 data rows and rejects 20,001 (CSV)', async () => {
    const rows = (n: number) => {
      const out = [HEADER];
      for (let i = 1; i <= n; i++) out.push([String(i), `证明${i}`, '马鞍山市公安局', '', '告知承诺', '']);
      return out;
    };
    const ok = await parseCatalogSpreadsheet(csv(rows(20_000)), 'a.csv');
    expect(ok.rows).toHaveLength(20_000);
    expect(ok.errors).toEqual([]);
    const e = await rejection(parseCatalogSpreadsheet(csv(rows(20_001)), 'a.csv'));
    expect(e.code).toBe('IMPORT.TOO_MANY_ROWS');
    expect(e.details.limit).toBe(20_000);
  });

  it('rejects more than 20,000 data rows in an .xlsx too', async () => {
    const data = await xlsx((wb) => {
      const ws = wb.addWorksheet('清单');
      ws.addRow(['证明名称', '开具单位', '免提交方式']);
      for (let i = 1; i <= 20_001; i++) ws.addRow([`证明${i}`, '公安局', '承诺']);
    });
    const e = await rejection(parseCatalogSpreadsheet(data, 'big.xlsx'));
    expect(e.code).toBe('IMPORT.TOO_MANY_ROWS');
  });

  const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
  it.each([
    ['an old binary .xls', OLE, '清单.xls', 'xls'],
    ['a .xls renamed to .xlsx', OLE, '清单.xlsx', 'xls'],
    ['a PDF', Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj', 'latin1'), '清单.pdf', 'pdf'],
    ['a PNG', PNG, 'scan.png', 'png'],
    ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]), 'scan.jpg', 'jpeg'],
    ['an HTML table saved as .xls', Buffer.from('<html><body><table><tr><td>证明名称</td></tr></table></body></html>', 'utf8'), 'export.xls', 'html'],
    ['binary bytes', Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00, 0x00]), 'x.csv', 'binary'],
  ])('rejects %s with IMPORT.UNSUPPORTED_FILE', async (_what, data, filename, detected) => {
    const e = await rejection(parseCatalogSpreadsheet(data, filename));
    expect(e.code).toBe('IMPORT.UNSUPPORTED_FILE');
    expect(e.details.detected).toBe(detected);
    expect(e.message).toContain(filename);
    expect(e.message).toContain('.xlsx');
  });

  it('rejects a ZIP that is not a workbook (a .docx) and a damaged .xlsx', async () => {
    const docx = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), Buffer.from('word/document.xml', 'latin1')]);
    expect((await rejection(parseCatalogSpreadsheet(docx, 'a.docx'))).details.detected).toBe('docx');

    const good = await xlsxOf([HEADER]);
    // Cut off the ZIP's central directory.
    const damaged = Buffer.from(good.subarray(0, good.length - 200));
    const e = await rejection(parseCatalogSpreadsheet(damaged, 'a.xlsx'));
    expect(e.code).toBe('IMPORT.UNSUPPORTED_FILE');
    expect(e.details.detected).toBe('corrupt-xlsx');
  });

  it('rejects an empty file', async () => {
    expect((await rejection(parseCatalogSpreadsheet(Buffer.alloc(0), 'a.csv'))).code).toBe('IMPORT.EMPTY_FILE');
  });

  it('decides by content, not by name: a CSV named .xls is read', async () => {
    const res = await parseCatalogSpreadsheet(csv([HEADER, ['1', '户籍证明', '马鞍山市公安局', '', '电子证照', '']]), 'export.xls');
    expect(res.rows).toHaveLength(1);
  });
});


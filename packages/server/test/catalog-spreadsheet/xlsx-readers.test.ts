import { describe, expect, it } from 'vitest';
import type ExcelJS from 'exceljs';
import { FastReaderUnsupported, readXlsxFast } from '../../src/catalog/spreadsheet/xlsx-fast-reader.ts';
import { readXlsx, readXlsxWithExcelJs } from '../../src/catalog/spreadsheet/xlsx-reader.ts';
import { parseCatalogSpreadsheet } from '../../src/catalog/spreadsheet/parse-catalog-spreadsheet.ts';
import { writeCatalogWorkbook } from '../../src/catalog/spreadsheet/write-catalog-workbook.ts';
import { generateCatalogRows } from '../../src/catalog/spreadsheet/generate-sample.ts';
import type { SheetSource } from '../../src/catalog/spreadsheet/grid.ts';
import { HEADER, handMadeXlsx, xlsx } from './helpers.ts';

/** A sheet's rows as text, trailing empty cells and empty rows dropped (what both readers must agree on). */
function gridOf(sheets: SheetSource[]) {
  return sheets.map((s) => ({
    name: s.name,
    hidden: s.hidden,
    rows: [...s.rows()]
      .map((r) => {
        const cells = [...r.cells];
        while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
        return { row: r.row, cells };
      })
      .filter((r) => r.cells.length > 0),
  }));
}

const WORKBOOKS: Array<[string, () => Promise<Buffer>]> = [
  ['a written catalog with title, merges and notes', () =>
    writeCatalogWorkbook({ title: '铜陵市证明事项清单', versionLabel: 'v1', publishedAt: '2024-01-01', rows: generateCatalogRows(300, 5), notes: ['注意事项一', '注意事项二'] })],
  ['values of every kind', () => xlsx((wb) => {
    const ws = wb.addWorksheet('值');
    ws.addRow([1, 2.5, 0.1 + 0.2, -3, 1e15, true, false, new Date(Date.UTC(2024, 1, 29)), new Date(Date.UTC(2024, 1, 29, 8, 30))]);
    ws.addRow([
      { richText: [{ text: '富', font: { bold: true } }, { text: '文本' }] },
      { formula: '1+1', result: 2 },
      { formula: 'A1&"x"', result: '1x' },
      { formula: 'NA()', result: { error: '#N/A' } },
      { text: '链接', hyperlink: 'https://example.gov.cn/' },
      '<&>"\'',
      'line1\nline2',
      ' 前后空格 ',
      '',
    ] as ExcelJS.CellValue[]);
    ws.getCell('A3').value = { formula: 'A1*2', result: 2 };
    ws.getCell('B3').value = { sharedFormula: 'A3', result: 5 } as never;
    ws.getCell('C5').value = '稀疏';
    ws.getCell('Z9').value = '远处';
  })],
  ['merges of every shape and several sheets', () => xlsx((wb) => {
    const a = wb.addWorksheet('第一');
    a.getCell('A1').value = '标题';
    a.mergeCells('A1:F1');
    a.getCell('B2').value = '竖';
    a.mergeCells('B2:B5');
    a.getCell('C3').value = '块';
    a.mergeCells('C3:D4');
    a.getCell('A5').value = 'x';
    const b = wb.addWorksheet('隐藏');
    b.state = 'hidden';
    b.addRow(HEADER);
    wb.addWorksheet('空');
  })],
];

describe('the fast reader and the exceljs reader agree', () => {
  it.each(WORKBOOKS)('on %s', async (_what, build) => {
    const data = await build();
    expect(gridOf(readXlsxFast(data))).toEqual(gridOf(await readXlsxWithExcelJs(data, 'a.xlsx')));
  });

  it('on a 10,000-row generated catalog', async () => {
    const data = await writeCatalogWorkbook({ title: 't', versionLabel: 'v', publishedAt: 'p', rows: generateCatalogRows(10_000, 9) });
    expect(gridOf(readXlsxFast(data))).toEqual(gridOf(await readXlsxWithExcelJs(data, 'a.xlsx')));
  });
});

const SHEET = (rows: string, after = '') => `<sheetData>${rows}</sheetData>${after}`;

describe('the fast reader on SpreadsheetML written by other tools', () => {
  it('reads inline strings, phonetic runs, entities and _xHHHH_ escapes', () => {
    const data = handMadeXlsx({
      sharedStrings: '<si><r><rPr><b/></rPr><t>户籍</t></r><r><t xml:space="preserve">证明 &amp; 户口簿</t></r><rPh sb="0" eb="2"><t>こせき</t></rPh><phoneticPr fontId="1"/></si><si><t>第一行_x000D_\n第二行</t></si><si/>',
      sheets: [{ name: '清单', xml: SHEET('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="inlineStr"><is><t>内联&lt;文本&gt;</t></is></c><c r="E1" t="str"><f>A1</f><v>公式&#x7ED3;果</v></c></row>') }],
    });
    expect(gridOf(readXlsxFast(data))[0]?.rows).toEqual([{ row: 1, cells: ['户籍证明 & 户口簿', '第一行\r\n第二行', '', '内联<文本>', '公式结果'] }]);
  });

  it('reads namespace-prefixed parts (x:c, x:row), stored (uncompressed) entries and cells without r attributes', () => {
    const data = handMadeXlsx({
      prefix: 'x',
      method: 0,
      sharedStrings: '<x:si><x:t>证明名称</x:t></x:si>',
      sheets: [{ name: 'S', xml: '<x:sheetData><x:row><x:c t="s"><x:v>0</x:v></x:c><x:c><x:v>7</x:v></x:c></x:row><x:row><x:c/><x:c t="b"><x:v>1</x:v></x:c></x:row><x:row r="5"><x:c r="C5" t="inlineStr"><x:is><x:t>五</x:t></x:is></x:c></x:row></x:sheetData>' }],
    });
    expect(gridOf(readXlsxFast(data))[0]?.rows).toEqual([
      { row: 1, cells: ['证明名称', '7'] },
      { row: 2, cells: ['', 'TRUE'] },
      { row: 5, cells: ['', '', '五'] },
    ]);
  });

  it('shows dates by number format: built-in, Chinese built-in (2024年6月1日), custom, ISO t="d" and the 1904 system', () => {
    const styles = '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
      + '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
      + '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="31"/><xf numFmtId="176"/><xf numFmtId="4"/></cellXfs>';
    const row = '<row r="1"><c r="A1" s="0"><v>45444</v></c><c r="B1" s="1"><v>45444</v></c><c r="C1" s="2"><v>45444</v></c><c r="D1" s="3"><v>45444.5</v></c><c r="E1" s="4"><v>45444</v></c><c r="F1" t="d"><v>2024-06-01T00:00:00</v></c><c r="G1" t="e"><v>#REF!</v></c></row>';
    const d1900 = handMadeXlsx({ styles, sheets: [{ name: 'S', xml: SHEET(row) }] });
    expect(gridOf(readXlsxFast(d1900))[0]?.rows[0]?.cells).toEqual(['45444', '2024-06-01', '2024-06-01', '2024-06-01 12:00', '45444', '2024-06-01']);
    const d1904 = handMadeXlsx({ styles, workbookPr: '<workbookPr date1904="1"/>', sheets: [{ name: 'S', xml: SHEET(row) }] });
    expect(gridOf(readXlsxFast(d1904))[0]?.rows[0]?.cells[1]).toBe('2028-06-02');
  });

  it('applies merges written after sheetData, including rows that exist only inside a merge', () => {
    const data = handMadeXlsx({
      sharedStrings: '<si><t>马鞍山市公安局</t></si>',
      sheets: [{ name: 'S', xml: SHEET('<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1</v></c></row><row r="4"><c r="B4"><v>3</v></c></row>', '<mergeCells count="1"><mergeCell ref="A2:B3"/><mergeCell ref="A4:A4"/></mergeCells>') }],
    });
    expect(gridOf(readXlsxFast(data))[0]?.rows).toEqual([
      { row: 2, cells: ['马鞍山市公安局'] },
      { row: 3, cells: ['马鞍山市公安局'] },
      { row: 4, cells: ['', '3'] },
    ]);
  });

  it('reads visibility and skips relationship targets that are not worksheets', () => {
    const data = handMadeXlsx({ sheets: [{ name: '甲', xml: SHEET(''), state: 'veryHidden' }, { name: '乙', xml: SHEET('') }] });
    expect(readXlsxFast(data).map((s) => [s.name, s.hidden])).toEqual([['甲', true], ['乙', false]]);
  });

  it('gives up on what it does not know (ZIP64), and readXlsx falls back to exceljs', async () => {
    const parts = {
      sharedStrings: HEADER.map((h) => `<si><t>${h}</t></si>`).join(''),
      sheets: [{ name: '清单', xml: SHEET(`<row r="1">${HEADER.map((_h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`).join('')}</row>`) }],
    };
    expect(gridOf(readXlsxFast(handMadeXlsx(parts)))[0]?.rows[0]?.cells).toEqual(HEADER);
    const zip64 = handMadeXlsx({ ...parts, zip64: true });
    expect(() => readXlsxFast(zip64)).toThrow(FastReaderUnsupported);
    expect(gridOf(await readXlsx(zip64, 'a.xlsx'))[0]?.rows[0]?.cells).toEqual(HEADER);
  });

  it('is what parseCatalogSpreadsheet uses for an ordinary file', async () => {
    const data = handMadeXlsx({
      sharedStrings: HEADER.map((h) => `<si><t>${h}</t></si>`).join('') + '<si><t>无犯罪记录证明</t></si><si><t>马鞍山市公安局</t></si><si><t>告知承诺</t></si>',
      sheets: [{ name: '清单', xml: SHEET(`<row r="1">${HEADER.map((_h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`).join('')}</row><row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>6</v></c><c r="C2" t="s"><v>7</v></c><c r="E2" t="s"><v>8</v></c></row>`) }],
    });
    const res = await parseCatalogSpreadsheet(data, 'hand.xlsx');
    expect(res.errors).toEqual([]);
    expect(res.rows).toStrictEqual([{ row: 2, seq: '1', name: '无犯罪记录证明', issuingDepartment: '马鞍山市公安局', legalBasis: '', methods: ['commitment'], serviceItems: [] }]);
  });
});

import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { generateCatalogRows } from '../../src/catalog/spreadsheet/generate-sample.ts';
import { writeCatalogWorkbook } from '../../src/catalog/spreadsheet/write-catalog-workbook.ts';
import { parseCatalogSpreadsheet } from '../../src/catalog/spreadsheet/parse-catalog-spreadsheet.ts';
import { checkRowRules } from '../../src/catalog/spreadsheet/row-rules.ts';
import { cleanMultiline, cleanText, matchKey } from '../../src/catalog/spreadsheet/normalise.ts';
import { METHODS, SpreadsheetError, type SheetRow } from '../../src/catalog/spreadsheet/types.ts';
import { withoutRowNumbers } from './helpers.ts';

const META = { title: '马鞍山市证明事项免提交清单（2024年版）', versionLabel: '2024年第1版', publishedAt: '2024-06-01' };

describe('generateCatalogRows', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateCatalogRows(50, 7)).toStrictEqual(generateCatalogRows(50, 7));
    expect(generateCatalogRows(50, 7)).not.toStrictEqual(generateCatalogRows(50, 8));
    expect(generateCatalogRows(0, 7)).toEqual([]);
  });

  it('makes 10,000 rows with unique name + department pairs that break no row rule', () => {
    const rows = generateCatalogRows(10_000, 42);
    expect(rows).toHaveLength(10_000);
    const keys = new Set(rows.map((r) => `${matchKey(r.name)}|${matchKey(r.issuingDepartment)}`));
    expect(keys.size).toBe(10_000);
    rows.forEach((r, i) => expect(checkRowRules({ ...r, row: i + 1 })).toEqual([]));
    // Every method appears, retained ones included.
    expect(new Set(rows.flatMap((r) => r.methods))).toEqual(new Set(METHODS));
    expect(rows.every((r) => r.methods.length > 0 && r.serviceItems.length > 0)).toBe(true);
    expect(rows.every((r) => /^34\d{4}$/.test(r.region ?? ''))).toBe(true);
  });

  it('writes values already in cleaned form', () => {
    for (const r of generateCatalogRows(2_000, 3)) {
      expect(cleanText(r.name)).toBe(r.name);
      expect(cleanText(r.issuingDepartment)).toBe(r.issuingDepartment);
      expect(cleanMultiline(r.legalBasis)).toBe(r.legalBasis);
      for (const s of r.serviceItems) expect(cleanText(s)).toBe(s);
    }
  });
});

describe('writeCatalogWorkbook → parseCatalogSpreadsheet', () => {
  it('reads back the rows it wrote, identically', async () => {
    const rows = generateCatalogRows(400, 11);
    const data = await writeCatalogWorkbook({ ...META, rows, notes: ['本清单自发布之日起施行。', '清单实行动态调整，调整情况另行公布。'] });
    const res = await parseCatalogSpreadsheet(data, '清单.xlsx');
    expect(res.errors).toEqual([]);
    expect(res.headerRow).toBe(3);
    expect(withoutRowNumbers(res.rows)).toStrictEqual(rows);
    expect(res.rows[0]?.row).toBe(4);
  });

  it('round-trips optional fields left out, a seq that is not a plain number and hand-made rows', async () => {
    const rows: Omit<SheetRow, 'row'>[] = [
      { name: '户籍证明（户口簿）', issuingDepartment: '马鞍山市公安局', legalBasis: '', methods: ['e_license', 'data_sharing'], serviceItems: [] },
      { seq: '001', name: '健在证明', issuingDepartment: '马鞍山市人力资源和社会保障局', legalBasis: '《中华人民共和国社会保险法》第十六条', methods: ['cancelled'], serviceItems: ['养老保险待遇资格认证'], notes: '以人脸识别替代\n全市通办' },
      { seq: '2-1', name: '无房证明', issuingDepartment: '马鞍山市住房和城乡建设局', legalBasis: '《住房公积金管理条例》第二十四条', methods: ['retained'], serviceItems: ['住房公积金提取'], code: 'ZM-9' },
    ];
    const res = await parseCatalogSpreadsheet(await writeCatalogWorkbook({ ...META, rows }), 'a.xlsx');
    expect(res.errors).toEqual([]);
    expect(withoutRowNumbers(res.rows)).toStrictEqual(rows);
  });

  it('writes the title, the version line, the header and the notes where a person expects them', async () => {
    const data = await writeCatalogWorkbook({ ...META, rows: generateCatalogRows(3, 1), notes: ['本清单自发布之日起施行。'] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getCell('A1').value).toBe(META.title);
    expect(ws.getCell('A2').value).toBe('版本：2024年第1版　　发布日期：2024-06-01');
    expect(ws.getRow(3).values).toEqual([undefined, '序号', '证明名称', '开具单位', '设定依据', '免提交方式', '适用事项', '所属区划', '索要单位', '证明编码', '备注']);
    expect(ws.getCell('A4').value).toBe(1);
    expect(ws.getCell('A8').value).toBe('注：本清单自发布之日起施行。');
  });

  it('writes an empty template that reads back as no rows', async () => {
    const res = await parseCatalogSpreadsheet(await writeCatalogWorkbook({ ...META, rows: [] }), 'template.xlsx');
    expect(res).toMatchObject({ rows: [], errors: [], headerRow: 3, sheetName: '证明事项清单' });
  });

  it('refuses rows that could not be read back the same', async () => {
    const base = { name: '户籍证明', issuingDepartment: '马鞍山市公安局', legalBasis: '', methods: ['e_license' as const], serviceItems: ['户口迁移'] };
    await expect(writeCatalogWorkbook({ ...META, rows: [{ ...base, serviceItems: ['户口迁移、婚姻登记'] }] })).rejects.toBeInstanceOf(SpreadsheetError);
    await expect(writeCatalogWorkbook({ ...META, rows: [{ ...base, methods: ['fax' as never] }] })).rejects.toMatchObject({ code: 'EXPORT.INVALID_ROW' });
  });
});

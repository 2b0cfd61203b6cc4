/**
 * Writes a proof-item list as .xlsx in the shape bureaus publish: a title row, a version
 * line, the header row, data rows and note rows. parseCatalogSpreadsheet reads it back to
 * the same rows (values already in cleaned form — see normalise.ts — come back unchanged).
 * With no rows it is the import template.
 */
import { loadExcelJs } from '../../shared/lazy-modules.ts';
import type { SheetField, SheetRow } from './types.ts';
import { SpreadsheetError } from './types.ts';
import { DEFAULT_HEADERS, FIELD_ORDER } from './headers.ts';
import { isExemptionMethod, methodLabel } from './methods.ts';
import { addBorderedRow, lastColumnLetter, writeHeaderRow, writeTitleRow } from './workbook-style.ts';

export interface CatalogWorkbookInput {
  title: string;
  versionLabel: string;
  publishedAt: string;
  rows: Omit<SheetRow, 'row'>[];
  notes?: string[];
}

const WIDTHS: Record<SheetField, number> = {
  seq: 6, name: 28, issuingDepartment: 24, legalBasis: 44, methods: 18, serviceItems: 40,
  region: 10, acceptingDepartment: 22, code: 18, notes: 24,
};

/** What splitList would cut a service item at. */
const LIST_SEPARATOR = /[、；;，,\n\r]/;


function invalid(index: number, field: SheetField, what: string, whatEn: string): SpreadsheetError {
  return new SpreadsheetError(
    'EXPORT.INVALID_ROW',
    `第 ${index + 1} 条证明事项的“${DEFAULT_HEADERS[field]}”${what}`,
    `Proof item ${index + 1}: ${field} ${whatEn}`,
    { index, field },
  );
}

function cellValues(r: Omit<SheetRow, 'row'>, index: number): Record<SheetField, string | number> {
  for (const m of r.methods) {
    if (!isExemptionMethod(m)) throw invalid(index, 'methods', `含未知方式“${String(m)}”`, `has an unknown method "${String(m)}"`);
  }
  for (const s of r.serviceItems) {
    if (s.trim() === '' || LIST_SEPARATOR.test(s)) {
      throw invalid(index, 'serviceItems', `中的“${s}”为空或含有分隔符（、；，）`, `entry "${s}" is empty or contains a list separator`);
    }
  }
  const seq = r.seq ?? '';
  return {
    // A plain sequence number is written as a number, as people type it.
    seq: /^[1-9]\d{0,8}$/.test(seq) ? Number(seq) : seq,
    name: r.name,
    issuingDepartment: r.issuingDepartment,
    legalBasis: r.legalBasis,
    methods: r.methods.map(methodLabel).join('、'),
    serviceItems: r.serviceItems.join('、'),
    region: r.region ?? '',
    acceptingDepartment: r.acceptingDepartment ?? '',
    code: r.code ?? '',
    notes: r.notes ?? '',
  };
}

export async function writeCatalogWorkbook(input: CatalogWorkbookInput): Promise<Buffer> {
  const values = input.rows.map(cellValues);
  const width = FIELD_ORDER.length;
  const lastCol = lastColumnLetter(width);

  const wb = new (await loadExcelJs()).Workbook();
  wb.creator = '免证 Mianzheng';
  wb.title = input.title;
  const ws = wb.addWorksheet('证明事项清单', {
    views: [{ state: 'frozen', ySplit: 3, xSplit: 0 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' },
  });
  ws.columns = FIELD_ORDER.map((f) => ({
    key: f,
    width: WIDTHS[f],
    style: { alignment: { vertical: 'middle', wrapText: true, horizontal: f === 'seq' ? 'center' : 'left' } },
  }));

  writeTitleRow(ws, input.title, width);

  const version = ws.getRow(2);
  version.getCell(1).value = `版本：${input.versionLabel}　　发布日期：${input.publishedAt}`;
  version.getCell(1).alignment = { horizontal: 'right', vertical: 'middle' };
  ws.mergeCells(`A2:${lastCol}2`);

  writeHeaderRow(ws, 3, FIELD_ORDER.map((f) => DEFAULT_HEADERS[f]));
  for (const v of values) addBorderedRow(ws, v);

  const notes = input.notes ?? [];
  if (notes.length > 0) {
    let r = ws.rowCount + 2;
    notes.forEach((note, i) => {
      const text = notes.length === 1 ? `注：${note}` : `${i === 0 ? '注：' : ''}${i + 1}. ${note}`;
      const cell = ws.getCell(r, 1);
      cell.value = text;
      cell.alignment = { wrapText: true, vertical: 'top', horizontal: 'left' };
      ws.mergeCells(r, 1, r, width);
      r++;
    });
  }

  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

/**
 * The look the catalog's workbooks share (the published proof-item list, the service-item list):
 * a merged title row, a shaded bold header row, thin grey borders on every data cell.
 */
import type ExcelJS from 'exceljs';

const THIN = { style: 'thin' as const, color: { argb: 'FF999999' } };
export const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** The letter of column `count` (A–Z: these lists are narrower than 27 columns). */
export function lastColumnLetter(count: number): string {
  return String.fromCharCode(64 + count);
}

/** Row 1: the title, large and bold, merged across `columns` columns. */
export function writeTitleRow(ws: ExcelJS.Worksheet, title: string, columns: number): void {
  const row = ws.getRow(1);
  row.getCell(1).value = title;
  row.getCell(1).font = { size: 16, bold: true };
  row.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
  row.height = 32;
  ws.mergeCells(`A1:${lastColumnLetter(columns)}1`);
}

/** The header row at `rowNumber`, and the autofilter on it. */
export function writeHeaderRow(ws: ExcelJS.Worksheet, rowNumber: number, headers: readonly string[]): void {
  const row = ws.getRow(rowNumber);
  headers.forEach((text, i) => {
    const c = row.getCell(i + 1);
    c.value = text;
    c.font = { bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    c.border = BORDER;
  });
  row.height = 24;
  ws.autoFilter = { from: { row: rowNumber, column: 1 }, to: { row: rowNumber, column: headers.length } };
}

/** A data row, every cell (empty ones too) bordered. */
export function addBorderedRow(ws: ExcelJS.Worksheet, values: unknown[] | Record<string, unknown>): void {
  ws.addRow(values).eachCell({ includeEmpty: true }, (c) => {
    c.border = BORDER;
  });
}

/**
 * Reads an .xlsx into plain text grids: with the fast reader (xlsx-fast-reader.ts) when the
 * file is within what it understands, otherwise with exceljs.
 *
 * Cell values that are not plain strings (numbers, dates, booleans, rich text, formulas,
 * hyperlinks) become the text a person sees. A merged cell's value appears in every cell
 * of its column inside the merge (a 开具单位 merged down several rows is carried down);
 * cells a merge covers to the right of its first column are empty, so a title merged across
 * the sheet is one value, not ten.
 */
import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../../shared/lazy-modules.ts';
import type { GridRow, SheetSource } from './grid.ts';
import { LIMITS, SpreadsheetError } from './types.ts';
import { formatDate, formatNumber } from './cell-text.ts';
import { FastReaderUnsupported, readXlsxFast } from './xlsx-fast-reader.ts';

/** Parts of a worksheet the parser never needs; skipping them saves time on big files. */
const IGNORED_NODES = [
  'dataValidations', 'conditionalFormatting', 'drawing', 'picture', 'extLst', 'headerFooter',
  'pageSetup', 'printOptions', 'pageMargins', 'rowBreaks', 'sheetProtection', 'tableParts', 'autoFilter',
];

/** The text of an exceljs cell value, whatever its shape. */
export function cellValueToText(v: unknown): string {
  if (v === null || v === undefined) return '';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatNumber(v);
    case 'boolean':
      return v ? 'TRUE' : 'FALSE';
    case 'bigint':
      return v.toString();
    case 'object':
      break;
    default:
      return '';
  }
  if (v instanceof Date) return formatDate(v);
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText)) {
    let s = '';
    for (const run of o.richText as Array<{ text?: unknown }>) s += typeof run?.text === 'string' ? run.text : '';
    return s;
  }
  // Formula (plain or shared): its cached result. A formula error (#N/A …) counts as empty.
  if ('formula' in o || 'sharedFormula' in o) return cellValueToText(o.result);
  // Hyperlink: its text, which may itself be rich text.
  if ('hyperlink' in o || 'text' in o) return cellValueToText(o.text);
  if ('error' in o) return '';
  return '';
}

function* worksheetRows(ws: ExcelJS.Worksheet, mergeType: ExcelJS.ValueType): Generator<GridRow> {
  const last = ws.rowCount;
  for (let r = 1; r <= last; r++) {
    const row = ws.findRow(r);
    if (!row) continue;
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      let text: string;
      if (cell.type === mergeType) {
        const master = cell.master;
        text = master.col === cell.col ? cellValueToText(master.value) : '';
      } else {
        text = cellValueToText(cell.value);
      }
      while (cells.length < col - 1) cells.push('');
      cells[col - 1] = text;
    });
    if (cells.length > 0) yield { row: r, cells };
  }
}

export async function readXlsx(data: Buffer, filename: string): Promise<SheetSource[]> {
  try {
    return readXlsxFast(data);
  } catch (e) {
    if (!(e instanceof FastReaderUnsupported)) throw e;
  }
  return readXlsxWithExcelJs(data, filename);
}

export async function readXlsxWithExcelJs(data: Buffer, filename: string): Promise<SheetSource[]> {
  const excel = await loadExcelJs();
  const wb = new excel.Workbook();
  // maxRows is honoured by exceljs' worksheet parser though missing from its typings.
  const options: Partial<ExcelJS.XlsxReadOptions> & { maxRows: number } = {
    ignoreNodes: IGNORED_NODES,
    maxRows: LIMITS.maxSheetRows,
  };
  try {
    // exceljs types its input as its own ArrayBuffer-like "Buffer"; at run time it takes Node's.
    await wb.xlsx.load(data as unknown as Parameters<typeof wb.xlsx.load>[0], options);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/^Max row count/.test(message)) {
      throw new SpreadsheetError(
        'IMPORT.TOO_MANY_ROWS',
        `工作表超过 ${LIMITS.maxSheetRows} 行（含空行），一次最多导入 ${LIMITS.maxDataRows} 条证明事项`,
        `A worksheet has more than ${LIMITS.maxSheetRows} rows (empty ones included); at most ${LIMITS.maxDataRows} proof items can be imported at once`,
        { limit: LIMITS.maxDataRows, filename },
      );
    }
    throw new SpreadsheetError(
      'IMPORT.UNSUPPORTED_FILE',
      `文件“${filename}”已损坏或不是有效的 .xlsx 工作簿，请在 Excel 或 WPS 中重新保存后上传`,
      `"${filename}" is damaged or not a valid .xlsx workbook; save it again in Excel or WPS and upload it`,
      { filename, detected: 'corrupt-xlsx', cause: message.slice(0, 200) },
    );
  }
  return wb.worksheets.map((ws) => ({
    name: ws.name,
    hidden: ws.state !== undefined && ws.state !== 'visible',
    rows: () => worksheetRows(ws, excel.ValueType.Merge),
  }));
}

/**
 * The rows of a list below its header that are data, for both list parsers (proof items and
 * service items): empty rows, note rows (注：…) and what continues them, a row numbering the
 * columns, section headings (一、公安局), totals (合计), rows with nothing in the content columns and
 * the header repeated are skipped; more data rows than a file may hold stop the import.
 */
import type { GridRow, SheetSource } from './grid.ts';
import { cleanText } from './normalise.ts';
import { LIMITS, SpreadsheetError } from './types.ts';

/** Rows below the data that are notes, not data and not errors. */
export const NOTE_ROW = /^(?:注|注释|附注|备注|说明|特别说明|填表说明|填报说明|编制说明|制表人|制表单位|制表日期|填报人|填报单位|填报日期|审核人|负责人|联系人|联系电话)\s*\d*\s*[:：]|^注\s*\d*\s*[.、．]|^注$|^(?:填表说明|填报说明|编制说明)/;
/** "一、公安局" or "第二部分 …": a heading inside the data, on its own in the row. */
const SECTION_ROW = /^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十百\d]+(?:部分|类|批|章|节|项))/;
const TOTAL_ROW = /^(?:合计|总计|小计|共计)/;

/** A heading inside the data ("一、公安局") alone in its row, or a total row ("合计 …"): neither is data. */
export function isSectionOrTotal(first: { text: string; count: number }, firstText: string): boolean {
  return (first.count === 1 && SECTION_ROW.test(firstText)) || (first.count <= 2 && TOTAL_ROW.test(firstText));
}

/** Throws IMPORT.TOO_MANY_ROWS when `rowsSoFar` rows already fill a file's allowance. */
export function assertRoomForRow(rowsSoFar: number, sheetName: string): void {
  if (rowsSoFar < LIMITS.maxDataRows) return;
  throw new SpreadsheetError(
    'IMPORT.TOO_MANY_ROWS',
    `数据超过 ${LIMITS.maxDataRows} 行，请拆分为多个文件分批导入`,
    `More than ${LIMITS.maxDataRows} data rows; split the file and import it in parts`,
    { limit: LIMITS.maxDataRows, sheetName },
  );
}

export function firstNonEmpty(cells: readonly string[]): { text: string; count: number } {
  let text = '';
  let count = 0;
  for (const c of cells) {
    if (c === '' || c.trim() === '') continue;
    if (count === 0) text = c;
    count++;
  }
  return { text, count };
}

/** A row under the header that only numbers the columns: 1 2 3 4 … */
export function isColumnNumberRow(cells: readonly string[]): boolean {
  let prev = 0;
  let n = 0;
  for (const c of cells) {
    const t = cleanText(c);
    if (t === '') continue;
    if (!/^\d{1,2}$/.test(t)) return false;
    const v = Number(t);
    if (v <= prev) return false;
    prev = v;
    n++;
  }
  return n >= 3;
}

export interface DataRowRules<F extends string> {
  /** the columns found, by field */
  columns: ReadonlyMap<F, number>;
  /** the fields of which one must be filled for a row to be data (序号 or 所属区划 alone is an unused template line) */
  contentFields: readonly F[];
  /** after a note, a row with two of these filled (none a note) is data again */
  requiredFields: readonly F[];
  /** the header again: a list pasted together from several files, or printed with repeated titles */
  isHeaderAgain(raw: (f: F) => string): boolean;
  /** the first row under the header (unless it numbers the columns): true to skip it, e.g. the second row of a two-row header */
  isSecondHeaderRow?(cells: readonly string[], raw: (f: F) => string): boolean;
}

export interface DataRow<F extends string> {
  row: GridRow;
  /** the raw text of a field's cell in this row; '' where the column is missing */
  raw: (f: F) => string;
}

/** The data rows of `sheet` below `headerRow`, each with its cells by field. */
export function* dataRows<F extends string>(sheet: SheetSource, headerRow: number, rules: DataRowRules<F>): Generator<DataRow<F>> {
  const col = rules.columns;
  let yielded = 0;
  let afterHeader = 0;
  // Set by a note row ("注：…"): later rows continue the note until one is plainly data again.
  let inNotes = false;
  for (const r of sheet.rows()) {
    if (r.row <= headerRow) continue;
    const cells = r.cells;
    const first = firstNonEmpty(cells);
    if (first.count === 0) continue;
    const firstText = cleanText(first.text);
    if (NOTE_ROW.test(firstText)) {
      inNotes = true;
      continue;
    }
    const raw = (f: F): string => {
      const c = col.get(f);
      return c === undefined ? '' : (cells[c] ?? '');
    };
    if (inNotes) {
      if (!dataAgain(raw, rules.requiredFields)) continue;
      inNotes = false;
    }
    if (++afterHeader === 1 && (isColumnNumberRow(cells) || rules.isSecondHeaderRow?.(cells, raw))) continue;
    if (isSectionOrTotal(first, firstText)) continue;
    if (rules.contentFields.every((f) => raw(f).trim() === '')) continue;
    if (rules.isHeaderAgain(raw)) continue;
    assertRoomForRow(yielded++, sheet.name);
    yield { row: r, raw };
  }
}

/** After a note: a row with at least two of the required columns filled, none of them a note, is data again. */
function dataAgain<F extends string>(raw: (f: F) => string, required: readonly F[]): boolean {
  let filled = 0;
  for (const f of required) {
    const t = cleanText(raw(f));
    if (t === '') continue;
    if (NOTE_ROW.test(t)) return false;
    filled++;
  }
  return filled >= 2;
}

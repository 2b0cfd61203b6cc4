/**
 * Where a list's header is and which rows below it are data, for both list parsers (proof items
 * and service items). The header: the row of the first ones of a sheet that names the columns
 * best, complete headers and visible sheets first. Below it, empty rows, note rows (注：…) and what
 * continues them, a row numbering the columns, section headings (一、公安局), totals (合计), rows with
 * nothing in the content columns and the header repeated are skipped; more data rows than a file
 * may hold stop the import.
 */
import type { GridRow, SheetSource } from './grid.ts';
import { cleanText } from './normalise.ts';
import { LIMITS, SpreadsheetError } from './types.ts';

export function isEmptyRow(cells: readonly string[]): boolean {
  for (const c of cells) if (c !== '' && c.trim() !== '') return false;
  return true;
}

/** What a row names, as far as choosing the header needs it. */
interface NamedColumns { columns: { readonly size: number }; texts: ReadonlyMap<string, string> }

/** What a parser knows of its list's header row. */
export interface HeaderRules<M extends NamedColumns> {
  /** the columns a row names */
  match(cells: readonly string[]): M;
  /** how well it names them: the higher, the better */
  score(match: M): number;
  /** the usual header texts of the required columns a row does not name (of all of them with no row) */
  missingHeaders(match: M | undefined): readonly string[];
  /** the column names the refusal gives as an example */
  examples: readonly string[];
}

export interface HeaderRow<M> { sheet: SheetSource; headerRow: number; match: M }

/**
 * Picks the sheet and header row: complete headers first, visible sheets first, then the best
 * score among the first LIMITS.headerScanRows non-empty rows of each sheet. A row naming fewer
 * than two columns is no header. None with every required column: IMPORT.NO_HEADER, naming those
 * missing from the best row found.
 */
export function chooseHeader<M extends NamedColumns>(sheets: readonly SheetSource[], rules: HeaderRules<M>): HeaderRow<M> {
  type Candidate = HeaderRow<M> & { score: number };
  const complete = (m: M) => rules.missingHeaders(m).length === 0;
  const rank = (c: Candidate) => c.score + (c.sheet.hidden ? 0 : 50) + (complete(c.match) ? 1000 : 0);
  let best: Candidate | undefined;
  for (const sheet of sheets) {
    let inSheet: Candidate | undefined;
    let seen = 0;
    for (const r of sheet.rows()) {
      if (isEmptyRow(r.cells)) continue;
      const match = rules.match(r.cells);
      const score = rules.score(match);
      if (match.columns.size >= 2 && (!inSheet || score > inSheet.score)) inSheet = { sheet, headerRow: r.row, match, score };
      if (++seen >= LIMITS.headerScanRows) break;
    }
    if (inSheet && (!best || rank(inSheet) > rank(best))) best = inSheet;
  }
  if (!best || !complete(best.match)) {
    const missing = [...rules.missingHeaders(best?.match)];
    const found = best ? [...best.match.texts.values()] : [];
    throw new SpreadsheetError(
      'IMPORT.NO_HEADER',
      `未找到表头：缺少“${missing.join('”“')}”列。请确认前 ${LIMITS.headerScanRows} 行中有一行列名，如 ${rules.examples.join('、')}`,
      `No header row found: missing the column(s) ${missing.join(', ')}. One of the first ${LIMITS.headerScanRows} rows must name the columns, e.g. ${rules.examples.join(', ')}`,
      { missing, found, ...(best ? { sheetName: best.sheet.name, headerRow: best.headerRow } : {}) },
    );
  }
  return { sheet: best.sheet, headerRow: best.headerRow, match: best.match };
}

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

/**
 * Reads a published proof-item list (证明事项免提交清单) from .xlsx or .csv into rows and
 * cell errors. Pure adapter: no database. Whole-file problems throw a SpreadsheetError;
 * problems in a cell are collected in `errors` with the row and the column's header text.
 */
import type { CellError, ExemptionMethod, ParseResult, SheetField, SheetRow } from './types.ts';
import { LIMITS, METHODS } from './types.ts';
import type { GridRow, SheetSource } from './grid.ts';
import { charCount, cleanMultiline, cleanText, matchKey, splitList } from './normalise.ts';
import { methodLabel, parseMethods } from './methods.ts';
import {
  DEFAULT_HEADERS, REQUIRED_FIELDS, columnsOtherThan, fieldOfHeader, headerScore, matchHeaderRow, methodColumnsOf, type HeaderMatch,
} from './headers.ts';
import { sniffFileKind } from './sniff.ts';
import { chooseHeader, dataRows, type HeaderRules } from './data-rows.ts';
import { decodeText, parseDelimited } from './csv.ts';
import { readXlsx } from './xlsx-reader.ts';

export async function parseCatalogSpreadsheet(data: Buffer, filename: string): Promise<ParseResult> {
  return parseSheets(await readSpreadsheet(data, filename));
}

/** The sheets of an uploaded .xlsx, or the one sheet of a CSV; refuses what is neither. */
export async function readSpreadsheet(data: Buffer, filename: string): Promise<SheetSource[]> {
  const kind = sniffFileKind(data, filename);
  return kind === 'xlsx' ? await readXlsx(data, filename) : [csvSheet(data, filename)];
}

export function csvSheet(data: Uint8Array, filename: string): SheetSource {
  const { text } = decodeText(data);
  const base = filename.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  return { name: base || filename, hidden: false, rows: () => parseDelimited(text) };
}

const HEADER_RULES: HeaderRules<HeaderMatch> = {
  match: matchHeaderRow, score: headerScore,
  missingHeaders: (m) => (m?.missingRequired ?? REQUIRED_FIELDS).map((f) => DEFAULT_HEADERS[f]),
  examples: ['证明名称', '开具单位', '免提交方式'],
};

/** Fields that make a row data; a row with only 序号 or 所属区划 filled is an unused template line. */
const CONTENT_FIELDS: readonly SheetField[] = ['name', 'issuingDepartment', 'legalBasis', 'methods', 'serviceItems', 'acceptingDepartment', 'code', 'notes'];
/** In a tick-box method column: these say "no"; any other text says "yes" (√ ✓ 是 ● …). */
const MARK_NO = /^(?:×|✗|✘|x|否|无|n|no|0|\/|-|—|－|不适用)$/i;

export function parseSheets(sheets: readonly SheetSource[]): ParseResult {
  const { sheet, headerRow, match } = chooseHeader(sheets, HEADER_RULES);
  const col = match.columns;
  const header = (f: SheetField): string => match.texts.get(f) ?? DEFAULT_HEADERS[f];
  const columns: Record<string, string> = {};
  for (const [f, t] of match.texts) columns[f] = t;

  let methodColumns = match.methodColumns;
  const rows: SheetRow[] = [];
  const errors: CellError[] = [];
  const firstRowOf = new Map<string, number>();

  const data = dataRows(sheet, headerRow, {
    columns: col,
    contentFields: CONTENT_FIELDS.filter((f) => col.has(f)),
    requiredFields: REQUIRED_FIELDS,
    isHeaderAgain: (raw) => isRepeatedHeader(raw, match),
    isSecondHeaderRow: (cells, raw) => {
      if (methodColumns) return false;
      // A two-row header: "免提交方式" merged over one column per method, labels underneath.
      // Its name and department cells are empty or repeat the header (merged down), and the
      // column under "免提交方式" holds the first method label.
      const blankOrHeader = (f: SheetField) => {
        const t = cleanText(raw(f));
        return t === '' || t === match.texts.get(f);
      };
      const methodsCol = col.get('methods');
      if (!blankOrHeader('name') || !blankOrHeader('issuingDepartment') || methodsCol === undefined) return false;
      const under = methodColumnsOf(cells, columnsOtherThan(col, 'methods'));
      if (!under.has(methodsCol)) return false;
      methodColumns = under;
      return true;
    },
  });
  for (const { row, raw } of data) rows.push(readRow(row, raw, { col, header, methodColumns, errors, firstRowOf }));

  return { rows, errors, headerRow, sheetName: sheet.name, columns };
}

function tickedMethods(cells: readonly string[], methodColumns: ReadonlyMap<number, ExemptionMethod>): ExemptionMethod[] {
  const out: ExemptionMethod[] = [];
  for (const [c, m] of methodColumns) {
    const t = cleanText(cells[c] ?? '');
    if (t !== '' && !MARK_NO.test(t)) out.push(m);
  }
  return out;
}

/** The header again (a list pasted together from several files, or printed with repeated titles). */
function isRepeatedHeader(raw: (f: SheetField) => string, match: HeaderMatch): boolean {
  const name = raw('name');
  if (name.length > 30 || cleanText(name) !== match.texts.get('name')) return false;
  return fieldOfHeader(raw('issuingDepartment')) === 'issuingDepartment';
}

interface RowContext {
  col: ReadonlyMap<SheetField, number>;
  header: (f: SheetField) => string;
  /** Set for the tick-box layout. */
  methodColumns: ReadonlyMap<number, ExemptionMethod> | undefined;
  /** Collects the cell errors. */
  errors: CellError[];
  /** Duplicate key → the row it first appeared in. */
  firstRowOf: Map<string, number>;
}

function readRow(r: GridRow, raw: (f: SheetField) => string, ctx: RowContext): SheetRow {
  const { col, header, methodColumns, errors, firstRowOf } = ctx;
  const rowNo = r.row;
  for (const f of col.keys()) {
    const text = raw(f);
    if (text.length > LIMITS.maxCellChars) {
      const n = charCount(text);
      if (n > LIMITS.maxCellChars) {
        errors.push({
          row: rowNo, column: header(f), code: 'IMPORT.TOO_LONG',
          reason: `“${header(f)}”超过 ${LIMITS.maxCellChars} 个字符（实际 ${n} 个）`,
          reasonEn: `"${header(f)}" is longer than ${LIMITS.maxCellChars} characters (${n})`,
        });
      }
    }
  }

  const name = cleanText(raw('name'));
  const issuingDepartment = cleanText(raw('issuingDepartment'));
  const ticked = methodColumns ? tickedMethods(r.cells, methodColumns) : undefined;
  const methodsText = ticked ? ticked.map(methodLabel).join('、') : raw('methods');
  const parsed = ticked ? { methods: ticked, unknown: [] } : parseMethods(methodsText);

  const required: Array<[SheetField, string]> = [['name', name], ['issuingDepartment', issuingDepartment], ['methods', cleanText(methodsText)]];
  for (const [f, v] of required) {
    if (v === '') {
      errors.push({
        row: rowNo, column: header(f), code: 'IMPORT.REQUIRED',
        reason: `“${header(f)}”不能为空`,
        reasonEn: `"${header(f)}" must not be empty`,
      });
    }
  }
  const unknown = parsed.methods.length === 0 && parsed.unknown.length === 0 && cleanText(methodsText) !== '' ? [cleanText(methodsText)] : parsed.unknown;
  for (const u of unknown) {
    errors.push({
      row: rowNo, column: header('methods'), code: 'IMPORT.UNKNOWN_METHOD',
      reason: `“${header('methods')}”中的“${u}”不是可识别的免提交方式，应为：${METHODS.map(methodLabel).join('、')}`,
      reasonEn: `"${u}" in "${header('methods')}" is not a known exemption method; use one of: ${METHODS.join(', ')}`,
    });
  }

  const row: SheetRow = {
    row: rowNo,
    name,
    issuingDepartment,
    legalBasis: cleanMultiline(raw('legalBasis')),
    methods: parsed.methods,
    serviceItems: splitList(raw('serviceItems')),
  };
  const seq = cleanText(raw('seq'));
  if (seq !== '') row.seq = seq;
  const region = cleanText(raw('region'));
  if (region !== '') row.region = region;
  const accepting = cleanText(raw('acceptingDepartment'));
  if (accepting !== '') row.acceptingDepartment = accepting;
  const notes = cleanMultiline(raw('notes'));
  if (notes !== '') row.notes = notes;
  const code = cleanText(raw('code'));
  if (code !== '') row.code = code;

  if (name !== '' && issuingDepartment !== '') {
    // The same proof from the same department, in the same region when the file has one.
    const key = `${matchKey(name)}\u0000${matchKey(issuingDepartment)}\u0000${region === '' ? '' : matchKey(region)}`;
    const first = firstRowOf.get(key);
    if (first === undefined) {
      firstRowOf.set(key, rowNo);
    } else {
      errors.push({
        row: rowNo, column: header('name'), code: 'IMPORT.DUPLICATE_NAME',
        reason: `证明名称“${name}”与开具单位“${issuingDepartment}”的组合与第 ${first} 行重复`,
        reasonEn: `The proof "${name}" from "${issuingDepartment}" repeats row ${first}`,
      });
    }
  }
  return row;
}

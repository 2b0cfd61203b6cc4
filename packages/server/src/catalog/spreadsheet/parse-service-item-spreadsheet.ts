/**
 * Reads a list of service items (政务服务事项清单: 事项编码, 事项名称, 实施部门, 服务对象, 申请材料)
 * from .xlsx or .csv into rows and cell errors. Pure adapter: no database; departments are
 * resolved by the caller. It shares file reading, text clean-up, header matching and the
 * rows it skips (titles above the header, notes, section headings, totals) with the
 * proof-item list parser. Whole-file problems throw a SpreadsheetError; problems in a cell
 * are collected in `errors` with the row and the column's header text as found in the file.
 */
import type { ApplicantKind } from '../domain/applicant-kinds.ts';
import { APPLICANT_KINDS } from '../domain/applicant-kinds.ts';
import { MAX_MATERIALS, SERVICE_ITEM_CODE_PATTERN, SERVICE_ITEM_NAME_MAX } from '../domain/service-item.ts';
import type { GridRow, SheetSource } from './grid.ts';
import type { CellError } from './types.ts';
import { CIRCLED_NUMBER, charCount, cleanText, foldWidth, matchKey } from './normalise.ts';
import { headerMatcher } from './headers.ts';
import { readSpreadsheet } from './parse-catalog-spreadsheet.ts';
import { chooseHeader, dataRows, type HeaderRules } from './data-rows.ts';

export interface ServiceItemSheetRow {
  /** 1-based row number as a person sees it in Excel (for CSV: the record number). */
  row: number;
  /** 事项编码 / 实施编码, width-folded */
  code: string;
  name: string;
  /** 实施部门 as written (cleaned); the caller resolves it to a department. */
  department: string;
  /** canonical order: person, enterprise */
  applicantKinds: ApplicantKind[];
  materials: Array<{ name: string; required: boolean }>;
}

export type ServiceItemColumn = 'code' | 'name' | 'department' | 'applicantKinds' | 'materials';

export interface ServiceItemParseResult {
  /** Every data row in sheet order, rows with cell errors included. Import nothing while `errors` is non-empty. */
  rows: ServiceItemSheetRow[];
  errors: CellError[];
  /** The header text as found in the file; the default name for a column the file lacks (申请材料). */
  columns: Record<ServiceItemColumn, string>;
  /** 1-based row number of the header row. */
  headerRow: number;
  /** Worksheet name; for CSV the file name without its extension. */
  sheetName: string;
}

/** Columns read, plus the ones recognised only so that they are not mistaken for data. */
type Field = ServiceItemColumn | 'seq' | 'notes' | 'region';

const REQUIRED: readonly ServiceItemColumn[] = ['code', 'name', 'department', 'applicantKinds'];
const CONTENT: readonly ServiceItemColumn[] = ['code', 'name', 'department', 'applicantKinds', 'materials'];

export const SERVICE_ITEM_DEFAULT_HEADERS: Record<ServiceItemColumn, string> = {
  code: '事项编码',
  name: '事项名称',
  department: '实施部门',
  applicantKinds: '服务对象',
  materials: '申请材料',
};

/** Synonyms in order of preference: when two columns name one field, the earlier synonym wins (事项编码 over 基本编码). */
export const SERVICE_ITEM_HEADER_SYNONYMS: Record<Field, readonly string[]> = {
  code: ['事项编码', '实施编码', '事项代码', '基本编码', '编码', '事项编号'],
  name: ['事项名称', '服务事项名称', '政务服务事项名称', '实施事项名称', '名称'],
  department: ['实施部门', '实施主体', '实施机关', '办理部门', '受理部门', '责任部门'],
  applicantKinds: ['服务对象', '办理对象', '面向对象', '适用对象'],
  materials: ['申请材料', '材料清单', '所需材料', '申请材料清单', '办理材料'],
  seq: ['序号'],
  notes: ['备注'],
  region: ['所属区划'],
};

const fieldHit = headerMatcher(SERVICE_ITEM_HEADER_SYNONYMS);
const CODE = new RegExp(SERVICE_ITEM_CODE_PATTERN);
const DEPARTMENT_MAX = 200;
const MATERIAL_NAME_MAX = 200;

export async function parseServiceItemSpreadsheet(data: Buffer, filename: string): Promise<ServiceItemParseResult> {
  return parseServiceItemSheets(await readSpreadsheet(data, filename));
}

// ---------------------------------------------------------------------------------------------
// Header

interface HeaderMatch { columns: Map<Field, number>; texts: Map<Field, string>; missing: ServiceItemColumn[] }

/** Matches one row's cells against the headers; for a field named twice, the better synonym (then the first column) wins. */
function matchHeaderRow(cells: readonly string[]): HeaderMatch {
  const best = new Map<Field, { col: number; rank: number; text: string }>();
  for (let c = 0; c < cells.length; c++) {
    const text = cells[c] ?? '';
    const hit = fieldHit(text);
    if (!hit) continue;
    const prev = best.get(hit.field);
    if (!prev || hit.rank < prev.rank) best.set(hit.field, { col: c, rank: hit.rank, text: cleanText(text) });
  }
  const columns = new Map<Field, number>();
  const texts = new Map<Field, string>();
  for (const [f, b] of best) {
    columns.set(f, b.col);
    texts.set(f, b.text);
  }
  return { columns, texts, missing: REQUIRED.filter((f) => !columns.has(f)) };
}

const HEADER_RULES: HeaderRules<HeaderMatch> = {
  match: matchHeaderRow, score: (m) => (REQUIRED.length - m.missing.length) * 100 + m.columns.size,
  missingHeaders: (m) => (m?.missing ?? REQUIRED).map((f) => SERVICE_ITEM_DEFAULT_HEADERS[f]),
  examples: ['事项编码', '事项名称', '实施部门', '服务对象', '申请材料'],
};

// ---------------------------------------------------------------------------------------------
// Rows

export function parseServiceItemSheets(sheets: readonly SheetSource[]): ServiceItemParseResult {
  const { sheet, headerRow, match } = chooseHeader(sheets, HEADER_RULES);
  const col = match.columns;
  const columns = {} as Record<ServiceItemColumn, string>;
  for (const f of CONTENT) columns[f] = match.texts.get(f) ?? SERVICE_ITEM_DEFAULT_HEADERS[f];
  const rows: ServiceItemSheetRow[] = [];
  const errors: CellError[] = [];
  const firstRowOf = new Map<string, number>();
  const data = dataRows(sheet, headerRow, {
    columns: col,
    contentFields: CONTENT.filter((f) => col.has(f)), // 序号 / 区划 / 备注 alone are not data
    requiredFields: REQUIRED,
    isHeaderAgain: (raw) => fieldHit(raw('name'))?.field === 'name' && fieldHit(raw('code'))?.field === 'code',
  });
  for (const { row, raw } of data) rows.push(readRow(row, raw, columns, errors, firstRowOf));
  return { rows, errors, columns, headerRow, sheetName: sheet.name };
}

function readRow(
  r: GridRow,
  raw: (f: Field) => string,
  columns: Record<ServiceItemColumn, string>,
  errors: CellError[],
  firstRowOf: Map<string, number>,
): ServiceItemSheetRow {
  const row = r.row;
  const fail = (f: ServiceItemColumn, code: string, reason: string, reasonEn: string) => errors.push({ row, column: columns[f], reason, reasonEn, code });
  const required = (f: ServiceItemColumn, value: string): boolean => {
    if (value !== '') return true;
    fail(f, 'IMPORT.REQUIRED', `“${columns[f]}”不能为空`, `"${columns[f]}" must not be empty`);
    return false;
  };
  const tooLong = (f: ServiceItemColumn, value: string, max: number) => {
    const n = charCount(value);
    if (n > max) fail(f, 'IMPORT.TOO_LONG', `“${columns[f]}”超过 ${max} 个字符（实际 ${n} 个）`, `"${columns[f]}" is longer than ${max} characters (${n})`);
  };

  const code = cleanText(raw('code'));
  if (required('code', code)) {
    if (!CODE.test(code)) {
      fail('code', 'IMPORT.BAD_CODE',
        `“${columns.code}”中的“${preview(code)}”不是有效的事项编码：应为 3 至 64 位字母、数字、点、下划线或连字符，以字母或数字开头`,
        `"${preview(code)}" in "${columns.code}" is not a valid item code: 3 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit`);
    } else {
      const firstRow = firstRowOf.get(code);
      if (firstRow === undefined) firstRowOf.set(code, row);
      else {
        fail('code', 'IMPORT.DUPLICATE_CODE', `事项编码“${code}”与第 ${firstRow} 行重复`, `The item code "${code}" repeats row ${firstRow}`);
      }
    }
  }

  const name = cleanText(raw('name'));
  if (required('name', name)) tooLong('name', name, SERVICE_ITEM_NAME_MAX);

  const department = cleanText(raw('department'));
  if (required('department', department)) tooLong('department', department, DEPARTMENT_MAX);

  const kindsText = cleanText(raw('applicantKinds'));
  const kinds = parseApplicantKinds(raw('applicantKinds'));
  if (required('applicantKinds', kindsText)) {
    for (const u of kinds.unknown) {
      fail('applicantKinds', 'IMPORT.BAD_APPLICANT_KIND',
        `“${columns.applicantKinds}”中的“${preview(u)}”不是可识别的服务对象，应为：自然人、法人（或 个人、企业、全部）`,
        `"${preview(u)}" in "${columns.applicantKinds}" is not a known applicant kind; use 自然人 (natural persons), 法人 (legal persons) or 全部 (both)`);
    }
  }

  const materials = parseMaterials(raw('materials'));
  if (materials.length > MAX_MATERIALS) {
    fail('materials', 'IMPORT.TOO_MANY_MATERIALS',
      `“${columns.materials}”有 ${materials.length} 项材料，最多 ${MAX_MATERIALS} 项`,
      `"${columns.materials}" lists ${materials.length} materials; at most ${MAX_MATERIALS} are allowed`);
  }
  for (const m of materials) {
    const n = charCount(m.name);
    if (n > MATERIAL_NAME_MAX) {
      fail('materials', 'IMPORT.TOO_LONG',
        `“${columns.materials}”中的材料“${preview(m.name)}”超过 ${MATERIAL_NAME_MAX} 个字符（实际 ${n} 个）`,
        `The material "${preview(m.name)}" in "${columns.materials}" is longer than ${MATERIAL_NAME_MAX} characters (${n})`);
    }
  }

  return { row, code, name, department, applicantKinds: kinds.kinds, materials };
}

/** A value quoted in a message, cut short. */
function preview(s: string): string {
  return charCount(s) > 30 ? `${[...s].slice(0, 30).join('')}…` : s;
}

// ---------------------------------------------------------------------------------------------
// 服务对象

const BOTH: readonly ApplicantKind[] = APPLICANT_KINDS;
const KIND_WORDS: ReadonlyMap<string, readonly ApplicantKind[]> = new Map<string, readonly ApplicantKind[]>([
  ...['自然人', '个人', '公民', '居民'].map((w) => [w, ['person']] as const),
  ...[
    '法人', '企业', '法人和其他组织', '其他组织', '非法人组织', '单位', '个体工商户',
    // The national platform's wording (全国一体化政务服务平台).
    '企业法人', '事业单位法人', '事业法人', '社会组织法人', '机关法人', '非法人企业',
  ].map((w) => [w, ['enterprise']] as const),
  ['全部', BOTH],
  ['自然人和法人', BOTH],
]);
const KIND_SEPARATORS = /[、,，/;；和及与\s]+/;

/**
 * 服务对象 text → kinds in canonical order. Whole phrases are tried first (自然人和法人,
 * 法人和其他组织), then the words between separators. Unknown words are returned as written.
 */
export function parseApplicantKinds(text: string): { kinds: ApplicantKind[]; unknown: string[] } {
  // Spaces separate words before clean-up would drop them between Chinese characters.
  const t = cleanText(text.trim().replace(/\s+/g, '、')).normalize('NFKC');
  if (t === '') return { kinds: [], unknown: [] };
  const found = new Set<ApplicantKind>();
  const unknown: string[] = [];
  const whole = KIND_WORDS.get(t);
  const words = whole ? [] : t.split(KIND_SEPARATORS).filter((w) => w !== '');
  if (whole) for (const k of whole) found.add(k);
  for (const w of words) {
    const kinds = KIND_WORDS.get(w);
    if (kinds) for (const k of kinds) found.add(k);
    else if (!unknown.includes(w)) unknown.push(w);
  }
  return { kinds: APPLICANT_KINDS.filter((k) => found.has(k)), unknown };
}

// ---------------------------------------------------------------------------------------------
// 申请材料

/** List numbering at the start of an item, after width folding: "1." "2、" "3)" "(4)". */
const NUMBERING = /(^|[\s；;、。，,])(?:\d{1,3}\s*[.、)](?!\d)|\(\s*\d{1,3}\s*\))\s*/g;
const OPTIONAL_MARK = /[（(【[]\s*(?:选填|非必需|非必要|如有|可选|容缺)\s*[)）】\]]/g;
const REQUIRED_MARK = /[（(【[]\s*(?:必需|必填|必要)\s*[)）】\]]/g;
/** A cell saying "no materials". */
const NO_MATERIALS = /^(?:无|没有|无需|无需材料|无需提交材料|不需要|\/|-|—|－|——)$/;
const OPEN = '(【[《「';
const CLOSE = ')】]》」';

/** The first item's numbering: "1." "1、" "1)" or "(1)", after width folding. */
const FIRST_NUMBER = /^\s*(?:1\s*([.、)])(?!\d)|\(\s*1\s*\))\s*/;

/**
 * A list numbered from 1 with nothing between its items ("1.身份证2.户口簿3.照片", line breaks
 * lost on the way): each next number in the same style starts a line. "2.5寸照片" is no "2.".
 */
function breakNumberedRun(s: string): string {
  const m = FIRST_NUMBER.exec(s);
  if (!m) return s;
  const punct = m[1];
  let out = `\n${s.slice(m[0].length)}`;
  let from = 1;
  for (let k = 2; k <= 999; k++) {
    const marker = punct === undefined ? `(${k})` : `${k}${punct}`;
    let at = out.indexOf(marker, from);
    while (at !== -1 && (/\d/.test(out[at - 1] ?? '') || (punct === '.' && /\d/.test(out[at + marker.length] ?? '')))) {
      at = out.indexOf(marker, at + 1);
    }
    if (at === -1) break;
    out = `${out.slice(0, at)}\n${out.slice(at + marker.length)}`;
    from = at + 1;
  }
  return out;
}

/** Splits on line breaks anywhere, and on ；; 、 outside brackets ("复印件（正、反面）" stays whole). */
function splitItems(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === '\n') {
      out.push(s.slice(start, i));
      start = i + 1;
      depth = 0;
    } else if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === '；' || ch === ';' || ch === '、')) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/**
 * 申请材料 cell → materials in order. Items are separated by line breaks, ；; 、 or list
 * numbering (1. 1、 (1) （1） ① …, removed; after a separator or space, or as a run from 1). (选填) (非必需) (非必要) (如有) (可选) (容缺) make an
 * item optional, (必需) (必填) (必要) required (the default); the marks are removed from the
 * name. A name given twice is kept once (required if either says so).
 */
export function parseMaterials(raw: string): Array<{ name: string; required: boolean }> {
  if (raw.trim() === '' || NO_MATERIALS.test(cleanText(raw))) return [];
  // Circled numbers first: NFKC would make "④" a bare "4".
  let s = foldWidth(raw.replace(CIRCLED_NUMBER, '\n')).replace(/\r\n|[\r\u2028\u2029\v\f]/g, '\n');
  s = breakNumberedRun(s).replace(NUMBERING, (_m, sep: string) => `${sep}\n`);
  const out: Array<{ name: string; required: boolean }> = [];
  const indexOf = new Map<string, number>();
  for (const piece of splitItems(s)) {
    let name = cleanText(piece);
    if (name === '') continue;
    const optional = name.search(OPTIONAL_MARK) !== -1;
    name = cleanText(name.replace(OPTIONAL_MARK, ' ').replace(REQUIRED_MARK, ' '))
      .replace(/^[，,：:。.\s]+|[，,：:。.；;\s]+$/g, '');
    if (name === '') continue;
    const key = matchKey(name);
    const at = indexOf.get(key);
    if (at !== undefined) {
      const prev = out[at] as { name: string; required: boolean };
      prev.required = prev.required || !optional;
      continue;
    }
    indexOf.set(key, out.length);
    out.push({ name, required: !optional });
  }
  return out;
}

/**
 * A small, fast .xlsx reader for the one thing the import needs: the text of each cell.
 *
 * It reads the ZIP with Node's zlib and scans the SpreadsheetML parts (workbook, sheet
 * relations, shared strings, cell formats, worksheets) with regular expressions — about
 * five times faster than building exceljs's full workbook model, with far less memory.
 * It gives up (FastReaderUnsupported) on anything outside that subset — ZIP64, encryption,
 * unknown compression, missing parts — and the caller then falls back to exceljs. A
 * contract test runs the same workbooks through both readers and compares the grids.
 *
 * Cell text: shared and inline strings (rich-text runs joined, phonetic runs dropped),
 * formula results, numbers, booleans, dates (by the cell's number format, 1900 or 1904
 * system); formula errors are empty. Merged cells follow the same rule as the exceljs
 * reader: the first column of a merge carries the value down, columns to its right are empty.
 */
import { inflateRawSync } from 'node:zlib';
import type { GridRow, SheetSource } from './grid.ts';
import { LIMITS, SpreadsheetError } from './types.ts';
import { excelSerialToDate, formatDate, formatNumber, isDateFormat } from './cell-text.ts';

export class FastReaderUnsupported extends Error {
  constructor(reason: string) {
    super(`fast xlsx reader: ${reason}`);
    this.name = 'FastReaderUnsupported';
  }
}

/** Largest uncompressed part accepted (a guard against ZIP bombs). */
const MAX_PART_BYTES = 256 * 1024 * 1024;

interface ZipEntry { method: number; flags: number; compressedSize: number; size: number; localOffset: number }

function readZipDirectory(data: Buffer): Map<string, ZipEntry> {
  // End of central directory: 22 bytes plus a comment of up to 65,535.
  const min = Math.max(0, data.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = data.length - 22; i >= min; i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new FastReaderUnsupported('no end of central directory');
  const count = data.readUInt16LE(eocd + 10);
  const cdOffset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new FastReaderUnsupported('zip64');
  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== 0x02014b50) throw new FastReaderUnsupported('bad central directory');
    const flags = data.readUInt16LE(p + 8);
    const method = data.readUInt16LE(p + 10);
    const compressedSize = data.readUInt32LE(p + 20);
    const size = data.readUInt32LE(p + 24);
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    const localOffset = data.readUInt32LE(p + 42);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) throw new FastReaderUnsupported('zip64');
    const name = data.toString('utf8', p + 46, p + 46 + nameLen).replace(/\\/g, '/').replace(/^\//, '');
    entries.set(name.toLowerCase(), { method, flags, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

class ZipParts {
  private readonly entries: Map<string, ZipEntry>;
  constructor(private readonly data: Buffer) {
    this.entries = readZipDirectory(data);
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  text(name: string): string | undefined {
    const e = this.entries.get(name.toLowerCase());
    if (!e) return undefined;
    if (e.flags & 1) throw new FastReaderUnsupported('encrypted entry');
    const d = this.data;
    if (e.localOffset + 30 > d.length || d.readUInt32LE(e.localOffset) !== 0x04034b50) throw new FastReaderUnsupported('bad local header');
    const start = e.localOffset + 30 + d.readUInt16LE(e.localOffset + 26) + d.readUInt16LE(e.localOffset + 28);
    const raw = d.subarray(start, start + e.compressedSize);
    if (raw.length !== e.compressedSize) throw new FastReaderUnsupported('truncated entry');
    if (e.size > MAX_PART_BYTES) throw tooLarge();
    let bytes: Buffer;
    if (e.method === 0) bytes = raw;
    else if (e.method === 8) {
      try {
        bytes = inflateRawSync(raw, { maxOutputLength: MAX_PART_BYTES });
      } catch (err) {
        if (err instanceof RangeError) throw tooLarge();
        throw new FastReaderUnsupported('inflate failed');
      }
    } else throw new FastReaderUnsupported(`compression method ${e.method}`);
    return bytes.toString('utf8');
  }
}

function tooLarge(): SpreadsheetError {
  return new SpreadsheetError(
    'IMPORT.TOO_MANY_ROWS',
    `工作表过大，一次最多导入 ${LIMITS.maxDataRows} 条证明事项`,
    `A worksheet is too large; at most ${LIMITS.maxDataRows} proof items can be imported at once`,
    { limit: LIMITS.maxDataRows },
  );
}

// ---- XML helpers -------------------------------------------------------------------------

const P = '(?:[A-Za-z_][\\w.-]*:)?'; // optional namespace prefix ("x:c")

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? decodeXml(m[1] ?? m[2] ?? '') : undefined;
}

const ENTITY = /&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const EXCEL_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

function decodeXml(s: string): string {
  let out = s;
  if (out.includes('&')) {
    out = out.replace(ENTITY, (_m, e: string) => {
      switch (e) {
        case 'lt': return '<';
        case 'gt': return '>';
        case 'amp': return '&';
        case 'quot': return '"';
        case 'apos': return "'";
        default: {
          const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
          return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
        }
      }
    });
  }
  // Excel writes control characters as _xHHHH_ (a line's \r as _x000D_).
  if (out.includes('_x')) out = out.replace(EXCEL_ESCAPE, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return out;
}

const PHONETIC_RUN = new RegExp(`<${P}rPh\\b[\\s\\S]*?<\\/${P}rPh>`, 'g');
const TEXT_ELEMENT = new RegExp(`<${P}t(?:\\s[^>]*)?(?:\\/>|>([\\s\\S]*?)<\\/${P}t>)`, 'g');

/** The text of a string item (<si> or <is>): its <t> elements, without phonetic runs. */
function stringItemText(xml: string): string {
  const body = xml.includes('rPh') ? xml.replace(PHONETIC_RUN, '') : xml;
  let out = '';
  TEXT_ELEMENT.lastIndex = 0;
  for (let m = TEXT_ELEMENT.exec(body); m; m = TEXT_ELEMENT.exec(body)) out += m[1] ?? '';
  return decodeXml(out);
}

function parseSharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  const out: string[] = [];
  const re = new RegExp(`<${P}si\\b[^>]*?(?:\\/>|>([\\s\\S]*?)<\\/${P}si>)`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m[1] ? stringItemText(m[1]) : '');
  return out;
}

/** For each cell format index (the cell's s attribute): does it show a date? */
function parseDateStyles(xml: string | undefined): boolean[] {
  if (!xml) return [];
  const codes = new Map<number, string>();
  const numFmt = new RegExp(`<${P}numFmt\\b([^>]*?)\\/?>`, 'g');
  for (let m = numFmt.exec(xml); m; m = numFmt.exec(xml)) {
    const id = Number(attr(m[1] ?? '', 'numFmtId'));
    const code = attr(m[1] ?? '', 'formatCode');
    if (Number.isInteger(id) && code !== undefined) codes.set(id, code);
  }
  const section = new RegExp(`<${P}cellXfs\\b[^>]*>([\\s\\S]*?)<\\/${P}cellXfs>`).exec(xml);
  if (!section) return [];
  const out: boolean[] = [];
  const xf = new RegExp(`<${P}xf\\b([^>]*?)(?:\\/>|>[\\s\\S]*?<\\/${P}xf>)`, 'g');
  const body = section[1] ?? '';
  for (let m = xf.exec(body); m; m = xf.exec(body)) {
    const id = Number(attr(m[1] ?? '', 'numFmtId') ?? '0');
    out.push(isDateFormat(id, codes.get(id)));
  }
  return out;
}

const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The r, t and s attributes of a <c> or <row>, in one pass. */
function cellAttrs(attrs: string): { r?: string; t?: string; s?: string } {
  const out: { r?: string; t?: string; s?: string } = {};
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(attrs); m; m = ATTRIBUTE.exec(attrs)) {
    const name = m[1];
    if (name === 'r' || name === 't' || name === 's') out[name] = m[2] ?? m[3] ?? '';
  }
  return out;
}

function colIndex(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n - 1;
}

const CELL_REF = /^([A-Z]{1,3})(\d+)$/;

interface SheetContext { strings: string[]; dateStyles: boolean[]; date1904: boolean }

function cellText(type: string | undefined, style: number, inner: string, ctx: SheetContext, vRe: RegExp, isRe: RegExp): string {
  if (type === 'inlineStr') {
    const is = isRe.exec(inner);
    return is ? stringItemText(is[1] ?? '') : '';
  }
  const vm = vRe.exec(inner);
  const v = vm ? (vm[1] ?? '') : '';
  switch (type) {
    case 's':
      return v === '' ? '' : (ctx.strings[Number(v)] ?? '');
    case 'str':
      return decodeXml(v);
    case 'b':
      return v === '' ? '' : v.trim() === '1' ? 'TRUE' : 'FALSE';
    case 'e':
      return '';
    case 'd': {
      if (v === '') return '';
      const iso = decodeXml(v).trim();
      const withTime = iso.includes('T') ? iso : `${iso}T00:00:00`;
      return formatDate(new Date(/(Z|[+-]\d\d:?\d\d)$/.test(withTime) ? withTime : `${withTime}Z`));
    }
    default: {
      if (v === '') return '';
      const n = Number(v);
      if (Number.isNaN(n)) return decodeXml(v);
      return ctx.dateStyles[style] ? formatDate(excelSerialToDate(n, ctx.date1904)) : formatNumber(n);
    }
  }
}

/** All rows of one worksheet, merges applied, in row order. */
function parseWorksheet(xml: string, ctx: SheetContext): GridRow[] {
  const grid = new Map<number, string[]>();
  const rowOpen = new RegExp(`<(${P})row\\b([^>]*?)(\\/?)>`, 'g');
  const cellOpen = new RegExp(`<(${P})c\\b([^>]*?)(\\/?)>`, 'g');
  const vRe = new RegExp(`<${P}v(?:\\s[^>]*)?>([\\s\\S]*?)<\\/${P}v>`);
  const isRe = new RegExp(`<${P}is(?:\\s[^>]*)?>([\\s\\S]*?)<\\/${P}is>`);
  const sheetDataStart = xml.search(new RegExp(`<${P}sheetData\\b`));
  if (sheetDataStart < 0) return [];
  const sheetDataEnd = xml.search(new RegExp(`<\\/${P}sheetData>`));

  let rowNo = 0;
  let maxRow = 0;
  let rowCount = 0;
  rowOpen.lastIndex = sheetDataStart;
  for (let rm = rowOpen.exec(xml); rm; rm = rowOpen.exec(xml)) {
    if (sheetDataEnd >= 0 && rm.index > sheetDataEnd) break;
    const r = Number(cellAttrs(rm[2] ?? '').r);
    rowNo = Number.isInteger(r) && r > 0 ? r : rowNo + 1;
    if (++rowCount > LIMITS.maxSheetRows) throw tooManyRows();
    if (rm[3] === '/') continue; // <row … /> has no cells
    const close = `</${rm[1] ?? ''}row>`;
    const end = xml.indexOf(close, rowOpen.lastIndex);
    if (end < 0) throw new FastReaderUnsupported('unclosed row');
    const body = xml.slice(rowOpen.lastIndex, end);
    rowOpen.lastIndex = end + close.length;

    const cells: string[] = [];
    let col = -1;
    cellOpen.lastIndex = 0;
    for (let cm = cellOpen.exec(body); cm; cm = cellOpen.exec(body)) {
      const a = cellAttrs(cm[2] ?? '');
      const refMatch = a.r ? CELL_REF.exec(a.r) : null;
      col = refMatch ? colIndex(refMatch[1] ?? 'A') : col + 1;
      let inner = '';
      if (cm[3] !== '/') {
        const cclose = `</${cm[1] ?? ''}c>`;
        const cend = body.indexOf(cclose, cellOpen.lastIndex);
        if (cend < 0) throw new FastReaderUnsupported('unclosed cell');
        inner = body.slice(cellOpen.lastIndex, cend);
        cellOpen.lastIndex = cend + cclose.length;
      }
      if (inner === '') continue;
      const text = cellText(a.t, a.s === undefined ? 0 : Number(a.s), inner, ctx, vRe, isRe);
      if (text === '') continue;
      while (cells.length < col) cells.push('');
      cells[col] = text;
    }
    if (cells.length > 0) {
      grid.set(rowNo, cells);
      if (rowNo > maxRow) maxRow = rowNo;
    }
  }

  applyMerges(xml, sheetDataEnd, grid, maxRow);
  return [...grid.entries()].sort((a, b) => a[0] - b[0]).map(([row, cells]) => ({ row, cells }));
}

function applyMerges(xml: string, from: number, grid: Map<number, string[]>, maxRow: number): void {
  const re = new RegExp(`<${P}mergeCell\\b([^>]*?)\\/?>`, 'g');
  re.lastIndex = Math.max(0, from);
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const ref = attr(m[1] ?? '', 'ref') ?? '';
    const [a, b] = ref.split(':');
    const ma = a ? CELL_REF.exec(a) : null;
    const mb = b ? CELL_REF.exec(b) : null;
    if (!ma || !mb) continue;
    const c1 = colIndex(ma[1] ?? 'A');
    const c2 = colIndex(mb[1] ?? 'A');
    const r1 = Number(ma[2]);
    const r2 = Math.min(Number(mb[2]), maxRow);
    const master = grid.get(r1)?.[c1] ?? '';
    for (let r = r1; r <= r2; r++) {
      let cells = grid.get(r);
      // Cells to the right of the merge's first column are covered: empty.
      if (cells) for (let c = c1 + 1; c <= c2 && c < cells.length; c++) cells[c] = '';
      if (r === r1 || master === '') continue;
      if (!cells) {
        cells = [];
        grid.set(r, cells);
      }
      while (cells.length < c1) cells.push('');
      cells[c1] = master;
    }
  }
}

function tooManyRows(): SpreadsheetError {
  return new SpreadsheetError(
    'IMPORT.TOO_MANY_ROWS',
    `工作表超过 ${LIMITS.maxSheetRows} 行（含空行），一次最多导入 ${LIMITS.maxDataRows} 条证明事项`,
    `A worksheet has more than ${LIMITS.maxSheetRows} rows (empty ones included); at most ${LIMITS.maxDataRows} proof items can be imported at once`,
    { limit: LIMITS.maxDataRows },
  );
}

function resolveTarget(base: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : `${base}${target}`;
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

/** Reads the workbook's sheets; throws FastReaderUnsupported when exceljs should try instead. */
export function readXlsxFast(data: Buffer): SheetSource[] {
  const zip = new ZipParts(data);
  const workbook = zip.text('xl/workbook.xml');
  const rels = zip.text('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw new FastReaderUnsupported('no xl/workbook.xml');

  const targets = new Map<string, { type: string; path: string }>();
  const relRe = new RegExp(`<${P}Relationship\\b([^>]*?)\\/?>`, 'g');
  for (let m = relRe.exec(rels); m; m = relRe.exec(rels)) {
    const id = attr(m[1] ?? '', 'Id');
    const target = attr(m[1] ?? '', 'Target');
    if (id && target && attr(m[1] ?? '', 'TargetMode') !== 'External') {
      targets.set(id, { type: attr(m[1] ?? '', 'Type') ?? '', path: resolveTarget('xl/', target) });
    }
  }
  const partOfType = (suffix: string) => [...targets.values()].find((t) => t.type.endsWith(suffix))?.path;
  const strings = parseSharedStrings(zip.text(partOfType('/sharedStrings') ?? 'xl/sharedStrings.xml'));
  const dateStyles = parseDateStyles(zip.text(partOfType('/styles') ?? 'xl/styles.xml'));
  const pr = new RegExp(`<${P}workbookPr\\b([^>]*?)\\/?>`).exec(workbook);
  const date1904 = /^(1|true)$/i.test(attr(pr?.[1] ?? '', 'date1904') ?? '');
  const ctx: SheetContext = { strings, dateStyles, date1904 };

  const sheets: SheetSource[] = [];
  const sheetRe = new RegExp(`<${P}sheet\\b([^>]*?)\\/?>`, 'g');
  for (let m = sheetRe.exec(workbook); m; m = sheetRe.exec(workbook)) {
    const attrs = m[1] ?? '';
    const relId = attr(attrs, 'r:id') ?? /\s[\w.-]+:id\s*=\s*"([^"]*)"/.exec(attrs)?.[1];
    const target = relId ? targets.get(relId) : undefined;
    if (!target || !target.type.endsWith('/worksheet')) continue; // chart sheets and the like
    if (!zip.has(target.path)) throw new FastReaderUnsupported(`missing part ${target.path}`);
    const state = attr(attrs, 'state');
    // Parsed now, not lazily, so that any FastReaderUnsupported reaches the caller here.
    const rows = parseWorksheet(zip.text(target.path) ?? '', ctx);
    sheets.push({
      name: attr(attrs, 'name') ?? target.path,
      hidden: state === 'hidden' || state === 'veryHidden',
      rows: () => rows,
    });
  }
  if (sheets.length === 0) throw new FastReaderUnsupported('no worksheets');
  return sheets;
}

/** Builders for spreadsheet test files: workbooks made with exceljs, text encoded by hand. */
import ExcelJS from 'exceljs';
import { crc32, deflateRawSync } from 'node:zlib';
import type { SheetRow } from '../../src/catalog/spreadsheet/types.ts';

export const HEADER = ['序号', '证明名称', '开具单位', '设定依据', '免提交方式', '适用事项'];

/** Builds an .xlsx in memory; `build` fills the workbook. */
export async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** One sheet from rows of values (null = no cell). */
export async function xlsxOf(rows: Array<Array<ExcelJS.CellValue>>, sheetName = '清单'): Promise<Buffer> {
  return xlsx((wb) => {
    const ws = wb.addWorksheet(sheetName);
    rows.forEach((r, i) => {
      r.forEach((v, c) => {
        if (v !== null && v !== undefined) ws.getCell(i + 1, c + 1).value = v;
      });
    });
  });
}

/** CSV text from rows, quoting where needed. */
export function csvText(rows: string[][], eol = '\r\n'): string {
  const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map(q).join(',')).join(eol) + eol;
}

let gbTable: Map<string, [number, number]> | undefined;

/**
 * Encodes text as GB18030/GBK (two-byte range only, plus ASCII). Node has no GBK encoder,
 * so the table is built by decoding every two-byte code with TextDecoder('gb18030').
 */
export function gbkEncode(text: string): Buffer {
  if (!gbTable) {
    const pairs: number[] = [];
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) pairs.push(lead, trail);
    }
    const decoded = new TextDecoder('gb18030').decode(Uint8Array.from(pairs));
    const table = new Map<string, [number, number]>();
    for (let i = 0; i < decoded.length; i++) {
      const ch = decoded[i] as string;
      if (!table.has(ch)) table.set(ch, [pairs[2 * i] as number, pairs[2 * i + 1] as number]);
    }
    gbTable = table;
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const pair = gbTable.get(ch);
    if (!pair) throw new Error(`not encodable in GBK: ${ch}`);
    out.push(pair[0], pair[1]);
  }
  return Buffer.from(out);
}

export function withoutRowNumbers(rows: SheetRow[]): Omit<SheetRow, 'row'>[] {
  return rows.map(({ row: _row, ...rest }) => rest);
}

/** A ZIP built by hand (stored or deflated entries), for hand-written SpreadsheetML. */
export function zipOf(files: Record<string, string | Buffer>, method: 0 | 8 = 8, zip64 = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const body = method === 8 ? deflateRawSync(data) : data;
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    if (zip64) {
      // Sizes and offset moved to the ZIP64 extra field.
      const extra = Buffer.alloc(28);
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(data.length), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
      central.writeUInt32LE(0xffffffff, 20);
      central.writeUInt32LE(0xffffffff, 24);
      central.writeUInt32LE(0xffffffff, 42);
      central.writeUInt16LE(extra.length, 30);
      centrals.push(central, nameBytes, extra);
    } else {
      centrals.push(central, nameBytes);
    }
    offset += 30 + nameBytes.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const count = Object.keys(files).length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip64 ? 0xffff : count, 8);
  eocd.writeUInt16LE(zip64 ? 0xffff : count, 10);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : cd.length, 12);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : offset, 16);
  if (!zip64) return Buffer.concat([...locals, cd, eocd]);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(cd.length), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([...locals, cd, record, locator, eocd]);
}

/**
 * A minimal .xlsx from hand-written parts: one worksheet per entry of `sheets`
 * (sheetData inner XML and anything after it), with optional shared strings and styles.
 */
export function handMadeXlsx(opts: {
  sheets: Array<{ name: string; xml: string; state?: string }>;
  sharedStrings?: string;
  styles?: string;
  workbookPr?: string;
  prefix?: string;
  method?: 0 | 8;
  zip64?: boolean;
}): Buffer {
  const x = opts.prefix ? `${opts.prefix}:` : '';
  const ns = opts.prefix ? `xmlns:${opts.prefix}` : 'xmlns';
  const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const files: Record<string, string> = {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<${x}workbook ${ns}="${MAIN}" xmlns:r="${REL}">${opts.workbookPr ?? ''}<${x}sheets>${opts.sheets
      .map((s, i) => `<${x}sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`)
      .join('')}</${x}sheets></${x}workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${opts.sheets
      .map((_s, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
      .join('')}<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="/xl/sharedStrings.xml"/><Relationship Id="rIdT" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
  };
  opts.sheets.forEach((s, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = `<?xml version="1.0" encoding="UTF-8"?>
<${x}worksheet ${ns}="${MAIN}" xmlns:r="${REL}"><${x}dimension ref="A1"/>${s.xml}</${x}worksheet>`;
  });
  if (opts.sharedStrings !== undefined) files['xl/sharedStrings.xml'] = `<?xml version="1.0" encoding="UTF-8"?><${x}sst ${ns}="${MAIN}">${opts.sharedStrings}</${x}sst>`;
  if (opts.styles !== undefined) files['xl/styles.xml'] = `<?xml version="1.0" encoding="UTF-8"?><${x}styleSheet ${ns}="${MAIN}">${opts.styles}</${x}styleSheet>`;
  return zipOf(files, opts.method ?? 8, opts.zip64 ?? false);
}

/** Builders for spreadsheet test files: workbooks made with exceljs, text encoded by hand. */
import ExcelJS from 'exceljs';
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

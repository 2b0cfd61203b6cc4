/** RFC 4180 CSV with a header row; UTF-8 (with or without BOM) or GB18030 (Excel on Chinese Windows). */
import type { Row } from './source.ts';

export function decodeCsv(data: Uint8Array): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return new TextDecoder('utf-8').decode(data.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

/** Rows of cells; quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsvGrid(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      } else cell += c;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); cell = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

export function parseCsv(data: Uint8Array): Row[] {
  return parseCsvTable(data).rows;
}

/** The header's column names and the rows. */
export function parseCsvTable(data: Uint8Array): { columns: string[]; rows: Row[] } {
  const [header, ...body] = parseCsvGrid(decodeCsv(data));
  if (!header) return { columns: [], rows: [] };
  const names = header.map((h) => h.trim());
  return { columns: names, rows: body.map((cells) => Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']))) };
}

export function toCsv(header: string[], rows: Array<Array<string | number | boolean | null>>): string {
  const cell = (v: string | number | boolean | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

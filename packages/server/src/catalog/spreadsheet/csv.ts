/**
 * CSV reading: encoding detection (UTF-8 with or without BOM, UTF-16 with BOM, else
 * GB18030 — which covers GBK and GB2312, what Excel on a Chinese Windows saves) and an
 * RFC 4180 parser (quoted fields with commas, quotes and line breaks; CRLF, LF or CR).
 */
import type { GridRow } from './grid.ts';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export function decodeText(data: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(data.subarray(3)), encoding: 'utf-8' };
  }
  if (data[0] === 0xff && data[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(data.subarray(2)), encoding: 'utf-16le' };
  if (data[0] === 0xfe && data[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(data.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(data), encoding: 'gb18030' };
  }
}

/** Comma, unless the first lines have more tabs than commas (tab-separated text). */
export function detectDelimiter(text: string): ',' | '\t' {
  const sample = text.slice(0, 16_384);
  let commas = 0;
  let tabs = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 44) commas++;
    else if (c === 9) tabs++;
  }
  return tabs > commas ? '\t' : ',';
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Parses delimited text into rows. `row` is the 1-based record number — what Excel shows
 * when it opens the file, whatever line breaks the quoted fields hold.
 */
export function* parseDelimited(text: string, delimiter: ',' | '\t' = detectDelimiter(text)): Generator<GridRow> {
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  let i = 0;
  let record = 0;
  let cells: string[] = [];
  while (i <= n) {
    // One field.
    let value: string;
    if (i < n && text.charCodeAt(i) === QUOTE) {
      let out = '';
      let start = ++i;
      for (;;) {
        const q = text.indexOf('"', start);
        if (q === -1) {
          // Unterminated quote: take the rest as the field.
          out += text.slice(start);
          i = n;
          break;
        }
        out += text.slice(start, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          out += '"';
          start = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // Anything between the closing quote and the delimiter is kept, as Excel does.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === d || c === CR || c === LF) break;
        j++;
      }
      if (j > i) out += text.slice(i, j);
      i = j;
      value = out;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === d || c === CR || c === LF) break;
        j++;
      }
      value = text.slice(i, j);
      i = j;
    }
    cells.push(value);
    if (i < n && text.charCodeAt(i) === d) {
      i++;
      continue;
    }
    // End of record.
    record++;
    if (i < n && text.charCodeAt(i) === CR) i++;
    if (i < n && text.charCodeAt(i) === LF) i++;
    const atEnd = i >= n;
    if (!(atEnd && cells.length === 1 && cells[0] === '')) yield { row: record, cells };
    cells = [];
    if (atEnd) break;
  }
}

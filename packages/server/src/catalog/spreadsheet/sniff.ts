/**
 * What kind of file was uploaded, decided by its bytes, not its name: an .xlsx is a ZIP
 * holding xl/workbook.xml; anything else that reads as text is taken as CSV (or TSV —
 * some systems export tab-separated text named ".xls"). Known binary formats are refused.
 */
import { SpreadsheetError } from './types.ts';

export type FileKind = 'xlsx' | 'csv';

interface Signature { bytes: readonly number[]; offset?: number; what: string; hint?: string }

const SAVE_AS_XLSX = '请在 Excel 或 WPS 中“另存为” .xlsx 后再上传';
const SAVE_AS_XLSX_EN = 'save it as .xlsx in Excel or WPS and upload again';

const BINARY_SIGNATURES: readonly Signature[] = [
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'xls', hint: '旧版 .xls / .et 文件或加密的工作簿' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'pdf' },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: 'png' },
  { bytes: [0xff, 0xd8, 0xff], what: 'jpeg' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'gif' },
  { bytes: [0x49, 0x49, 0x2a, 0x00], what: 'tiff' },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], what: 'tiff' },
  { bytes: [0x57, 0x45, 0x42, 0x50], offset: 8, what: 'webp' },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], what: 'rar' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: '7z' },
  { bytes: [0x1f, 0x8b], what: 'gzip' },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], what: 'rtf' },
];

function startsWith(data: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  if (data.length < offset + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (data[offset + i] !== bytes[i]) return false;
  return true;
}

function unsupported(filename: string, what: string, hint?: string): SpreadsheetError {
  const zhHint = hint ? `（${hint}）` : '';
  return new SpreadsheetError(
    'IMPORT.UNSUPPORTED_FILE',
    `文件“${filename}”不是可识别的电子表格${zhHint}，仅支持 .xlsx 和 .csv；${SAVE_AS_XLSX}`,
    `"${filename}" is not a supported spreadsheet (${what}); only .xlsx and .csv are accepted — ${SAVE_AS_XLSX_EN}`,
    { filename, detected: what },
  );
}

/** Latin-1 view of the bytes, for finding ASCII names inside a ZIP. */
function containsAscii(data: Uint8Array, needle: string): boolean {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).indexOf(needle, 0, 'latin1') !== -1;
}

export function sniffFileKind(data: Uint8Array, filename: string): FileKind {
  if (data.length === 0) {
    throw new SpreadsheetError('IMPORT.EMPTY_FILE', `文件“${filename}”是空的`, `"${filename}" is empty`, { filename });
  }
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0x50, 0x4b, 0x05, 0x06])) {
    // An .xlsx names its parts xl/…; a damaged one is still tried and reported as damaged.
    if (containsAscii(data, 'xl/workbook.xml') || containsAscii(data, 'xl/worksheets/')) return 'xlsx';
    if (containsAscii(data, 'word/')) throw unsupported(filename, 'docx', 'Word 文档');
    if (containsAscii(data, 'opendocument.spreadsheet')) throw unsupported(filename, 'ods', 'OpenDocument 表格');
    throw unsupported(filename, 'zip', '压缩包或其他 Office 文件');
  }
  for (const s of BINARY_SIGNATURES) {
    if (startsWith(data, s.bytes, s.offset)) throw unsupported(filename, s.what, s.hint);
  }
  const utf16 = startsWith(data, [0xff, 0xfe]) || startsWith(data, [0xfe, 0xff]);
  if (!utf16) {
    const head = data.subarray(0, 8192);
    if (head.includes(0)) throw unsupported(filename, 'binary', '二进制文件');
    // HTML or XML saved with an .xls name (网页格式 / XML 电子表格 2003).
    const start = Buffer.from(head).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().slice(0, 200).toLowerCase();
    if (/^<(\?xml|html|!doctype|table|head|body|meta)/.test(start)) throw unsupported(filename, 'html', '网页或 XML 格式的表格');
  }
  return 'csv';
}

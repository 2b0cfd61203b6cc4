/** How a non-text cell value is shown as text: the same for both xlsx readers. */

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? n.toFixed(0) : String(n);
  // 0.1 + 0.2 stored by Excel shows as 0.3.
  return String(Number(n.toPrecision(15)));
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A date as YYYY-MM-DD (with HH:MM[:SS] when it has a time). Dates are UTC instants of the wall-clock value. */
export function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const h = d.getUTCHours();
  const m = d.getUTCMinutes();
  const s = d.getUTCSeconds();
  if (h === 0 && m === 0 && s === 0) return date;
  return `${date} ${pad2(h)}:${pad2(m)}${s ? `:${pad2(s)}` : ''}`;
}

/** Excel serial day number → Date (as exceljs computes it). */
export function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/**
 * Built-in number formats that show dates or times: the international ones (14–22, 45–47)
 * and the East-Asian ones (27–36, 50–58: 2024年6月1日 in a Chinese Excel).
 */
const BUILTIN_DATE_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a number format shows a date: a built-in date id, or a code with date letters outside quotes and brackets. */
export function isDateFormat(numFmtId: number, formatCode: string | undefined): boolean {
  if (formatCode === undefined) return BUILTIN_DATE_IDS.has(numFmtId);
  const bare = formatCode.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, '');
  return /[ymdhsb]/i.test(bare.replace(/general/gi, ''));
}

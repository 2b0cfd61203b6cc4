/**
 * Text clean-up for cells of Chinese government spreadsheets.
 *
 * - Full-width Latin letters and digits, ideographic and no-break spaces, Kangxi-radical
 *   look-alikes and other compatibility characters are folded with NFKC.
 * - The Chinese punctuation that NFKC would turn into ASCII (，；：！？…) is kept as
 *   written, so "第十条，第十一条" stays Chinese; splitting accepts both forms.
 * - Parentheses get one canonical form: （） in text that contains Chinese characters,
 *   () otherwise, so "户籍证明(户口簿)" and "户籍证明（户口簿）" are the same value.
 * - Whitespace: zero-width characters are dropped, runs collapse to one space, and a
 *   space between two Chinese characters or punctuation marks is removed ("马鞍山市 公安局");
 *   one between Latin letters or digits and Chinese is kept ("ICP 备案", "GB/T 2260 标准"), as
 *   the name was written.
 */

/** Characters NFKC would fold to ASCII but that carry meaning in Chinese text. */
const KEEP_CHINESE_PUNCT = /[，；：！？…]/;
const NOT_KEPT_RUN = /[^，；：！？…]+/g;
const ASCII_ONLY = /^[\x20-\x7E]*$/;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const WHITESPACE_RUN = /\s+/g;
/** Chinese characters and CJK/full-width punctuation, plus curly quotes used in Chinese text. */
const CJK = '\\u2E80-\\u9FFF\\uF900-\\uFAFF\\uFE30-\\uFE4F\\uFF00-\\uFFEF\\u201C\\u201D\\u2018\\u2019';
const SPACE_BY_CJK = new RegExp(`(?<=[${CJK}]) (?=[${CJK}])`, 'g');
const IDEOGRAPH = /[\u3400-\u9FFF]/;
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029\v\f]/;
/**
 * Text that every step below leaves unchanged: ideographs, ASCII letters and digits and
 * Chinese punctuation that NFKC keeps, no spaces, no parentheses.
 */
const ALREADY_CLEAN = /^[\u3400-\u4DBF\u4E00-\u9FFF\u3001\u3002\u300A-\u300F\u3010\u3011\u3014\u3015\u201C\u201D\u2018\u2019\u00B7\u2014\u2026，；：！？0-9A-Za-z_./-]+$/;

/** NFKC, except for the Chinese punctuation kept as written. */
export function foldWidth(s: string): string {
  if (ASCII_ONLY.test(s)) return s;
  if (!KEEP_CHINESE_PUNCT.test(s)) return s.normalize('NFKC');
  return s.replace(NOT_KEPT_RUN, (seg) => seg.normalize('NFKC'));
}

function canonicalParens(s: string): string {
  if (IDEOGRAPH.test(s)) {
    return s.includes('(') || s.includes(')') ? s.replace(/\(/g, '（').replace(/\)/g, '）') : s;
  }
  return s.includes('（') || s.includes('）') ? s.replace(/（/g, '(').replace(/）/g, ')') : s;
}

/** One-line value: names, departments, codes. Line breaks inside the cell count as spaces. */
export function cleanText(raw: string): string {
  if (raw === '') return '';
  if (ALREADY_CLEAN.test(raw)) return raw;
  if (ASCII_ONLY.test(raw)) {
    // Fast path for codes, numbers and English method codes.
    return raw.includes('  ') || raw.trim() !== raw ? raw.replace(/ +/g, ' ').trim() : raw;
  }
  // parentheses first: a space by "(" in Chinese text is a space by "（"
  let s = canonicalParens(foldWidth(raw).replace(ZERO_WIDTH, '').replace(WHITESPACE_RUN, ' '));
  if (s.includes(' ')) s = s.replace(SPACE_BY_CJK, '');
  return s.trim();
}

/** Multi-line value (设定依据, 备注): each line cleaned, empty lines dropped, joined by "\n". */
export function cleanMultiline(raw: string): string {
  if (raw === '') return '';
  if (!LINE_BREAK.test(raw)) return cleanText(raw);
  const lines: string[] = [];
  for (const line of raw.split(LINE_BREAK)) {
    const c = cleanText(line);
    if (c !== '') lines.push(c);
  }
  return lines.join('\n');
}

/**
 * A name as imports compare it with the registered ones (departments, proof items): width-folded
 * (NFKC, so full-width brackets are ASCII), without white space; case kept.
 */
export function nameKey(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

/**
 * A comparison key: cleaned, fully NFKC-folded (so ，and , are equal), without any
 * whitespace, lower case. Two names with the same key are the same name.
 */
export function matchKey(s: string): string {
  if (ALREADY_CLEAN.test(s) && !KEEP_CHINESE_PUNCT.test(s)) return s.toLowerCase();
  return cleanText(s).normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** Enumerators at the start of a list entry: "1." "2、" "（3）" (after width folding). */
const ENUMERATOR = /(^|[\n；;，,、。])\s*(?:\d{1,3}\s*[.、)）](?!\d)|[（(]\s*\d{1,3}\s*[)）])\s*/g;
/** ①…⑳, ❶…❿, ⑴…⒇, ⒈…⒛ */
export const CIRCLED_NUMBER = /[\u2460-\u249B\u2776-\u277F]/g;
const LIST_SEPARATORS = /[、；;，,\n]+/;

/**
 * Splits a list cell (适用事项) on 、；;，, and line breaks. List numbering ("1." "（2）"
 * "③") is dropped, entries are cleaned, a trailing 。 or "等" is dropped, duplicates removed.
 */
export function splitList(raw: string): string[] {
  if (raw.trim() === '') return [];
  // Circled numbers first: NFKC would make "④" a bare "4".
  let s = foldWidth(raw.replace(CIRCLED_NUMBER, '\n')).replace(/\r\n|[\r\u2028\u2029\v\f]/g, '\n');
  s = s.replace(ENUMERATOR, (_m, sep: string) => `${sep}\n`);
  const parts = s.split(LIST_SEPARATORS);
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    let p = cleanText(parts[i] ?? '').replace(/[。.]+$/, '');
    // "户口迁移、婚姻登记等" / "…等事项": the list's "and so on", not part of the last name.
    if (i === parts.length - 1 && p.length >= 4) p = p.replace(/等(相关)?(事项)?$/, '');
    if (p === '' || seen.has(p)) continue;
    seen.add(p);
    out.push(p);
  }
  return out;
}

/** Length in characters as a person counts them (code points). */
export function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

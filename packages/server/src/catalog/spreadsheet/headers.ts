/**
 * Finding the header row of a proof-item list: each known header name and synonym maps
 * to a field; the row among the first ones that names the most fields wins.
 */
import type { ExemptionMethod, SheetField } from './types.ts';
import { cleanText, matchKey } from './normalise.ts';
import { parseMethods } from './methods.ts';

export const REQUIRED_FIELDS = ['name', 'issuingDepartment', 'methods'] as const satisfies readonly SheetField[];

/** The header text the writer uses, and the name an error gives a column the file lacks. */
export const DEFAULT_HEADERS: Record<SheetField, string> = {
  seq: '序号',
  name: '证明名称',
  issuingDepartment: '开具单位',
  legalBasis: '设定依据',
  methods: '免提交方式',
  serviceItems: '适用事项',
  region: '所属区划',
  acceptingDepartment: '索要单位',
  code: '证明编码',
  notes: '备注',
};

/** Column order of the written workbook. */
export const FIELD_ORDER: readonly SheetField[] = [
  'seq', 'name', 'issuingDepartment', 'legalBasis', 'methods', 'serviceItems', 'region', 'acceptingDepartment', 'code', 'notes',
];

export const HEADER_SYNONYMS: Record<SheetField, readonly string[]> = {
  seq: ['序号', '序', '编号', '顺序号', 'No', 'No.', '序列号'],
  name: [
    '证明名称', '证明事项名称', '证明事项', '证明材料名称', '证明材料', '证明名称(证明事项)', '名称', '证明',
    '保留证明事项名称', '取消证明事项名称', '证明事项(材料)名称',
  ],
  issuingDepartment: [
    '开具单位', '证明开具单位', '开具部门', '出具单位', '证明开具部门', '出具部门', '开具机关', '出具机关',
    '证明出具单位', '证明出具部门', '开具单位(部门)', '开具主体', '证明开具主体', '开具单位名称',
  ],
  legalBasis: [
    '设定依据', '法律依据', '依据', '法律法规依据', '政策依据', '设定依据及条款', '索要依据', '证明设定依据',
    '法定依据', '法规依据', '设定依据(法律法规规章)',
  ],
  methods: [
    '免提交方式', '替代方式', '办理方式', '取消后的办理方式', '处理方式', '取消后办理方式', '免提交途径',
    '替代措施', '免证方式', '免证办理方式', '清理方式', '处理意见', '清理意见', '免于提交方式', '实现方式',
  ],
  serviceItems: [
    '适用事项', '涉及事项', '所涉政务服务事项', '索要单位及事项', '涉及的政务服务事项', '适用的政务服务事项',
    '政务服务事项', '涉及政务服务事项', '政务服务事项名称', '适用范围', '办理事项', '应用事项', '用途',
    '索要事项', '涉及的办理事项',
  ],
  region: ['所属区划', '地区', '区划代码', '行政区划', '所属地区', '区划', '所属行政区划', '行政区划代码', '区域'],
  acceptingDepartment: ['索要单位', '实施部门', '受理部门', '索要部门', '实施机关', '使用单位', '索要机关', '实施单位', '受理单位'],
  notes: ['备注', '说明', '备注说明', '其他说明'],
  code: ['证明编码', '事项编码', '证明事项编码', '编码', '证明编号', '证明代码'],
};

/** Header text as a key: no spaces or line breaks, no required-field stars, no trailing colon. */
function headerKey(text: string): string {
  return matchKey(text).replace(/[*※★]/g, '').replace(/[:：]$/, '');
}

/** A header cell matched to a field; `rank` is lower for a better match: an earlier synonym, exact or with a remark, before a suffix match. */
export interface HeaderHit<F extends string> { field: F; rank: number }

/**
 * A matcher from header text to a field, for a table of field → synonyms: exact (after
 * clean-up), then without a trailing bracketed remark ("证明名称（必填）"), then by the end of
 * the text for synonyms of four characters or more ("证明事项免提交方式").
 */
export function headerMatcher<F extends string>(synonyms: Readonly<Record<F, readonly string[]>>): (text: string) => HeaderHit<F> | undefined {
  const exact = new Map<string, HeaderHit<F>>();
  // Longer synonyms first, for the suffix fallback.
  const suffixes: Array<[string, HeaderHit<F>]> = [];
  for (const [field, names] of Object.entries(synonyms) as Array<[F, readonly string[]]>) {
    names.forEach((n, i) => {
      const k = matchKey(n);
      exact.set(k, { field, rank: 2 * i });
      if (n.length >= 4) suffixes.push([k, { field, rank: 1000 + i }]);
    });
  }
  suffixes.sort((a, b) => b[0].length - a[0].length);
  return (text) => {
    if (text === '' || text.length > 60) return undefined;
    const k = headerKey(text);
    if (k === '') return undefined;
    const hit = exact.get(k);
    if (hit) return hit;
    // "证明名称（必填）", "免提交方式(直接取消/数据共享/…)": drop the bracketed remark.
    const bare = k.replace(/\([^()]*\)$/, '').replace(/【[^【】]*】$/, '');
    if (bare !== k) {
      const h = exact.get(bare);
      if (h) return { field: h.field, rank: h.rank + 1 };
    }
    if (bare.length <= 20) {
      for (const [suffix, h] of suffixes) if (bare.endsWith(suffix)) return h;
    }
    return undefined;
  };
}

const proofHeader = headerMatcher(HEADER_SYNONYMS);

/** The field a header cell names, if any. */
export function fieldOfHeader(text: string): SheetField | undefined {
  return proofHeader(text)?.field;
}

export interface HeaderMatch {
  /** field → 0-based column index */
  columns: Map<SheetField, number>;
  /** field → header text as in the file (whitespace collapsed) */
  texts: Map<SheetField, string>;
  missingRequired: SheetField[];
  /**
   * Tick-box layout: one column per method (直接取消 | 数据共享 | 告知承诺 …) marked with √
   * in the data rows, named in the header row or in the row right under it.
   */
  methodColumns?: Map<number, ExemptionMethod>;
}

/**
 * Columns whose header is a single method label, when there are at least two of them.
 * `skip` holds columns that belong to other fields.
 */
export function methodColumnsOf(cells: readonly string[], skip: ReadonlySet<number>): Map<number, ExemptionMethod> {
  const out = new Map<number, ExemptionMethod>();
  const seen = new Set<ExemptionMethod>();
  for (let c = 0; c < cells.length; c++) {
    if (skip.has(c)) continue;
    const t = cleanText(cells[c] ?? '');
    if (t === '' || t.length > 12) continue;
    const p = parseMethods(t);
    const m = p.methods[0];
    if (m !== undefined && p.methods.length === 1 && p.unknown.length === 0 && !seen.has(m)) {
      seen.add(m);
      out.set(c, m);
    }
  }
  return out.size >= 2 ? out : new Map();
}

/** Columns mapped to a field other than `except`. */
export function columnsOtherThan(columns: ReadonlyMap<SheetField, number>, except: SheetField): Set<number> {
  const out = new Set<number>();
  for (const [f, c] of columns) if (f !== except) out.add(c);
  return out;
}

/** Matches one row's cells against the known headers; the first column naming a field wins. */
export function matchHeaderRow(cells: readonly string[]): HeaderMatch {
  const columns = new Map<SheetField, number>();
  const texts = new Map<SheetField, string>();
  for (let c = 0; c < cells.length; c++) {
    const text = cells[c] ?? '';
    const field = fieldOfHeader(text);
    if (field && !columns.has(field)) {
      columns.set(field, c);
      texts.set(field, cleanText(text));
    }
  }
  if (!columns.has('methods') && columns.size >= 2) {
    const methodColumns = methodColumnsOf(cells, columnsOtherThan(columns, 'methods'));
    const firstCol = methodColumns.keys().next().value;
    if (firstCol !== undefined) {
      columns.set('methods', firstCol);
      texts.set('methods', DEFAULT_HEADERS.methods);
      const missingRequired = REQUIRED_FIELDS.filter((f) => !columns.has(f));
      return { columns, texts, missingRequired, methodColumns };
    }
  }
  const missingRequired = REQUIRED_FIELDS.filter((f) => !columns.has(f));
  return { columns, texts, missingRequired };
}

/** Orders candidates: more required fields, then more fields. */
export function headerScore(m: HeaderMatch): number {
  return (REQUIRED_FIELDS.length - m.missingRequired.length) * 100 + m.columns.size;
}

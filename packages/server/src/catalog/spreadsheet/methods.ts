/**
 * Exemption-method wordings (免提交方式) as justice bureaus write them, mapped to the
 * fixed method codes of DOMAIN.md.
 */
import { METHODS, type ExemptionMethod } from './types.ts';
import { CIRCLED_NUMBER, foldWidth } from './normalise.ts';

const LABELS: Record<ExemptionMethod, string> = {
  cancelled: '直接取消',
  data_sharing: '数据共享',
  e_license: '电子证照',
  dept_verification: '部门核验',
  commitment: '告知承诺',
  online_issue: '在线开具',
  retained: '保留',
};

/** The label the published list uses for a method (and the one the writer puts in cells). */
export function methodLabel(m: ExemptionMethod): string {
  return LABELS[m];
}

export function isExemptionMethod(v: unknown): v is ExemptionMethod {
  return typeof v === 'string' && (METHODS as readonly string[]).includes(v);
}

/** Wordings seen in published lists. Keys are compared after NFKC and without spaces. */
export const METHOD_SYNONYMS: Record<ExemptionMethod, readonly string[]> = {
  cancelled: [
    '直接取消', '取消', '不再提交', '免于提交', '免予提交', '无需提交', '无需提供', '不再提供', '不再索要',
    '直接免除', '取消证明', '取消证明材料', '予以取消',
  ],
  data_sharing: [
    '数据共享', '部门间信息共享', '信息共享', '共享核验', '数据共享核验', '信息共享核验', '部门信息共享',
    '部门间数据共享', '共享', '数据查询', '共享查询', '数据比对', '大数据共享', '政务数据共享',
  ],
  e_license: [
    '电子证照', '亮证', '亮码', '电子证照调用', '调用电子证照', '电子证照共享', '电子证照核验', '证照共享',
    '电子证照查询', '亮证亮码', '扫码亮证',
  ],
  dept_verification: [
    '部门核验', '部门间核验', '协查核验', '核查', '核验', '协查', '部门协查', '部门核查', '部门间协查',
    '部门间核查', '内部核验', '主动核查', '主动核验', '调查核实', '函询核验',
  ],
  commitment: [
    '告知承诺', '告知承诺制', '承诺制', '个人承诺', '书面承诺', '承诺', '申请人承诺', '告知承诺替代',
    '信用承诺', '承诺替代', '告知承诺书', '以承诺替代',
  ],
  online_issue: [
    '在线开具', '网上开具', '自助开具', '在线出具', '网上出具', '在线打印', '自助打印', '网上打印',
    '网上自助开具', '在线自助开具', '自助查询打印',
  ],
  retained: [
    '保留', '保留证明', '仍需提交', '继续保留', '暂予保留', '予以保留', '保留提交', '仍需提供',
    '保留证明材料', '需提交', '需要提交',
  ],
};

const LOOKUP: Map<string, ExemptionMethod> = (() => {
  const m = new Map<string, ExemptionMethod>();
  for (const code of METHODS) {
    m.set(code, code);
    for (const w of METHOD_SYNONYMS[code]) m.set(w, code);
  }
  return m;
})();

/** Several methods in one cell: 、，,;；/| 或 和 及 + and line breaks. */
const SEPARATORS = /[、，,;；/|｜+\n]+|以及|或者|或|和|及/;
const BRACKETED = /[(（【\[][^()（）【】[\]]*[)）】\]]/g;
const PREFIX = /^(?:通过|采用|实行|实施|改为|改用|可|以|凭|由|经)+/;
const SUFFIX = /(?:的方式|方式办理|方式|办理|制度|模式|替代|获取)+$/;

function lookupOne(token: string): ExemptionMethod | undefined {
  let t = token.replace(/^\s*(?:\d{1,2}[.、)]|\(\d{1,2}\))\s*/, '').replace(/[。.]+$/, '');
  t = t.replace(/\s+/g, '');
  if (t === '') return undefined;
  const lower = t.toLowerCase().replace(/-/g, '_');
  const hit = LOOKUP.get(lower);
  if (hit) return hit;
  const stripped = lower.replace(PREFIX, '').replace(SUFFIX, '');
  return stripped === '' ? undefined : LOOKUP.get(stripped);
}

export interface ParsedMethods {
  methods: ExemptionMethod[];
  /** Wordings that match no method, as written (cleaned). */
  unknown: string[];
}

/**
 * Reads a 免提交方式 cell. Remarks in brackets are ignored ("数据共享（人口库）"), wrappers
 * like "通过…方式" are tolerated, duplicates are removed, order is kept.
 */
export function parseMethods(raw: string): ParsedMethods {
  const methods: ExemptionMethod[] = [];
  const unknown: string[] = [];
  const text = foldWidth(raw.replace(CIRCLED_NUMBER, '\n')).replace(/\r\n|\r/g, '\n').trim();
  if (text === '') return { methods, unknown };
  const add = (m: ExemptionMethod) => {
    if (!methods.includes(m)) methods.push(m);
  };
  const whole = lookupOne(text.replace(BRACKETED, ''));
  if (whole) return { methods: [whole], unknown };

  for (const part of text.replace(BRACKETED, ' ').split(SEPARATORS)) {
    const token = part.trim();
    if (token === '') continue;
    const m = lookupOne(token);
    if (m) {
      add(m);
      continue;
    }
    // "数据共享 告知承诺": spaces used as the separator.
    const words = token.split(/\s+/);
    const each = words.length > 1 ? words.map(lookupOne) : [];
    if (each.length > 1 && each.every((x) => x !== undefined)) {
      for (const x of each) add(x as ExemptionMethod);
    } else {
      unknown.push(token.replace(/\s+/g, ' '));
    }
  }
  return { methods, unknown };
}

/**
 * Data items: what a provider node offers, as both sides see it. A definition fixes the
 * parameters a query may carry (nothing else is accepted: a consumer cannot widen a
 * query) and the fields an answer may contain (minimal disclosure: a question item
 * answers the question, a record item returns only its declared fields).
 */
import { parseIdentityNumber, parseUscc } from '@mianzheng/crypto';

export type ParamType = 'identity_number' | 'uscc' | 'integer' | 'date' | 'enum';

export interface ParamSpec {
  name: string;
  type: ParamType;
  label: string;
  required: boolean;
  /** integer bounds */
  min?: number;
  max?: number;
  /** enum values */
  values?: string[];
  /**
   * The value a consumer with none of its own asks with — the platform's application engine,
   * which knows the applicant but not e.g. how many months to ask (社保缴费记录: the last 12).
   * Sent in the signed request like any value; must itself be a valid value of the parameter.
   */
  default?: number | string;
}

export type AnswerFieldType = 'boolean' | 'string' | 'integer' | 'number' | 'date';

/**
 * What a string answer field holds, for the platform's access log (persons an answer names
 * get their own entry): `person` a person's identity number, `enterprise` a unified social
 * credit code, `none` neither (a certificate number …). `enterprise` and `none` are never
 * taken for a person, however much a value looks like an identity number; an undeclared
 * field is, when its value is a valid one.
 */
export type Identifies = 'person' | 'enterprise' | 'none';
export const IDENTIFIES: readonly Identifies[] = ['person', 'enterprise', 'none'];

export interface AnswerField {
  name: string;
  type: AnswerFieldType;
  label: string;
  identifies?: Identifies;
}

export type ItemKind = 'question' | 'record';

export interface ItemDefinition {
  /** kebab-case code, unique within a node: `marriage-status` */
  code: string;
  /** 婚姻状况 */
  name: string;
  nameEn: string;
  /** question: answers one question (yes/no, a status); record: returns the declared fields of a record */
  kind: ItemKind;
  /** record items only: several records (e.g. monthly contributions) come back as `{ records: [...] }` */
  many?: boolean;
  /** the parameter that identifies the data subject (whose data this is) */
  subjectParam: string;
  subjectKind: 'person' | 'enterprise';
  params: ParamSpec[];
  answer: AnswerField[];
  description?: string;
}

export interface ParamIssue { field: string; problem: string; problemEn: string }

const NAME = /^[a-z][A-Za-z0-9]{0,39}$/;
export const ITEM_CODE = /^[a-z][a-z0-9-]{1,47}$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** integer parameters: at most nine digits, as a JSON number or a digit string */
const MAX_INTEGER = 999_999_999;
/**
 * Records one many-record answer carries at most. A node whose source returns more refuses the
 * query as `too_many_records` (signed, with the count) instead of answering part of them: a list
 * cut at some row would read as complete — "paid contributions in these months only".
 */
export const MAX_RECORDS = 1000;

/**
 * Checks query parameters against an item definition: every declared parameter has its
 * type (identity numbers and USCCs by their check characters), required ones are present,
 * and no undeclared parameter is accepted. Returns the normalised parameters.
 */
export function validateParams(def: ItemDefinition, params: unknown): { ok: true; params: Record<string, string | number> } | { ok: false; issue: ParamIssue } {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    return { ok: false, issue: { field: 'params', problem: '参数必须是对象', problemEn: 'params must be an object' } };
  }
  const given = params as Record<string, unknown>;
  const specs = new Map(def.params.map((p) => [p.name, p]));
  for (const key of Object.keys(given)) {
    if (!specs.has(key)) return { ok: false, issue: { field: `params.${key}`, problem: `数据项未定义参数 ${key}`, problemEn: `Parameter ${key} is not defined by the item` } };
  }
  const out: Record<string, string | number> = {};
  for (const spec of def.params) {
    const field = `params.${spec.name}`;
    const value = given[spec.name];
    if (value === undefined || value === null || value === '') {
      if (spec.required) return { ok: false, issue: { field, problem: `缺少参数 ${spec.name}`, problemEn: `Missing parameter ${spec.name}` } };
      continue;
    }
    switch (spec.type) {
      case 'identity_number': {
        const r = typeof value === 'string' ? parseIdentityNumber(value.trim()) : undefined;
        if (!r?.valid) return { ok: false, issue: { field, problem: '居民身份证号码校验失败', problemEn: 'Invalid resident identity number' } };
        out[spec.name] = r.value;
        break;
      }
      case 'uscc': {
        const r = typeof value === 'string' ? parseUscc(value.trim()) : undefined;
        if (!r?.valid) return { ok: false, issue: { field, problem: '统一社会信用代码校验失败', problemEn: 'Invalid unified social credit code' } };
        out[spec.name] = r.value;
        break;
      }
      case 'integer': {
        // a number is held to what a digit string may be (at most nine digits): beyond 2^53 it is no
        // longer the number that was sent, and beyond a database integer it fails the source query
        const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : NaN;
        if (!Number.isInteger(n) || Math.abs(n) > MAX_INTEGER) return { ok: false, issue: { field, problem: '应为不超过九位的整数', problemEn: 'Must be an integer of at most nine digits' } };
        if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
          return { ok: false, issue: { field, problem: `应在 ${spec.min ?? '-∞'} 到 ${spec.max ?? '∞'} 之间`, problemEn: `Must be between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}` } };
        }
        out[spec.name] = n;
        break;
      }
      case 'date': {
        if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
          return { ok: false, issue: { field, problem: '日期格式应为 YYYY-MM-DD', problemEn: 'Date must be YYYY-MM-DD' } };
        }
        out[spec.name] = value;
        break;
      }
      case 'enum': {
        if (typeof value !== 'string' || !(spec.values ?? []).includes(value)) {
          return { ok: false, issue: { field, problem: `取值应为 ${(spec.values ?? []).join('、')} 之一`, problemEn: `Must be one of ${(spec.values ?? []).join(', ')}` } };
        }
        out[spec.name] = value;
        break;
      }
    }
  }
  return { ok: true, params: out };
}

/** Structural check of a definition (node config and platform directory use it). Returns problems, empty when valid. */
export function checkItemDefinition(def: unknown): string[] {
  const problems: string[] = [];
  if (typeof def !== 'object' || def === null) return ['item definition must be an object'];
  const d = def as Partial<ItemDefinition>;
  if (typeof d.code !== 'string' || !ITEM_CODE.test(d.code)) problems.push('code must be kebab-case, 2–48 characters');
  if (typeof d.name !== 'string' || !d.name.trim() || d.name.length > 64) problems.push('name is required (≤ 64 characters)');
  if (typeof d.nameEn !== 'string' || d.nameEn.length > 128) problems.push('nameEn is required (≤ 128 characters)');
  if (d.kind !== 'question' && d.kind !== 'record') problems.push('kind must be question or record');
  if (d.many !== undefined && (typeof d.many !== 'boolean' || (d.many && d.kind !== 'record'))) problems.push('many applies to record items only');
  if (d.subjectKind !== 'person' && d.subjectKind !== 'enterprise') problems.push('subjectKind must be person or enterprise');
  if (!Array.isArray(d.params) || d.params.length === 0 || d.params.length > 8) problems.push('params: 1–8 parameters');
  else {
    const seen = new Set<string>();
    for (const p of d.params) {
      if (typeof p?.name !== 'string' || !NAME.test(p.name)) { problems.push(`param name "${String(p?.name)}" must be camelCase`); continue; }
      if (seen.has(p.name)) problems.push(`param ${p.name} is declared twice`);
      seen.add(p.name);
      if (!['identity_number', 'uscc', 'integer', 'date', 'enum'].includes(p.type)) problems.push(`param ${p.name}: unknown type ${String(p.type)}`);
      if (typeof p.label !== 'string') problems.push(`param ${p.name}: label is required`);
      if (typeof p.required !== 'boolean') problems.push(`param ${p.name}: required must be true or false`);
      if (p.type === 'enum' && (!Array.isArray(p.values) || p.values.length === 0 || p.values.some((v) => typeof v !== 'string'))) problems.push(`param ${p.name}: enum needs values`);
      if (p.type === 'integer' && ((p.min !== undefined && !Number.isInteger(p.min)) || (p.max !== undefined && !Number.isInteger(p.max)))) problems.push(`param ${p.name}: min/max must be integers`);
      if (p.default !== undefined) {
        if (p.name === d.subjectParam) problems.push(`param ${p.name}: the subject parameter has no default`);
        else if (typeof p.default !== 'number' && typeof p.default !== 'string') problems.push(`param ${p.name}: default must be a number or a string`);
        else {
          const alone = validateParams({ ...(d as ItemDefinition), params: [{ ...p, required: true }] }, { [p.name]: p.default });
          if (!alone.ok) problems.push(`param ${p.name}: default ${JSON.stringify(p.default)} is not a valid value (${alone.issue.problemEn})`);
        }
      }
    }
    const subject = d.params.find((p) => p?.name === d.subjectParam);
    if (!subject) problems.push('subjectParam must name one of the params');
    else if (!subject.required) problems.push('the subject parameter must be required');
    else if (subject.type !== (d.subjectKind === 'enterprise' ? 'uscc' : 'identity_number')) problems.push('the subject parameter must be an identity_number (person) or uscc (enterprise)');
  }
  if (!Array.isArray(d.answer) || d.answer.length === 0 || d.answer.length > 24) problems.push('answer: 1–24 fields');
  else {
    const seen = new Set<string>();
    for (const f of d.answer) {
      if (typeof f?.name !== 'string' || !NAME.test(f.name) || f.name === 'records') { problems.push(`answer field "${String(f?.name)}" must be camelCase (not "records")`); continue; }
      if (seen.has(f.name)) problems.push(`answer field ${f.name} is declared twice`);
      seen.add(f.name);
      if (!['boolean', 'string', 'integer', 'number', 'date'].includes(f.type)) problems.push(`answer field ${f.name}: unknown type ${String(f.type)}`);
      if (typeof f.label !== 'string') problems.push(`answer field ${f.name}: label is required`);
      if (f.identifies !== undefined && (!IDENTIFIES.includes(f.identifies) || f.type !== 'string')) problems.push(`answer field ${f.name}: identifies must be person, enterprise or none, on a string field`);
    }
  }
  return problems;
}

/** The subject's identifier in validated params. */
export function subjectOf(def: ItemDefinition, params: Record<string, string | number>): string {
  return String(params[def.subjectParam]);
}

function checkValue(type: AnswerFieldType, v: unknown): boolean {
  if (v === null) return true;
  switch (type) {
    case 'boolean': return typeof v === 'boolean';
    case 'string': return typeof v === 'string' && v.length <= 1000;
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'date': return typeof v === 'string' && DATE.test(v);
  }
}

function checkObject(def: ItemDefinition, o: unknown, where: string): string | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return `${where} must be an object`;
  const given = o as Record<string, unknown>;
  for (const f of def.answer) {
    // absent is not null: a field left out reads as "no" or "none" downstream, so it is never taken for one
    if (!Object.hasOwn(given, f.name)) return `${where}.${f.name} is missing`;
    if (!checkValue(f.type, given[f.name])) return `${where}.${f.name} is not a ${f.type}`;
  }
  if (Object.keys(given).length !== def.answer.length) {
    const k = Object.keys(given).find((key) => !def.answer.some((f) => f.name === key));
    return `${where}.${k} is not a declared answer field`;
  }
  return undefined;
}

/**
 * Checks an answer against the item definition: every declared field, of its type — null
 * stands for "no value" (a definition declares no field that may not be null) — and nothing
 * else (`{ records: [...] }` for many-record items, each record so). Used by the node before
 * answering and by the platform before using an answer. Returns the problem, or undefined
 * when conforming.
 */
export function checkAnswer(def: ItemDefinition, answer: unknown): string | undefined {
  if (def.many) {
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return 'answer must be an object';
    const keys = Object.keys(answer);
    const records = (answer as { records?: unknown }).records;
    if (keys.length !== 1 || !Array.isArray(records)) return 'answer must be { records: [...] }';
    if (records.length > MAX_RECORDS) return `too many records (${records.length}; at most ${MAX_RECORDS})`;
    for (let i = 0; i < records.length; i++) {
      const p = checkObject(def, records[i], `answer.records[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  return checkObject(def, answer, 'answer');
}

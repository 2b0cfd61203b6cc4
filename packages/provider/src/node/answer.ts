/**
 * From the source's rows to the answer: only the item's declared fields, each derived by
 * its rule (a column, a value test, or "a row exists"). This is where minimal disclosure
 * happens — a question item returns its yes/no (or status), never the row behind it.
 */
import type { AnswerFieldType } from '../protocol/items.ts';
import type { FieldRule, ItemConfig, Scalar } from './config.ts';
import { SourceError, type Row } from '../sources/source.ts';

export type Derived =
  | { outcome: 'answered'; answer: Record<string, unknown>; asOf: Date }
  | { outcome: 'not_found'; asOf: Date };

const TRUE = new Set(['true', 't', '1', 'y', 'yes', '是']);
const FALSE = new Set(['false', 'f', '0', 'n', 'no', '否']);

function toDate(v: unknown): Date | undefined {
  if (v instanceof Date) return v;
  if (typeof v === 'string' && v.trim()) {
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? `${v.trim()}T00:00:00+08:00` : v.trim());
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  if (typeof v === 'number') return new Date(v);
  return undefined;
}

function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function coerce(type: AnswerFieldType, v: unknown, field: string): unknown {
  if (v === null || v === undefined || v === '') return null;
  switch (type) {
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      const s = String(v).trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      break;
    }
    case 'integer': {
      const n = typeof v === 'number' ? v : Number(String(v).trim());
      if (Number.isInteger(n)) return n;
      break;
    }
    case 'number': {
      const n = typeof v === 'number' ? v : Number(String(v).trim());
      if (Number.isFinite(n)) return n;
      break;
    }
    case 'string':
      return v instanceof Date ? v.toISOString() : String(v);
    case 'date': {
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v.trim())) return v.trim();
      const d = toDate(v);
      if (d) return shanghaiDate(d);
      break;
    }
  }
  throw new SourceError(`source value for ${field} is not a ${type}`);
}

function applyRule(rule: FieldRule, rows: Row[], row: Row | undefined): unknown {
  if ('exists' in rule) return rows.length > 0;
  const v = row?.[rule.column];
  if ('in' in rule) return rule.in.some((x: Scalar) => String(x) === String(v ?? ''));
  return v;
}

function record(item: ItemConfig, rows: Row[], row: Row | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of item.definition.answer) out[f.name] = coerce(f.type, applyRule(item.binding.fields[f.name]!, rows, row), f.name);
  return out;
}

/** `asOfFromQuery`: the result of the item's as-of query (sql), when it has one. */
export function deriveAnswer(item: ItemConfig, rows: Row[], snapshotAt: Date, asOfFromQuery?: Date | null): Derived {
  const rule = item.binding.asOf;
  let asOf = snapshotAt;
  if (rule !== 'source' && 'query' in rule) asOf = asOfFromQuery ?? snapshotAt;
  if (rule !== 'source' && 'column' in rule && rows.length > 0) {
    const times = rows.map((r) => toDate(r[rule.column])?.getTime()).filter((t): t is number => t !== undefined);
    if (times.length) asOf = new Date(Math.max(...times));
  }
  if (rows.length === 0) {
    const fixed = item.binding.whenMissing;
    if (fixed && fixed !== 'not_found') {
      const answer: Record<string, unknown> = {};
      for (const f of item.definition.answer) answer[f.name] = coerce(f.type, fixed[f.name] ?? null, f.name);
      if (item.definition.many) return { outcome: 'answered', answer: { records: [] }, asOf };
      return { outcome: 'answered', answer, asOf };
    }
    return { outcome: 'not_found', asOf };
  }
  if (item.definition.many) return { outcome: 'answered', answer: { records: rows.map((r) => record(item, rows, r)) }, asOf };
  return { outcome: 'answered', answer: record(item, rows, rows[0]), asOf };
}

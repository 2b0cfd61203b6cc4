/**
 * Data-source port: how a node reads the department's own data. Adapters: SQL (the
 * department's PostgreSQL through `pg`, or an embedded PGlite), CSV/xlsx files, and an
 * HTTP backend. A source returns raw rows; the node then derives the answer from them
 * (answer.ts), so no source ever decides what is disclosed.
 */
import type { ItemBinding, SourceConfig } from '../node/config.ts';

export type Row = Record<string, unknown>;

export interface SourceResult {
  rows: Row[];
  /** when the source's data was last known current (file mtime, backend's as-of, or now for a live database) */
  snapshotAt: Date;
}

export interface DataSource {
  readonly kind: SourceConfig['type'];
  fetch(binding: ItemBinding, params: Record<string, string | number>, now: Date): Promise<SourceResult>;
  /**
   * Sources with a fixed set of columns (file header): the columns an item's binding reads
   * that the source does not have — checked at start, so a misspelt column stops the node
   * instead of reading as empty for everyone.
   */
  missingColumns?(binding: ItemBinding): string[];
  /** sql only: runs an as-of query returning one timestamp */
  asOf?(query: string): Promise<Date | null>;
  close(): Promise<void>;
}

/** The source could not be read (backend down, file missing, query failed): the node answers 503 source_unavailable. */
export class SourceError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'SourceError';
  }
}

/** The columns an answer is derived from: those of the item's answer fields and of its as-of rule. */
export function answerColumns(binding: ItemBinding): string[] {
  const columns = new Set<string>();
  for (const rule of Object.values(binding.fields)) if ('column' in rule) columns.add(rule.column);
  if (binding.asOf !== 'source' && 'column' in binding.asOf) columns.add(binding.asOf.column);
  return [...columns];
}

/** The columns a file source reads for a binding: those it matches on and filters by month, and the answer's. */
export function fileColumns(binding: ItemBinding): string[] {
  return [...new Set([...Object.keys(binding.match ?? {}), ...(binding.lastMonths ? [binding.lastMonths.column] : []), ...answerColumns(binding)])];
}

/**
 * Throws a SourceError when the source's columns lack one of `needed`: a column that is not
 * there would otherwise read as empty — "not married", "no record" — for everyone.
 */
export function requireColumns(needed: readonly string[], has: ReadonlySet<string>, where: string): void {
  const missing = needed.filter((c) => !has.has(c));
  if (missing.length) throw new SourceError(`${where} has no column ${missing.map((c) => `"${c}"`).join(', ')}`);
}

/**
 * First month (YYYY-MM) of a window of `months` months ending with the month of `now` — in China
 * time (UTC+8), as the months a department's data is kept by: from 00:00 on the 1st (Beijing) the
 * new month is the window's last, so the first eight hours of a month do not widen the window by one.
 */
export function windowStartMonth(now: Date, months: number): string {
  const beijing = new Date(now.getTime() + 8 * 3600_000);
  const d = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - (months - 1), 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export async function openSource(config: SourceConfig): Promise<DataSource> {
  switch (config.type) {
    case 'sql': return (await import('./sql-source.ts')).openSqlSource(config);
    case 'csv':
    case 'xlsx': return (await import('./file-source.ts')).openFileSource(config);
    case 'http': return (await import('./http-source.ts')).openHttpSource(config);
  }
}

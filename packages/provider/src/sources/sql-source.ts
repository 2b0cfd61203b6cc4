/**
 * SQL adapter: the department's own PostgreSQL through `pg` (a small pool, statement
 * timeout), or an embedded PGlite directory (samples and tests). The item's query is
 * written by the department; parameters are always bound, never spliced into the text.
 */
import type { ItemBinding, SourceConfig } from '../node/config.ts';
import { answerColumns, requireColumns, SourceError, type DataSource, type Row } from './source.ts';

/** `columns`: the names of the result's columns (known even when it has no rows) */
type Runner = { query(text: string, params: unknown[]): Promise<{ rows: Row[]; columns: string[] }>; close(): Promise<void> };

async function pgRunner(url: string, poolSize: number): Promise<Runner> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: poolSize, statement_timeout: 5000, connectionTimeoutMillis: 3000 });
  pool.on('error', () => undefined); // a dropped idle connection is replaced on the next query
  return {
    query: async (text, params) => {
      const r = await pool.query(text, params);
      return { rows: r.rows as Row[], columns: r.fields.map((f) => f.name) };
    },
    close: () => pool.end(),
  };
}

async function pgliteRunner(dir: string): Promise<Runner> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ dataDir: dir });
  return {
    query: async (text, params) => {
      const r = await db.query<Row>(text, params);
      return { rows: r.rows, columns: r.fields.map((f) => f.name) };
    },
    close: () => db.close(),
  };
}

export async function openSqlSource(config: Extract<SourceConfig, { type: 'sql' }>): Promise<DataSource> {
  const runner = config.url ? await pgRunner(config.url, config.poolSize ?? 4) : await pgliteRunner(config.pgliteDir!);
  return {
    kind: 'sql',
    async fetch(binding: ItemBinding, params, now) {
      const args = (binding.args ?? []).map((a) => params[a] ?? null);
      let result;
      try {
        result = await runner.query(binding.query!, args);
      } catch (e) {
        throw new SourceError(`query failed: ${(e as Error).message}`, e);
      }
      requireColumns(answerColumns(binding), new Set(result.columns), 'the query');
      return { rows: result.rows, snapshotAt: now };
    },
    async asOf(query) {
      try {
        const { rows } = await runner.query(query, []);
        const v = rows[0] ? Object.values(rows[0])[0] : null;
        if (v === null || v === undefined) return null;
        const d = v instanceof Date ? v : new Date(String(v));
        return Number.isNaN(d.getTime()) ? null : d;
      } catch (e) {
        throw new SourceError(`as-of query failed: ${(e as Error).message}`, e);
      }
    },
    close: () => runner.close(),
  };
}

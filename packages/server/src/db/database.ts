import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { DB } from './schema.ts';
import { PGlitePool } from './pglite-pool.ts';

export type Db = Kysely<DB>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** The PGlite instance in embedded mode (dumps for tests and backups). */
  lite?: PGlite;
  /** Runs `fn` on one dedicated connection; `exec` takes multi-statement SQL scripts (migrations). */
  exclusive<T>(fn: (exec: (text: string) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only (several instances may share it; PGlite is one process's): calls `onMessage`
   * with the payload of every NOTIFY on `channel`, over a connection of its own. When that
   * connection is lost it is opened again (after 0.5 s, then up to 10 s apart) and `onGap` runs
   * once it is back — notifications sent meanwhile were missed. Resolves to a function that stops.
   */
  listen?(channel: string, onMessage: (payload: string) => void, onGap: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// bigint counts and sequences fit in a JS number for this platform's volumes.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** PGlite: load an existing data directory dump (tar) instead of initdb — used by tests. */
  loadDataDir?: Blob;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection the server closes (restart, failover) must not crash the process;
    // the pool drops it and the next query opens a new one.
    pool.on('error', () => undefined);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const listeners = new Set<() => Promise<void>>();
    return {
      db,
      kind: 'postgres',
      async exclusive(fn) {
        const client = await pool.connect();
        try {
          return await fn(async (text) => {
            const r = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
            return Array.isArray(r) ? (r.at(-1)?.rows ?? []) : r.rows;
          });
        } finally {
          client.release();
        }
      },
      async listen(channel, onMessage, onGap) {
        const stop = await listenOn(options.databaseUrl!, channel, onMessage, onGap);
        listeners.add(stop);
        return async () => {
          listeners.delete(stop);
          await stop();
        };
      },
      // the listening connections too: a database (a test template, say) is left with no session of this process
      async close() {
        await Promise.all([...listeners].map((stop) => stop()));
        listeners.clear();
        await db.destroy();
      },
    };
  }
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  // pg_trgm must be loaded on every open, since a trigram index exists.
  const lite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { pg_trgm },
    parsers: { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) },
  });
  const pool = new PGlitePool(lite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as never }) });
  return {
    db,
    kind: 'pglite',
    lite,
    async exclusive(fn) {
      const conn = await pool.connect();
      try {
        return await fn(async (text) => {
          const r = await lite.exec(text);
          return (r.at(-1)?.rows ?? []) as Record<string, unknown>[];
        });
      } finally {
        conn.release();
      }
    },
    close: () => db.destroy(),
  };
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Applies the SQL migrations `<seq>_<verb-noun>.sql` in order, once, under an advisory lock. */
export async function migrate(database: Database): Promise<string[]> {
  const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_[a-z0-9-]+\.sql$/.test(f)).sort();
  return database.exclusive(async (exec) => {
    const applied: string[] = [];
    await exec('SELECT pg_advisory_lock(72010001)');
    try {
      await exec('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await exec('SELECT name FROM schema_migrations')).map((r) => String(r.name)));
      for (const file of files) {
        if (done.has(file)) continue;
        const text = fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
        await exec(`BEGIN;\n${text}\nINSERT INTO schema_migrations(name) VALUES ('${file}');\nCOMMIT;`);
        applied.push(file);
      }
    } catch (e) {
      await exec('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      await exec('SELECT pg_advisory_unlock(72010001)');
    }
    return applied;
  });
}

/** Database.listen on PostgreSQL: a dedicated client LISTENing on `channel`, reconnected after a loss. */
async function listenOn(url: string, channel: string, onMessage: (payload: string) => void, onGap: () => void): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = 500;
  const open = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (m) => {
      if (m.channel === channel) onMessage(m.payload ?? '');
    });
    const lost = () => {
      if (client !== c) return;
      client = undefined;
      c.removeAllListeners('error');
      c.on('error', () => undefined);
      void c.end().catch(() => undefined);
      if (!stopped) schedule();
    };
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (e) {
      c.on('error', () => undefined);
      void c.end().catch(() => undefined);
      throw e;
    }
    c.on('error', lost);
    c.on('end', lost);
    client = c;
    if (stopped) await c.end().catch(() => undefined);
  };
  const schedule = () => {
    retry = setTimeout(() => {
      retry = undefined;
      open().then(() => {
        delay = 500;
        onGap();
      }, () => {
        delay = Math.min(delay * 2, 10_000);
        if (!stopped) schedule();
      });
    }, delay);
    retry.unref();
  };
  // not reachable now: listened to from the first reconnection (nothing is cached before it anyway)
  await open().catch(() => schedule());
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = undefined;
    await c?.end().catch(() => undefined);
  };
}

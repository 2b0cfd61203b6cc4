import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';

export const TEST_MASTER_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

declare module 'vitest' {
  interface ProvidedContext { mzTemplate: string }
}

/** The template the global setup built: a PGlite dump file, or a PostgreSQL template database name. */
function template(): string {
  return inject('mzTemplate');
}

export function testDbKind(): 'pglite' | 'postgres' {
  return process.env.MZ_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('MZ_TEST_DB=postgres needs TEST_DATABASE_URL');
  return url;
}

export function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A fresh database for one test file, already migrated and seeded with the demo data:
 * PGlite loaded from the dumped template, or a PostgreSQL database copied from the template database.
 */
export async function openTestDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (testDbKind() === 'postgres') {
    const name = `mz_t_${randomBytes(6).toString('hex')}`;
    await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template()}`));
    const database = await openDatabase({ databaseUrl: urlFor(name), poolSize: 5 });
    process.env.MZ_LAST_TEST_DB_URL = urlFor(name);
    return {
      database,
      drop: async () => {
        await database.close();
        await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      },
    };
  }
  const blob = new Blob([fs.readFileSync(template())]);
  const database = await openDatabase({ loadDataDir: blob });
  return { database, drop: () => database.close() };
}

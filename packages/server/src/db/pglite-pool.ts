import type { PGlite } from '@electric-sql/pglite';

/**
 * Presents one PGlite instance as the small part of a `pg.Pool` that Kysely's
 * PostgresDialect uses. PGlite is a single connection, so `connect()` hands it out
 * to one holder at a time (a transaction keeps it until release).
 */
export class PGlitePool {
  #tail: Promise<void> = Promise.resolve();
  constructor(readonly pg: PGlite) {}

  async connect() {
    let release!: () => void;
    const previous = this.#tail;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const pg = this.pg;
    return {
      async query(sql: string, parameters: unknown[] = []) {
        const result = await pg.query<Record<string, unknown>>(sql, parameters);
        const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
        return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
      },
      release() {
        release();
      },
    };
  }

  async end(): Promise<void> {
    await this.pg.close();
  }
}

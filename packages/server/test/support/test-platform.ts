import { loadConfig } from '../../src/config.ts';
import { startPlatform } from '../../src/platform.ts';
import type { App } from '../../src/shared/http.ts';
import type { Database } from '../../src/db/database.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';
import { openTestDatabase, TEST_MASTER_KEY } from './test-database.ts';

export interface TestPlatform {
  app: App;
  database: Database;
  /** Bearer token of a demo account. */
  tokenOf(username: string): Promise<string>;
  /** Headers for an authenticated JSON call. */
  as(username: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** The whole platform on a fresh, demo-seeded database (PGlite, or PostgreSQL with MZ_TEST_DB=postgres). */
export async function createTestPlatform(options: { now?: () => Date; env?: Record<string, string> } = {}): Promise<TestPlatform> {
  const { database, drop } = await openTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...options.env }, { masterKey: TEST_MASTER_KEY, passwordCost: 1024, embedded: database.kind === 'pglite' });
  const { app } = await startPlatform(config, { database, logger: false, now: options.now });
  // the template was seeded whenever it was built: its demo passwords count as set at this test's start (PASSWORD_MAX_AGE_DAYS)
  await database.db.updateTable('accounts').set({ password_changed_at: options.now?.() ?? new Date() }).execute();
  await app.ready();
  const tokens = new Map<string, string>();
  const tokenOf = async (username: string) => {
    let t = tokens.get(username);
    if (!t) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      t = res.json().token as string;
      tokens.set(username, t);
    }
    return t;
  };
  return {
    app,
    database,
    tokenOf,
    as: async (username) => ({ authorization: `Bearer ${await tokenOf(username)}` }),
    close: async () => {
      await app.close();
      await drop();
    },
  };
}

/** The id of a (demo) account by its username. */
export async function accountId(p: Pick<TestPlatform, 'database'>, username: string): Promise<string> {
  return (await p.database.db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/app.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { PiiProtector } from '../../src/shared/pii.ts';
import { CatalogReadModels } from '../../src/catalog/adapters/published-store.ts';
import { PgKeyStore } from '../../src/keys/adapters/pg-key-store.ts';
import type { App } from '../../src/shared/http.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { TEST_MASTER_KEY, testDbKind } from '../support/test-database.ts';
import { sql } from 'kysely';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';
import { SESSION_CACHE_TTL_MS, SESSIONS_CHANNEL } from '../../src/identity/use-cases/authenticate-session.ts';
import { sha256Hex } from '../../src/shared/hash.ts';

/** Two stateless instances on one PostgreSQL database (PGlite is one process's database, so this runs on PostgreSQL only). */
describe.runIf(testDbKind() === 'postgres')('several instances share one database', () => {
  let a: TestPlatform;
  let bDb: Database;
  let b: App;
  beforeAll(async () => {
    a = await createTestPlatform();
    const url = process.env.MZ_LAST_TEST_DB_URL;
    bDb = await openDatabase({ databaseUrl: url! });
    const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATABASE_URL: url, MASTER_KEY: TEST_MASTER_KEY.toString('hex') });
    b = await buildApp({
      config, database: bDb, logger: false,
      deps: { db: bDb.db, config, now: () => new Date(), catalogReadModels: new CatalogReadModels(bDb.db, 4, 0), pii: new PiiProtector(TEST_MASTER_KEY), keys: new PgKeyStore(bDb.db, TEST_MASTER_KEY) },
    });
    await b.ready();
  });
  afterAll(async () => {
    await b?.close();
    await bDb?.close();
    await a?.close();
  });

  it('a session from one instance works on the other, and a version published on one is served by the other', async () => {
    const token = await a.tokenOf('catalogadmin');
    const me = await b.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json().username).toBe('catalogadmin');
    await a.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-HYZK', headers: { authorization: `Bearer ${token}` }, payload: { notes: '双实例' } });
    const pub = await b.inject({ method: 'POST', url: '/api/v1/admin/catalog/publish', headers: { authorization: `Bearer ${token}` }, payload: { note: 'from b' } });
    expect(pub.statusCode).toBe(201);
    const seen = await b.inject({ url: '/api/v1/proof-items/ZM-MAS-HYZK' });
    expect(seen.json().notes).toBe('双实例');
  });

  it('concurrent publishes from two instances get distinct numbers and a consistent audit chain', async () => {
    const headers = { authorization: `Bearer ${await a.tokenOf('catalogadmin')}` };
    await a.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-QSGX', headers, payload: { notes: 'x1' } });
    const results = await Promise.all([
      a.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/publish', headers, payload: { note: 'a' } }),
      b.inject({ method: 'POST', url: '/api/v1/admin/catalog/publish', headers, payload: { note: 'b' } }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const chain = await a.app.inject({ url: '/api/v1/audit/verify', headers: await a.as('supervisor') });
    expect(chain.json().ok).toBe(true);
  });

  describe('sessions ended on one instance are refused by the other at once (NOTIFY), not after its 5-s session cache', () => {
    const login = async (username: string) => (await a.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } })).json().token as string;
    const meOnB = async (token: string) => (await b.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode;
    // well inside SESSION_CACHE_TTL_MS: without the notice, B would keep answering 200 from its cache
    const soon = { timeout: SESSION_CACHE_TTL_MS / 3, interval: 25 };

    it('sign out everywhere on A: B refuses every session of the account; another account\'s stays', async () => {
      const [first, second, other] = [await login('issuer'), await login('issuer'), await login('clerk')];
      for (const t of [first, second, other]) expect(await meOnB(t)).toBe(200); // now in B's cache
      const ended = await a.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: { authorization: `Bearer ${first}` } });
      expect(ended.statusCode).toBe(200);
      await expect.poll(() => meOnB(first), soon).toBe(401);
      expect(await meOnB(second)).toBe(401);
      expect(await meOnB(other)).toBe(200);
    });

    it('signing out one session on A: B refuses that token, the account\'s other session stays', async () => {
      const [ending, staying] = [await login('issuer'), await login('issuer')];
      for (const t of [ending, staying]) expect(await meOnB(t)).toBe(200);
      expect((await a.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${ending}` } })).statusCode).toBeLessThan(300);
      await expect.poll(() => meOnB(ending), soon).toBe(401);
      expect(await meOnB(staying)).toBe(200);
    });

    it('a password changed on A ends the account\'s other sessions on B too', async () => {
      const [changing, other] = [await login('clerk'), await login('clerk')];
      expect(await meOnB(other)).toBe(200);
      const changed = await a.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { authorization: `Bearer ${changing}` }, payload: { currentPassword: DEMO_PASSWORD, newPassword: 'Changed#2026a' } });
      expect(changed.statusCode).toBe(200);
      await expect.poll(() => meOnB(other), soon).toBe(401);
      expect(await meOnB(changing)).toBe(200);
    });

    it('a notice of another shape changes nothing; a lost listening connection clears the cache when it is back', async () => {
      const token = await login('issuer');
      expect(await meOnB(token)).toBe(200);
      await bDb.db.executeQuery(sql`SELECT pg_notify(${SESSIONS_CHANNEL}, ${'not json'}), pg_notify(${SESSIONS_CHANNEL}, ${'{"x":1}'}), pg_notify(${SESSIONS_CHANNEL}, ${'null'})`.compile(bDb.db));
      expect(await meOnB(token)).toBe(200);
      // the listening connection of B is killed: B reconnects and forgets what it cached (notices may have been missed meanwhile)
      await bDb.db.deleteFrom('sessions').where('token_hash', '=', sha256Hex(token)).execute(); // ended behind the platform's back, no notice
      expect(await meOnB(token)).toBe(200); // still in B's cache
      await bDb.db.executeQuery(sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = ${`LISTEN ${SESSIONS_CHANNEL}`} AND pid <> pg_backend_pid()`.compile(bDb.db));
      await expect.poll(() => meOnB(token), { timeout: 4_000, interval: 50 }).toBe(401);
    });
  });
});

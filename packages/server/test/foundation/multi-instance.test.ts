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
});

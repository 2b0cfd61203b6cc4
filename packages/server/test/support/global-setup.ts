import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { startPlatform } from '../../src/platform.ts';
import { PG_TEMPLATE, TEMPLATE_FILE, TEST_MASTER_KEY, testDbKind, urlFor, withAdmin } from './test-database.ts';

/** Builds the migrated, demo-seeded template database once per run. */
export default async function setup(): Promise<void> {
  const config = loadConfig({ SEED_DEMO: 'true', LOG_LEVEL: 'silent' }, { masterKey: TEST_MASTER_KEY, passwordCost: 1024 });
  let database: Database;
  if (testDbKind() === 'postgres') {
    await withAdmin(async (c) => {
      await c.query(`UPDATE pg_database SET datistemplate = false WHERE datname = '${PG_TEMPLATE}'`);
      await c.query(`DROP DATABASE IF EXISTS ${PG_TEMPLATE} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${PG_TEMPLATE} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
    });
    database = await openDatabase({ databaseUrl: urlFor(PG_TEMPLATE) });
    await startPlatform({ ...config, databaseUrl: urlFor(PG_TEMPLATE), embedded: false }, { database, logger: false });
    await database.close();
    await withAdmin((c) => c.query(`UPDATE pg_database SET datistemplate = true WHERE datname = '${PG_TEMPLATE}'`));
    return;
  }
  database = await openDatabase({});
  await startPlatform(config, { database, logger: false });
  const lite = database.lite!;
  const dump = await lite.dumpDataDir('gzip');
  fs.mkdirSync(path.dirname(TEMPLATE_FILE), { recursive: true });
  fs.writeFileSync(TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
  await database.close();
}

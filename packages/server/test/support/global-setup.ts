import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { startPlatform } from '../../src/platform.ts';
import { TEST_MASTER_KEY, testDbKind, urlFor, withAdmin } from './test-database.ts';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** Fingerprint of what shapes the seeded template: the whole server source tree. */
function sourceFingerprint(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else { h.update(p); h.update(fs.readFileSync(p)); }
    }
  };
  walk(SRC);
  return h.digest('hex').slice(0, 12);
}

/**
 * Builds the migrated, demo-seeded template database once per source state (reused by
 * later runs while the server source is unchanged) and tells the test files where it is.
 */
export default async function setup(project: { provide: (key: string, value: string) => void }): Promise<void> {
  const fingerprint = sourceFingerprint();
  const config = loadConfig({ SEED_DEMO: 'true', LOG_LEVEL: 'silent' }, { masterKey: TEST_MASTER_KEY, passwordCost: 1024 });
  if (testDbKind() === 'postgres') {
    const name = `mz_tpl_${fingerprint}`;
    process.env.MZ_TEST_TEMPLATE = name;
    const exists = await withAdmin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate', [name])).rowCount === 1);
    if (!exists) {
      await withAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.query(`CREATE DATABASE ${name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
      });
      const database = await openDatabase({ databaseUrl: urlFor(name) });
      await startPlatform({ ...config, databaseUrl: urlFor(name), embedded: false }, { database, logger: false });
      await database.close();
      await withAdmin((c) => c.query(`UPDATE pg_database SET datistemplate = true WHERE datname = '${name}'`));
    }
    project.provide('mzTemplate', name);
    return;
  }
  const file = path.resolve(SRC, `../../../.tmp/test-template-${fingerprint}.tar.gz`);
  if (!fs.existsSync(file)) {
    const database = await openDatabase({});
    await startPlatform(config, { database, logger: false });
    const dump = await database.lite!.dumpDataDir('gzip');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, file);
    await database.close();
  }
  project.provide('mzTemplate', file);
}

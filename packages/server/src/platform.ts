import fs from 'node:fs';
import path from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import { newMasterKey, type Config } from './config.ts';
import { migrate, openDatabase, type Database } from './db/database.ts';
import { buildApp } from './app.ts';
import type { App } from './shared/http.ts';
import { PiiProtector } from './shared/pii.ts';
import { CatalogReadModels } from './catalog/adapters/published-store.ts';
import { seedDemo, seedReference } from './seed/seed-demo.ts';
import type { Deps } from './shared/deps.ts';
import { PgKeyStore } from './keys/adapters/pg-key-store.ts';
import { createExchangeInfra } from './exchange/adapters/exchange-infra.ts';

/** Embedded mode keeps its master key beside the data, created on first start. */
export function ensureEmbeddedMasterKey(config: Config): Config {
  if (config.masterKey.length === 32) return config;
  const file = path.join(config.dataDir, 'master.key');
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, newMasterKey().toString('hex'), { mode: 0o600 });
  return { ...config, masterKey: Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex') };
}

export interface Platform { app: App; database: Database; config: Config; seeded: boolean }

/** Opens the database, migrates, seeds (reference data always, demo data when configured) and builds the app. */
export async function startPlatform(config: Config, options: { database?: Database; logger?: FastifyServerOptions['logger']; now?: () => Date } = {}): Promise<Platform> {
  const cfg = ensureEmbeddedMasterKey(config);
  const database = options.database ?? (await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.embedded ? path.join(cfg.dataDir, 'pglite') : undefined }));
  await migrate(database);
  const deps: Deps = {
    db: database.db, config: cfg, now: options.now ?? (() => new Date()), catalogReadModels: new CatalogReadModels(database.db), pii: new PiiProtector(cfg.masterKey),
    keys: new PgKeyStore(database.db, cfg.masterKey),
  };
  deps.exchange = createExchangeInfra(database.db, deps.pii, deps.keys, { now: deps.now });
  await seedReference(deps);
  const seeded = cfg.seedDemo ? await seedDemo(deps) : false;
  const app = await buildApp({ config: cfg, database, logger: options.logger, deps });
  return { app, database, config: cfg, seeded };
}

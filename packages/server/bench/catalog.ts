/**
 * `npm run bench:catalog` — search, import and start-up figures on a generated large catalog.
 *
 * Prints (nothing is asserted):
 *  - search p50/p99 for 20 typical queries: in-process read model, over HTTP (one keep-alive client),
 *    and in the same run the SQL alternatives on the same published data: ILIKE (baseline) and pg_trgm;
 *    on PGlite, and on PostgreSQL too when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set;
 *  - .xlsx import rows/s for a 10,000-row file (parse + resolve + write, all or nothing);
 *  - cold and warm `npm start` time to the first healthy /api/health, and the RSS of the started platform.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { migrate, openDatabase, type Database } from '../src/db/database.ts';
import { buildApp } from '../src/app.ts';
import { CatalogReadModels } from '../src/catalog/adapters/published-store.ts';
import { PiiProtector } from '../src/shared/pii.ts';
import { PgKeyStore } from '../src/keys/adapters/pg-key-store.ts';
import { seedRegions } from '../src/seed/reference-data.ts';
import { generateLargeCatalog } from '../src/seed/large-catalog.ts';
import { prng } from '@mianzheng/provider/prng';
import { publishCatalogVersion } from '../src/catalog/use-cases/publish-catalog-version.ts';
import { importCatalog } from '../src/catalog/use-cases/import-catalog.ts';
import { writeCatalogWorkbook } from '../src/catalog/spreadsheet/index.ts';
import type { Actor } from '../src/identity/domain/roles.ts';
import type { Deps } from '../src/shared/deps.ts';
import { pct } from './measure.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const QUERIES = [
  '无犯罪', '户籍', '马鞍山 户籍', '婚姻状况证明', '出生', '社保', '不动产', '营业执照', '残疾', '学历',
  '健在证明', '无房', '合肥 公积金', '铜陵 无犯罪', '死亡证明', '完税', '租赁', '收入证明', '抚养', '监护',
];
const ADMIN: Actor = { id: 'bench', username: 'bench', displayName: '基准测试', kind: 'staff', roles: ['catalog_admin'], departmentId: null, departmentName: null, regionCode: '340000' };
const masterKey = Buffer.alloc(32, 7);

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

async function timeEach(rounds: number, fn: (q: string) => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (const q of QUERIES) await fn(q); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const q of QUERIES) {
      const t = performance.now();
      await fn(q);
      out.push(performance.now() - t);
    }
  }
  return out;
}

function terms(q: string): string[] {
  return q.split(/\s+/).filter(Boolean);
}

async function prepare(database: Database): Promise<{ deps: Deps; version: number; counts: { proofItems: number; serviceItems: number } }> {
  await migrate(database);
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false' }, { masterKey });
  const deps: Deps = { db: database.db, config, now: () => new Date(), catalogReadModels: new CatalogReadModels(database.db), pii: new PiiProtector(masterKey), keys: new PgKeyStore(database.db, masterKey) };
  await seedRegions(database.db);
  const t = performance.now();
  const counts = await generateLargeCatalog(database.db);
  const v = await publishCatalogVersion({ note: 'bench' }, ADMIN, deps);
  console.log(`  generated ${counts.proofItems} proof items, ${counts.serviceItems} service items, ${counts.departments} departments and published v${v.number} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { deps, version: v.number, counts };
}

async function searchBench(label: string, database: Database, deps: Deps, version: number): Promise<void> {
  console.log(`\n## Search — ${label} (${QUERIES.length} queries, page of 20)`);
  let t = performance.now();
  const model = (await deps.catalogReadModels.get(version))!;
  console.log(`  read model load + index build: ${(performance.now() - t).toFixed(0)} ms`);
  const inproc = await timeEach(200, (q) => model.searchProofItems({ q, page: 1, pageSize: 20 }));

  const app = await buildApp({ config: deps.config, database, deps, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
  const http = await timeEach(20, async (q) => {
    const r = await fetch(`${base}/api/v1/proof-items?q=${encodeURIComponent(q)}&pageSize=20`);
    await r.arrayBuffer();
  });
  await app.close();

  // SQL alternatives over the same published rows.
  const ilike = await timeEach(5, async (q) => {
    let query = database.db.selectFrom('published_proof_items').select(['id', 'name']).where('version_number', '=', version);
    for (const term of terms(q)) query = query.where(sql<boolean>`(name || ' ' || issuing_department_name || ' ' || region_name) ILIKE ${`%${term}%`}`);
    await query.orderBy(sql`length(name)`).limit(20).execute();
  });
  const trgm = await timeEach(5, async (q) => {
    let query = database.db.selectFrom('published_proof_items').select(['id', 'name']).where('version_number', '=', version);
    for (const term of terms(q)) query = query.where(sql<boolean>`(name LIKE ${`%${term}%`} OR issuing_department_name LIKE ${`%${term}%`})`);
    await query.orderBy(sql`length(name)`).limit(20).execute();
  });
  const row = (name: string, v: number[]) => console.log(`  ${name.padEnd(34)} p50 ${fmt(pct(v, 50)).padStart(9)}   p99 ${fmt(pct(v, 99)).padStart(9)}   (${v.length} samples)`);
  row('in-process read model (chosen)', inproc);
  row('HTTP GET /api/v1/proof-items', http);
  row('SQL ILIKE (baseline)', ilike);
  row('SQL LIKE with pg_trgm GIN on name', trgm);
  console.log(`  ratio ILIKE p99 / in-process p99: ${(pct(ilike, 99) / pct(inproc, 99)).toFixed(0)}×;  ILIKE p50 / HTTP p50: ${(pct(ilike, 50) / pct(http, 50)).toFixed(1)}×`);
}

async function importBench(database: Database, deps: Deps): Promise<void> {
  console.log('\n## Import — 10,000-row .xlsx (parse, resolve departments and service items, write; one transaction)');
  const rnd = prng(7);
  const depts = await database.db.selectFrom('departments').select(['name', 'region_code']).where('id', 'like', 'g%').execute();
  const services = await database.db.selectFrom('service_items').select(['name', 'region_code', 'code']).execute();
  const byRegion = new Map<string, string[]>();
  for (const s of services) byRegion.set(s.region_code, [...(byRegion.get(s.region_code) ?? []), s.code]);
  const methodSets = [['data_sharing'], ['e_license'], ['dept_verification'], ['commitment'], ['cancelled'], ['data_sharing', 'commitment']] as const;
  const rows = Array.from({ length: 10_000 }, (_, i) => {
    const d = depts[Math.floor(rnd() * depts.length)]!;
    const codes = byRegion.get(d.region_code)!;
    return {
      seq: String(i + 1), name: `导入测试证明${i + 1}`, issuingDepartment: d.name, legalBasis: `《测试条例》第${(i % 90) + 1}条`,
      methods: [...methodSets[i % methodSets.length]!], serviceItems: [codes[Math.floor(rnd() * codes.length)]!], notes: '',
    };
  });
  const data = await writeCatalogWorkbook({ title: '基准导入清单', versionLabel: 'bench', publishedAt: new Date().toISOString(), rows });
  const t = performance.now();
  const result = await importCatalog({ data, filename: 'bench.xlsx' }, ADMIN, deps);
  const s = (performance.now() - t) / 1000;
  console.log(`  ${result.total} rows (${result.created} created, ${result.linked} links) in ${s.toFixed(2)} s → ${Math.round(result.total / s).toLocaleString('en')} rows/s  (file ${(data.length / 1024).toFixed(0)} KiB)`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function treeRssKb(pid: number): number {
  let total = 0;
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch { /* gone */ }
  }
  const walk = (p: number) => {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      total += Number(m?.[1] ?? 0);
    } catch { /* gone */ }
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return total;
}

async function startOnce(dataDir: string): Promise<{ ms: number; rssMb: number }> {
  const port = await freePort();
  const t = performance.now();
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', PROVIDER_BASE_PORT: String(port + 1000) }, stdio: 'ignore', detached: true });
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) break;
    } catch { /* not yet */ }
    if (performance.now() - t > 180_000) throw new Error('platform did not start in 180 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  const ms = performance.now() - t;
  await new Promise((r) => setTimeout(r, 500));
  const rssMb = treeRssKb(child.pid!) / 1024;
  process.kill(-child.pid!, 'SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { ms, rssMb };
}

async function startBench(): Promise<void> {
  console.log('\n## `npm start` to the first healthy /api/health (embedded PGlite; the web UI already built)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mz-bench-start-'));
  const cold = await startOnce(dir);
  console.log(`  cold (initdb, migrations, demo seed): ${(cold.ms / 1000).toFixed(2)} s, RSS ${cold.rssMb.toFixed(0)} MB (npm + node + platform)`);
  const warm = await startOnce(dir);
  console.log(`  warm (reopen existing data):         ${(warm.ms / 1000).toFixed(2)} s, RSS ${warm.rssMb.toFixed(0)} MB`);
  fs.rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  console.log(`# bench:catalog — ${os.cpus().length} cores, Node ${process.version}`);
  console.log('\n## PGlite (embedded)');
  const lite = await openDatabase({});
  const litePrepared = await prepare(lite);
  await searchBench('PGlite', lite, litePrepared.deps, litePrepared.version);
  await importBench(lite, litePrepared.deps);
  await lite.close();

  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `mz_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    console.log('\n## PostgreSQL');
    const server = await openDatabase({ databaseUrl: u.toString() });
    try {
      const prepared = await prepare(server);
      await searchBench('PostgreSQL', server, prepared.deps, prepared.version);
      await importBench(server, prepared.deps);
    } finally {
      await server.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } else {
    console.log('\n(BENCH_DATABASE_URL / TEST_DATABASE_URL not set: PostgreSQL figures skipped)');
  }
  if (!process.argv.includes('--no-start')) await startBench();
}

main().then(() => process.exit(0), (e: Error) => { console.error(e.stack ?? e.message); process.exit(1); });

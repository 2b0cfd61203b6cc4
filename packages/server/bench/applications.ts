/**
 * npm run bench:applications — end-to-end applications per second on PostgreSQL and on
 * PGlite, next to a bare Fastify + database round trip measured in the same run.
 *
 * One application = POST /api/v1/applications (submit; the engine resolves 2 e-licenses
 * through the licenses context under live use grants, 2 data-sharing queries to the sample
 * provider nodes on loopback, 1 commitment generated) → POST /commitments/:id/sign (the
 * applicant) → POST /applications/:id/approve (the clerk). Latency is that whole chain.
 *
 * PostgreSQL: TEST_DATABASE_URL (an admin URL; a throwaway database is created and dropped)
 * or, without it, postgres://postgres@127.0.0.1:5432/postgres. BENCH_APPS (default 400)
 * applications with BENCH_CONCURRENCY (default 16) in flight. BENCH_DB=postgres,pglite (default both).
 * BENCH_PROVIDERS=process (default: each sample node in its own `mianzheng-provider` process) or inline.
 * BENCH_COUNT=1 prints the platform's PostgreSQL statements per application by shape (=seq: in order);
 * BENCH_PROFILE=<dir> writes a CPU profile of the measured run only.
 * BENCH_INSTANCES=N (PostgreSQL only, default 1): N platform processes on the one database —
 * this one and N−1 `server.ts` processes — with the load client sending each request to the
 * next in turn; their CPU is summed in the platform figure.
 *
 * The HTTP client that drives the load (load-client.ts) runs in its own process, so the
 * platform's event loop and CPU figure are the platform's alone; every process's CPU per
 * application is printed (platform, provider nodes, PostgreSQL backends, load generator, machine).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { Session } from 'node:inspector/promises';
import Fastify from 'fastify';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { startPlatform } from '../src/platform.ts';
import { publishCatalogVersion } from '../src/catalog/use-cases/publish-catalog-version.ts';
import { startSampleProviders } from '../src/exchange/adapters/sample-nodes.ts';
import { DEMO_PASSWORD } from '../src/seed/demo-accounts.ts';
import { machineCpuMs, pct, pidCpuMs, sm2Line } from './measure.ts';

const APPS = Number(process.env.BENCH_APPS ?? 400);
// BENCH_COUNT=1: count the platform's PostgreSQL statements (by shape) during the measured run.
const queryCounts = new Map<string, number>();
let counting = false;
if (process.env.BENCH_COUNT) {
  const orig = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  (pg.Client.prototype as { query: unknown }).query = function (this: unknown, ...a: unknown[]) {
    if (counting) {
      const text = typeof a[0] === 'string' ? a[0] : (a[0] as { text?: string })?.text ?? '?';
      const key = text.replace(/\s+/g, ' ').slice(0, 110);
      queryCounts.set(key, (queryCounts.get(key) ?? 0) + 1);
      if (process.env.BENCH_COUNT === 'seq') console.log(`    · ${key}`);
    }
    return orig.apply(this, a);
  };
}
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const INSTANCES = Math.max(1, Number(process.env.BENCH_INSTANCES ?? 1));
const SERVER = path.resolve(import.meta.dirname, '../src/server.ts');
const BENCH_ITEM = '340500-BENCH';
/** BENCH_PROVIDERS=process (default): each sample provider node in its own process (`mianzheng-provider --config`), as a department deploys it; =inline: in the platform's process. */
const PROVIDERS = process.env.BENCH_PROVIDERS ?? 'process';
const PROVIDER_BIN = path.resolve(import.meta.dirname, '../../provider/bin/provider.mjs');

/** Restarts the sample nodes started in-process as separate processes on the same ports, with the same configuration and keys. */
async function providersAsProcesses(dir: string, nodes: { id: string; url: string }[]): Promise<ChildProcess[]> {
  return Promise.all(nodes.map(async (n) => {
    const file = path.join(dir, n.id, 'node.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { listen: { host: string; port: number } };
    fs.writeFileSync(file, `${JSON.stringify({ ...config, listen: { ...config.listen, port: Number(new URL(n.url).port) } }, null, 2)}\n`);
    const child = spawn(process.execPath, [PROVIDER_BIN, '--config', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`provider ${n.id} exited ${code}`)));
      readline.createInterface({ input: child.stdout! }).on('line', (line) => { if (line.includes('"listening"')) resolve(); });
    });
    return child;
  }));
}
const MASTER = Buffer.alloc(32, 9);

/** Another platform instance on the same database, as a deployment runs several behind a load balancer. */
async function platformInstance(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DATABASE_URL: databaseUrl, MASTER_KEY: MASTER.toString('hex'), HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', SAMPLE_PROVIDERS: 'false', PASSWORD_COST: '1024' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`platform instance exited ${code}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /running at (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
  });
  return { child, url };
}

const LOAD_CLIENT = path.resolve(import.meta.dirname, 'load-client.ts');

/**
 * Runs the load generator (load-client.ts) in its own process: after its warm-up, `atStart`
 * runs (CPU counters, profiler), then the measured loop, then `atEnd`.
 */
async function loadFromClient(job: Record<string, unknown>, atStart: () => Promise<void> | void = () => undefined, atEnd: () => Promise<void> | void = () => undefined): Promise<{ seconds: number; latencies: number[]; mixes: Record<string, number>; clientCpuMs: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', LOAD_CLIENT, JSON.stringify({ concurrency: CONCURRENCY, ...job })], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = readline.createInterface({ input: child.stdout! });
  let result: { seconds: number; latencies: number[]; mixes: Record<string, number>; clientCpuMs: number } | undefined;
  let clientCpu0 = 0;
  for await (const line of lines) {
    const m = JSON.parse(line) as { event: string };
    if (m.event === 'warm') {
      await atStart();
      clientCpu0 = pidCpuMs(child.pid!);
      child.stdin!.write('go\n');
    } else if (m.event === 'done') {
      const clientCpuMs = pidCpuMs(child.pid!) - clientCpu0;
      await atEnd();
      result = { ...(m as unknown as NonNullable<typeof result>), clientCpuMs };
      break;
    }
  }
  const code = await exited;
  if (!result) throw new Error(`load client exited ${code} without a result`);
  return result;
}

async function bareRoundTrip(database: Database, n: number) {
  const app = Fastify({ logger: false });
  app.get('/ping', async () => (await sql<{ n: number }>`SELECT 1 AS n`.execute(database.db)).rows[0]);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const r = await loadFromClient({ mode: 'ping', base: url, n, warmup: 200 });
  await app.close();
  return r;
}

async function benchOn(kind: 'postgres' | 'pglite') {
  let database: Database;
  let databaseUrl = '';
  let drop = async () => {};
  if (kind === 'postgres') {
    const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `mz_bench_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    // UTF-8 ctype for Chinese trigrams; from template0, not whatever template1 holds
    await c.query(`CREATE DATABASE ${name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
    await c.end();
    const u = new URL(admin);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    database = await openDatabase({ databaseUrl, poolSize: 20 });
    drop = async () => {
      const c2 = new pg.Client({ connectionString: admin });
      await c2.connect();
      await c2.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c2.end();
    };
  } else {
    database = await openDatabase({});
  }
  const config = loadConfig({ SEED_DEMO: 'true', LOG_LEVEL: 'silent' }, { masterKey: MASTER, passwordCost: 1024, embedded: kind === 'pglite', ...(kind === 'postgres' ? { databaseUrl: 'bench' } : {}) });
  const { app } = await startPlatform(config, { database, logger: false });
  const deps = app.deps;

  // A bench service item with the issue's mix, published as a new catalog version.
  await deps.db.insertInto('service_items').values({ code: BENCH_ITEM, name: '基准测试事项', department_id: 'mas-ga', region_code: '340500', applicant_kinds: ['person'] }).execute();
  const mats = [['申请表', null], ['居民身份信息证明', 'ZM-MAS-SFXX'], ['户籍证明/户口簿', 'ZM-MAS-HJZM'], ['婚姻状况证明', 'ZM-MAS-HYZK'], ['不动产权属证明', 'ZM-MAS-BDCQS'], ['未成年人监护关系证明', 'ZM-MAS-JHGX']] as const;
  await deps.db.insertInto('service_item_materials').values(mats.map(([name, proof], i) => ({ id: `${BENCH_ITEM}-M0${i + 1}`, service_item_code: BENCH_ITEM, position: i + 1, name, proof_item_id: proof, required: true }))).execute();
  const sys = { id: 'system', username: 'system', displayName: '基准测试', kind: 'staff' as const, roles: ['catalog_admin' as const], departmentId: 'ah-sf', departmentName: '安徽省司法厅', regionCode: '340000' };
  const v = await publishCatalogVersion({ note: 'bench' }, sys, deps);
  deps.catalogReadModels.published(v.number);

  const providers = await startSampleProviders(deps, { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'mz-bench-')), basePort: 0 });
  let children: ChildProcess[] = [];
  if (PROVIDERS === 'process') {
    await providers.close();
    children = await providersAsProcesses(providers.dir, providers.nodes);
  }
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const instances = kind === 'postgres' ? await Promise.all(Array.from({ length: INSTANCES - 1 }, () => platformInstance(databaseUrl))) : [];
  const login = async (u: string) => ((await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: DEMO_PASSWORD }) })).json()) as { token: string }).token;
  const citizen = { authorization: `Bearer ${await login('citizen')}`, 'content-type': 'application/json' };
  const clerk = { authorization: `Bearer ${await login('clerk')}`, 'content-type': 'application/json' };
  const licenses = (await (await fetch(`${base}/api/v1/me/licenses`, { headers: citizen })).json()) as { items?: { id: string; licenseType: { name: string } }[] };
  for (const l of (licenses.items ?? []).filter((x) => ['居民身份证', '居民户口簿'].includes(x.licenseType.name))) {
    await fetch(`${base}/api/v1/me/licenses/${l.id}/grants`, { method: 'POST', headers: citizen, body: JSON.stringify({ departmentId: 'mas-ga', serviceItemCode: BENCH_ITEM, validUntil: new Date(Date.now() + 86_400_000).toISOString() }) });
  }
  // BENCH_PROFILE=<dir>: a CPU profile of the platform process over the measured run only.
  const profiler = process.env.BENCH_PROFILE ? new Session() : undefined;
  let cpu0: ReturnType<typeof cpuSplit> | undefined;
  let cpu1: ReturnType<typeof cpuSplit> | undefined;
  const r = await loadFromClient({ mode: 'applications', base, bases: [base, ...instances.map((i) => i.url)], n: APPS, warmup: 20, citizen: citizen.authorization.slice(7), clerk: clerk.authorization.slice(7), item: BENCH_ITEM }, async () => {
    if (profiler) { profiler.connect(); await profiler.post('Profiler.enable'); await profiler.post('Profiler.start'); }
    counting = true;
    cpu0 = cpuSplit(children, instances.map((i) => i.child));
  }, () => {
    cpu1 = cpuSplit(children, instances.map((i) => i.child));
    counting = false;
  });
  const cpu = Object.fromEntries(Object.entries(cpu1!).map(([k, v]) => [k, (v - cpu0![k as keyof typeof cpu0]) / APPS])) as ReturnType<typeof cpuSplit>;
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    fs.mkdirSync(process.env.BENCH_PROFILE!, { recursive: true });
    fs.writeFileSync(path.join(process.env.BENCH_PROFILE!, `applications-${kind}.cpuprofile`), JSON.stringify(profile));
    profiler.disconnect();
  }
  if (process.env.BENCH_COUNT) {
    const total = [...queryCounts.values()].reduce((a, b) => a + b, 0);
    console.log(`statements per application: ${(total / APPS).toFixed(1)}`);
    for (const [k, n] of [...queryCounts].sort((a, b) => b[1] - a[1])) console.log(`  ${(n / APPS).toFixed(2).padStart(6)}  ${k}`);
    queryCounts.clear();
  }
  const mixes = new Map(Object.entries(r.mixes));
  const bare = await bareRoundTrip(database, APPS * 5);
  await app.close();
  await providers.close().catch(() => undefined);
  for (const c of [...children, ...instances.map((i) => i.child)]) { c.removeAllListeners('exit'); c.kill(); }
  await database.close();
  await drop();
  return {
    kind, instances: 1 + instances.length, apps: APPS, concurrency: CONCURRENCY, perSecond: APPS / r.seconds, p50: pct(r.latencies, 50), p99: pct(r.latencies, 99), mixes, cpu, clientCpuMs: r.clientCpuMs / APPS, seconds: r.seconds,
    bare: { perSecond: (APPS * 5) / bare.seconds, p50: pct(bare.latencies, 50), p99: pct(bare.latencies, 99) },
  };
}

/** CPU milliseconds so far: this process (and the other platform instances), the provider processes, the PostgreSQL server's processes (alive now), and the machine (/proc/stat, busy time of all cores). */
function cpuSplit(children: ChildProcess[], instances: ChildProcess[] = []): { platform: number; platformSystem: number; providers: number; postgres: number; machine: number } {
  let postgres = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim().startsWith('postgres')) postgres += pidCpuMs(Number(d));
    } catch { /* gone */ }
  }
  const u = process.cpuUsage();
  const others = instances.reduce((a, c) => a + (c.pid ? pidCpuMs(c.pid) : 0), 0);
  return { platform: (u.user + u.system) / 1000 + others, platformSystem: u.system / 1000, providers: children.reduce((a, c) => a + (c.pid ? pidCpuMs(c.pid) : 0), 0), postgres, machine: machineCpuMs().busy };
}

const kinds = (process.env.BENCH_DB ?? 'postgres,pglite').split(',') as ('postgres' | 'pglite')[];
console.log(`applications end to end: ${APPS} applications, ${CONCURRENCY} in flight, loopback HTTP, provider nodes ${PROVIDERS === 'process' ? 'in their own processes' : 'in the platform process'}; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, Node ${process.version}; ${sm2Line()}`);
for (const kind of kinds) {
  const r = await benchOn(kind);
  console.log(`\n== ${kind}${r.instances > 1 ? `, ${r.instances} platform instances` : ''} ==`);
  console.log(`  applications/s  ${r.perSecond.toFixed(1)}   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   (submit → resolve → sign → approve)`);
  console.log(`  bare Fastify + DB round trip: ${r.bare.perSecond.toFixed(0)} req/s   p50 ${r.bare.p50.toFixed(2)} ms   p99 ${r.bare.p99.toFixed(2)} ms`);
  console.log(`  ratio: one application costs ${(r.bare.perSecond / r.perSecond).toFixed(1)} bare round trips of throughput`);
  const c = r.cpu;
  console.log(`  CPU per application: platform ${c.platform.toFixed(1)} ms (${c.platformSystem.toFixed(1)} in the kernel), provider nodes ${c.providers.toFixed(1)} ms, PostgreSQL backends ${c.postgres.toFixed(1)} ms, load generator ${r.clientCpuMs.toFixed(1)} ms, whole machine ${c.machine.toFixed(1)} ms of ${os.cpus().length} cores (${((c.machine * r.perSecond) / 10 / os.cpus().length).toFixed(0)}% busy)`);
  for (const [mix, n] of r.mixes) console.log(`  mix ×${n}: ${mix}`);
}
process.exit(0);

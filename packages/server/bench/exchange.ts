/**
 * npm run bench:exchange — signed data-sharing round trips between the platform (this
 * process, with its database) and one provider node (a separate process started with
 * `mianzheng provider --config …`) on loopback, for Ed25519 and SM2-SM3, next to an unsigned
 * plain HTTP JSON round trip (a separate process answering a fixed body) on the same machine.
 *
 * Per suite, two levels:
 *   transport  — the platform's ExchangeClient: sign (keystore), POST, node verifies, checks freshness,
 *                nonce, grant, parameters, reads its CSV source, writes its trail (group commit, fdatasync),
 *                signs the answer; the client verifies it. No platform database write.
 *   use case   — queryProvider() as the application engine calls it (the department's service actor,
 *                bound to the application it resolves): directory check + the above + the platform's trail
 *                (exchange log, access log, audit chain) committed before the outcome is returned (group commit).
 * CPU per query: this process from process.cpuUsage(); the node from /proc/<pid>/stat.
 *
 * Options (env): BENCH_SECONDS (default 6), BENCH_CONCURRENCY (default 16), BENCH_PEOPLE (default 5000),
 * DATABASE_URL (platform database on PostgreSQL instead of in-memory PGlite), BENCH_NODE_ARGS (extra Node
 * options for the node process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_SUITES (default
 * "Ed25519,SM2-SM3"), BENCH_PROFILE=<dir> (a CPU profile of this process over each measured run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Session } from 'node:inspector/promises';
import { identityNumberCheckChar } from '@mianzheng/crypto';
import { STANDARD_ITEMS } from '@mianzheng/provider/protocol';
import { toCsv } from '@mianzheng/provider/samples';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { startPlatform } from '../src/platform.ts';
import type { Deps } from '../src/shared/deps.ts';
import { departmentServiceActor, type Actor } from '../src/identity/domain/roles.ts';
import { queryProvider } from '../src/exchange/use-cases/query-provider.ts';
import { updateProvider } from '../src/exchange/use-cases/update-provider.ts';
import { setProviderKeys } from '../src/exchange/use-cases/set-provider-keys.ts';
import { setItemGrants } from '../src/exchange/use-cases/set-item-grants.ts';
import { exportNodeConfig } from '../src/exchange/use-cases/export-node-config.ts';
import { exchangeOf } from '../src/exchange/adapters/exchange-infra.ts';
import { machineCpuMs, pct, pidCpuMs, sm2Line } from './measure.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 5000);
const CLI = path.resolve(import.meta.dirname, '../bin/mianzheng.mjs');
const SYSTEM: Actor = { id: 'system', username: 'system', displayName: 'bench', kind: 'staff', roles: ['data_admin'], departmentId: 'ah-sjzy', departmentName: null, regionCode: '340000' };
const ENGINE: Actor = departmentServiceActor('mas-ga', '马鞍山市公安局');

function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Result { label: string; n: number; errors: number; qps: number; p50: number; p99: number; cpuPlatformMs: number; cpuNodeMs: number | null; machineBusy: number; outcomes: Record<string, number> }

/** Closed loop: CONCURRENCY workers, each issuing its next call when the previous returns. */
async function run(label: string, call: (i: number) => Promise<string>, nodePid: number | null): Promise<Result> {
  const warmUntil = performance.now() + 1000;
  let i = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (performance.now() < warmUntil) await call(i++); }));
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let errors = 0;
  // BENCH_PROFILE=<dir>: a CPU profile of this process over each measured run only.
  const profiler = process.env.BENCH_PROFILE ? new Session() : undefined;
  if (profiler) { profiler.connect(); await profiler.post('Profiler.enable'); await profiler.post('Profiler.start'); }
  const cpu0 = selfCpuMs();
  const m0 = machineCpuMs();
  const node0 = nodePid ? pidCpuMs(nodePid) : 0;
  const start = performance.now();
  const until = start + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      try {
        const o = await call(i++);
        outcomes[o] = (outcomes[o] ?? 0) + 1;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  }));
  const elapsed = (performance.now() - start) / 1000;
  const cpuPlatform = selfCpuMs() - cpu0;
  const m1 = machineCpuMs();
  const cpuNode = nodePid ? pidCpuMs(nodePid) - node0 : null;
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    fs.mkdirSync(process.env.BENCH_PROFILE!, { recursive: true });
    fs.writeFileSync(path.join(process.env.BENCH_PROFILE!, `exchange-${label.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}.cpuprofile`), JSON.stringify(profile));
    profiler.disconnect();
  }
  const n = latencies.length;
  return { label, n, errors, qps: n / elapsed, p50: pct(latencies, 50), p99: pct(latencies, 99), cpuPlatformMs: cpuPlatform / n, cpuNodeMs: cpuNode === null ? null : cpuNode / n, machineBusy: (m1.busy - m0.busy) / Math.max(1, m1.total - m0.total), outcomes };
}

function spawnAndWait(args: string[], matcher: (line: string) => string | undefined): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`child exited ${code}: ${stderr}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = matcher(line);
      if (url) resolve({ child, url });
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mz-bench-exchange-'));
  const ids: string[] = [];
  const seen = new Set<string>();
  const rows: Array<[string, string, string, string]> = [];
  for (let k = 0; k < PEOPLE; k++) {
    const first17 = `340503${1950 + (k % 50)}${String(1 + (k % 12)).padStart(2, '0')}${String(1 + (k % 28)).padStart(2, '0')}${String(k % 1000).padStart(3, '0')}`;
    const idn = first17 + identityNumberCheckChar(first17);
    if (seen.has(idn)) continue;
    seen.add(idn);
    ids.push(idn);
    rows.push([idn, `居民${k}`, k % 3 === 0 ? '未婚' : '已婚', '2026-01-01T00:00:00.000Z']);
  }
  fs.writeFileSync(path.join(dir, 'marriage.csv'), toCsv(['id_number', 'name', 'marital_status', 'updated_at'], rows));

  // The platform: migrated, demo-seeded database (the directory has node-mas-mz).
  const databaseUrl = process.env.DATABASE_URL;
  const database = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 10 } : {});
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'true', SAMPLE_PROVIDERS: 'false' }, { masterKey: Buffer.alloc(32, 7), passwordCost: 1024, embedded: !databaseUrl, dataDir: dir });
  const { app } = await startPlatform(config, { database, logger: false });
  const deps = app.deps as Deps;
  await setItemGrants('node-mas-mz', 'marriage-status', [{ consumerDepartmentId: 'mas-ga', purposes: ['application_review'] }], SYSTEM, deps);

  // Baseline: unsigned JSON over the same kind of keep-alive connection, to a separate process.
  const answer = JSON.stringify({ item: 'marriage-status', outcome: 'answered', answer: { married: true }, asOf: '2026-01-01T00:00:00.000Z', answeredAt: new Date().toISOString() });
  const baselineScript = `const http=require('http');const body=${JSON.stringify(answer)};const s=http.createServer((q,r)=>{const c=[];q.on('data',d=>c.push(d));q.on('end',()=>{JSON.parse(Buffer.concat(c));r.writeHead(200,{'content-type':'application/json','content-length':Buffer.byteLength(body)});r.end(body);});});s.keepAliveTimeout=65000;s.listen(0,'127.0.0.1',()=>console.log('http://127.0.0.1:'+s.address().port));`;
  const baseline = await spawnAndWait(['-e', baselineScript], (l) => (l.startsWith('http://') ? l.trim() : undefined));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const body = JSON.stringify({ params: { idNumber: ids[0] } });
  const plain = () => new Promise<string>((resolve, reject) => {
    const req = http.request(`${baseline.url}/v1/items/marriage-status/query`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const c: Buffer[] = [];
      res.on('data', (d: Buffer) => c.push(d));
      res.on('end', () => { JSON.parse(Buffer.concat(c).toString()); resolve('ok'); });
    });
    req.on('error', reject);
    req.end(body);
  });
  const results: Result[] = [await run('unsigned plain HTTP JSON (baseline)', plain, baseline.child.pid!)];
  await stop(baseline.child);
  agent.destroy();

  for (const suite of (process.env.BENCH_SUITES ?? 'Ed25519,SM2-SM3').split(',') as Array<'Ed25519' | 'SM2-SM3'>) {
    await updateProvider('node-mas-mz', { requestSuite: suite, resilience: { concurrency: Math.max(CONCURRENCY, 32), timeoutMs: 5000, maxAttempts: 1, breakerThreshold: 100 } }, SYSTEM, deps);
    const nodeDir = path.join(dir, suite);
    fs.mkdirSync(nodeDir, { recursive: true });
    const { consumers } = await exportNodeConfig('node-mas-mz', deps);
    const file = path.join(nodeDir, 'node.json');
    fs.writeFileSync(file, JSON.stringify({
      node: { id: 'node-mas-mz', name: '压测民政节点' }, listen: { host: '127.0.0.1', port: 0 }, signing: { suite, keyFile: './node-key.json' },
      trail: { file: './trail.jsonl', fsync: process.env.BENCH_FSYNC !== 'false' },
      sources: { registry: { type: 'csv', file: path.join(dir, 'marriage.csv') } },
      items: [{ ...STANDARD_ITEMS.marriageStatus, source: 'registry', match: { id_number: 'idNumber' }, fields: { married: { column: 'marital_status', in: ['已婚'] } }, asOf: { column: 'updated_at' } }],
      consumers,
    }));
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const nodeProc = await spawnAndWait([...nodeArgs, CLI, 'provider', '--config', file], (l) => {
      try {
        const m = JSON.parse(l) as { event?: string; url?: string };
        return m.event === 'listening' ? m.url : undefined;
      } catch {
        return undefined;
      }
    });
    const key = JSON.parse(fs.readFileSync(path.join(nodeDir, 'node-key.json'), 'utf8')) as { keyId: string; suite: 'SM2-SM3' | 'Ed25519'; publicKey: string };
    await updateProvider('node-mas-mz', { endpoint: nodeProc.url }, SYSTEM, deps);
    await setProviderKeys('node-mas-mz', [{ keyId: key.keyId, suite: key.suite, publicKey: key.publicKey }], SYSTEM, deps);
    const { providers } = await exchangeOf(deps).directory.get();
    const p = providers.find((x) => x.id === 'node-mas-mz')!;
    const target = { providerId: p.id, endpoint: p.endpoint, requestSuite: p.requestSuite, keys: p.keys, resilience: p.resilience };
    const client = exchangeOf(deps).client;
    const health = async () => (await (await fetch(`${nodeProc.url}/v1/health`)).json()) as { signing: { answers: number; signatures: number } };
    const batching = async <T extends Result>(r: Promise<T>): Promise<T> => {
      const c0 = client.signingStats();
      const n0 = (await health()).signing;
      const res = await r;
      const c1 = client.signingStats();
      const n1 = (await health()).signing;
      res.label += ` [requests/signature ${((c1.requests - c0.requests) / Math.max(1, c1.signatures - c0.signatures)).toFixed(1)}, answers/signature ${((n1.answers - n0.answers) / Math.max(1, n1.signatures - n0.signatures)).toFixed(1)}]`;
      return res;
    };
    results.push(await batching(run(`${suite} signed — transport (no platform DB write)`, async (k) => {
      const r = await client.send(target, { itemCode: 'marriage-status', params: { idNumber: ids[k % ids.length]! }, consumerId: 'mas-ga', purpose: 'application_review', applicationRef: `BENCH-${k}`, legalBasis: '《婚姻登记条例》第五条' });
      return r.kind === 'response' ? String(r.status) : r.reason;
    }, nodeProc.child.pid!)));
    const trail0 = exchangeOf(deps).trail.stats;
    results.push(await batching(run(`${suite} signed — queryProvider use case (+ platform trail)`, async (k) => {
      const o = await queryProvider({ itemCode: 'marriage-status', params: { idNumber: ids[k % ids.length]! }, consumerDepartmentId: 'mas-ga', purpose: 'application_review', applicationRef: `BENCH-${k}`, legalBasis: '《婚姻登记条例》第五条' }, ENGINE, deps);
      return o.outcome;
    }, nodeProc.child.pid!)));
    const trail1 = exchangeOf(deps).trail.stats;
    const last = results.at(-1)!;
    last.label += ` [${trail1.written - trail0.written} queries in ${trail1.batches - trail0.batches} commits]`;
    await stop(nodeProc.child);
    const nodeTrail = fs.readFileSync(path.join(nodeDir, 'trail.jsonl'), 'utf8').trim().split('\n').length;
    last.label += ` [node trail: ${nodeTrail} entries]`;
  }
  const logRows = await deps.db.selectFrom('exchange_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const accessRows = await deps.db.selectFrom('access_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  await app.close();
  await database.close();

  const base = results[0]!;
  console.log(`\nbench:exchange — ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, Node ${process.version}, platform DB ${databaseUrl ? 'PostgreSQL' : 'PGlite (in-memory)'}, concurrency ${CONCURRENCY}, ${SECONDS} s per run, ${ids.length} people in the node's CSV`);
  console.log(`${sm2Line()}\n`);
  console.log(['run'.padEnd(78), 'q/s'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'vs base'.padStart(8), 'CPU/q platform'.padStart(15), 'CPU/q node'.padStart(11), 'busy'.padStart(6), '  outcomes'].join(''));
  for (const r of results) {
    console.log([
      r.label.padEnd(78), r.qps.toFixed(0).padStart(8), r.p50.toFixed(2).padStart(8), r.p99.toFixed(2).padStart(8), `${((r.qps / base.qps) * 100).toFixed(0)}%`.padStart(8),
      `${r.cpuPlatformMs.toFixed(3)} ms`.padStart(15), (r.cpuNodeMs === null ? '–' : `${r.cpuNodeMs.toFixed(3)} ms`).padStart(11), `${(r.machineBusy * 100).toFixed(0)}%`.padStart(6), `  ${JSON.stringify(r.outcomes)}${r.errors ? ` errors ${r.errors}` : ''}`,
    ].join(''));
  }
  const ed = results.find((r) => r.label.startsWith('Ed25519 signed — transport'));
  const edUse = results.find((r) => r.label.startsWith('Ed25519 signed — queryProvider'));
  const verdict = (r: Result) => `${r.qps >= 2000 ? '✔' : '✘'} ≥ 2,000 q/s (${r.qps.toFixed(0)}), ${r.p99 <= 20 ? '✔' : '✘'} p99 ≤ 20 ms (${r.p99.toFixed(2)}), ${r.qps / base.qps >= 0.3 ? '✔' : '✘'} ≥ 30% of baseline (${((r.qps / base.qps) * 100).toFixed(0)}%)`;
  if (ed && edUse) {
    console.log(`\nTarget (Ed25519): transport ${verdict(ed)}`);
    console.log(`                  use case  ${verdict(edUse)}`);
  }
  console.log(`Platform trail after the run: ${logRows.n} exchange-log rows, ${accessRows.n} access-log rows (every query of the use-case runs logged; none lost).`);
  console.log(`CPU per query is process CPU time (user+system) divided by queries; the platform figure includes its ${databaseUrl ? 'database client' : 'in-process PGlite'} work. busy: share of all ${os.cpus().length} cores busy during the run (/proc/stat).`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

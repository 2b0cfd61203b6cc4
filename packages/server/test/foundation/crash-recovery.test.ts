import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import readline from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';
import { TEST_MASTER_KEY, testDbKind, urlFor, withAdmin } from '../support/test-database.ts';

/**
 * "Nothing acknowledged is ever lost": the platform runs as its own process (the embedded
 * PGlite data directory, or PostgreSQL), clients file applications and create draft proof
 * items as fast as it answers, and the process is killed with SIGKILL mid-stream. After a
 * restart on the same data, every request that was answered 201 is there, and the audit
 * chains verify.
 */
const ROOT = path.resolve(import.meta.dirname, '../../../..');
const SERVER = path.join(ROOT, 'packages/server/src/server.ts');

let child: ChildProcess | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  child?.kill('SIGKILL');
  for (const c of cleanups) await c();
});

async function prepareData(): Promise<Record<string, string>> {
  if (testDbKind() === 'postgres') {
    const name = `mz_crash_${randomBytes(5).toString('hex')}`;
    await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${inject('mzTemplate')}`));
    cleanups.push(() => withAdmin(async (c) => { await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); }));
    return { DATABASE_URL: urlFor(name) };
  }
  // the demo-seeded template written into a data directory, as `npm start` leaves one
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mz-crash-'));
  const db = await openDatabase({ dataDir: path.join(dataDir, 'pglite'), loadDataDir: new Blob([fs.readFileSync(inject('mzTemplate'))]) });
  await db.close();
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  return { DATA_DIR: dataDir, DATABASE_URL: '' };
}

function start(env: Record<string, string>): Promise<{ process: ChildProcess; base: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false', SAMPLE_PROVIDERS: 'false', MASTER_KEY: TEST_MASTER_KEY.toString('hex') },
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code, signal) => reject(new Error(`platform exited (${code ?? signal}) before it was ready: ${stderr.slice(-2000)}`)));
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = /running at (http:\/\/\S+)/.exec(line);
      if (m) {
        proc.removeAllListeners('exit');
        resolve({ process: proc, base: m[1]! });
      }
    });
  });
}

async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  const body = (await res.json()) as { token?: string };
  if (!body.token) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

describe('a platform process killed mid-stream loses nothing it acknowledged', () => {
  it('every 201 before SIGKILL is there after a restart, and the audit chains verify', async () => {
    const env = await prepareData();
    let { process: proc, base } = await start(env);
    child = proc;
    const admin = await login(base, 'catalogadmin');
    const citizen = await login(base, 'citizen');
    const proofItems: string[] = [];
    const applications: string[] = [];
    let stop = false;
    const post = (url: string, token: string, body: unknown) => fetch(`${base}${url}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const writers = [
      ...Array.from({ length: 3 }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          try {
            const res = await post('/api/v1/admin/catalog/proof-items', admin, { name: `崩溃恢复测试证明${w}-${i}`, issuingDepartmentId: 'mas-mz', regionCode: '340500', legalBasis: '《测试条例》第一条', methods: ['data_sharing'] });
            if (res.status === 201) proofItems.push(((await res.json()) as { id: string }).id);
          } catch { return; } // the connection died with the process
        }
      }),
      ...Array.from({ length: 2 }, async () => {
        while (!stop) {
          try {
            const res = await post('/api/v1/applications', citizen, { serviceItemCode: '340500-LSJZ', form: { 备注: '崩溃恢复测试' } });
            if (res.status === 201) applications.push(((await res.json()) as { id: string }).id);
          } catch { return; }
        }
      }),
    ];
    // let acknowledged writes accumulate, then kill without warning
    const until = Date.now() + 20_000;
    while (Date.now() < until && (proofItems.length < 40 || applications.length < 8)) await new Promise((r) => setTimeout(r, 100));
    proc.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(undefined) : proc.once('exit', r)));
    expect(proofItems.length).toBeGreaterThan(10);
    expect(applications.length).toBeGreaterThan(2);

    ({ process: proc, base } = await start(env));
    child = proc;
    const adminAfter = await login(base, 'catalogadmin');
    const draft = (await (await fetch(`${base}/api/v1/admin/catalog/draft`, { headers: { authorization: `Bearer ${adminAfter}` } })).json()) as { proofItems: { id: string }[] };
    const present = new Set(draft.proofItems.map((p) => p.id));
    expect(proofItems.filter((id) => !present.has(id))).toEqual([]);
    const citizenAfter = await login(base, 'citizen');
    for (const id of applications) {
      const res = await fetch(`${base}/api/v1/applications/${id}`, { headers: { authorization: `Bearer ${citizenAfter}` } });
      expect(res.status, id).toBe(200);
    }
    const supervisor = await login(base, 'supervisor');
    const audit = (await (await fetch(`${base}/api/v1/audit/verify`, { headers: { authorization: `Bearer ${supervisor}` } })).json()) as { ok: boolean; checked: number };
    expect(audit.ok).toBe(true);
    console.info(`crash recovery (${testDbKind()}): ${proofItems.length} proof items and ${applications.length} applications acknowledged before SIGKILL, all present after the restart; ${audit.checked} audit entries verify`);
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    child = undefined;
  }, 180_000);
});

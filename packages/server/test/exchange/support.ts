/**
 * Real provider nodes on loopback for the exchange tests: in-process (startProviderNode)
 * or as a separate process (the `mianzheng provider` CLI), configured from the test
 * platform's own directory (GET …/node-config) and registered back into it (endpoint,
 * key) through the data administrator's API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { identityNumberCheckChar } from '@mianzheng/crypto';
import { loadNodeConfig, startProviderNode, STANDARD_ITEMS, type ProviderNode, type StartOptions } from '@mianzheng/provider';
import { toCsv } from '@mianzheng/provider/samples';
import { DEMO_ACCOUNTS } from '../../src/seed/demo-accounts.ts';
import type { TestPlatform } from '../support/test-platform.ts';

export const CITIZEN_ID = DEMO_ACCOUNTS.find((a) => a.username === 'citizen')!.idNumber!;
export const AGENT_ID = DEMO_ACCOUNTS.find((a) => a.username === 'agent')!.idNumber!;
export const STRANGER_ID = '34050419800101001' + identityNumberCheckChar('34050419800101001');
export const UNKNOWN_ID = '34052119700707003' + identityNumberCheckChar('34052119700707003');
/** `mianzheng provider --config <file>`: the platform's CLI dispatching to the provider node. */
export const PROVIDER_BIN = path.resolve(import.meta.dirname, '../../bin/mianzheng.mjs');

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mz-exchange-'));
}

export interface NodeSetup {
  dir: string;
  configFile: string;
  /** the backend the http item reads (delay it to make the node slow) */
  slowBackendUrl?: string;
}

/**
 * Writes a 民政 node (node-mas-mz of the demo directory) answering marriage-status from a
 * CSV, plus an extra item the directory does not know (for item_not_offered tests through
 * raw requests). Consumers and grants come from the platform's node-config.
 */
export async function writeMarriageNode(p: TestPlatform, options: { consumers?: unknown[]; suite?: 'SM2-SM3' | 'Ed25519'; backendUrl?: string } = {}): Promise<NodeSetup> {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'marriage.csv'), toCsv(['id_number', 'name', 'marital_status', 'updated_at'], [
    [CITIZEN_ID, '张晓梅', '未婚', '2026-01-10T08:00:00.000Z'],
    [AGENT_ID, '李帮办', '已婚', '2025-06-01T08:00:00.000Z'],
    [STRANGER_ID, '王伟', '已婚', '2024-03-01T08:00:00.000Z'],
  ]));
  let consumers = options.consumers;
  if (!consumers) {
    const res = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-mas-mz/node-config', headers: await p.as('dataadmin') });
    if (res.statusCode !== 200) throw new Error(`node-config: ${res.statusCode} ${res.body}`);
    consumers = res.json().consumers;
  }
  const items: unknown[] = [{ ...STANDARD_ITEMS.marriageStatus, source: 'registry', match: { id_number: 'idNumber' }, fields: { married: { column: 'marital_status', in: ['已婚'] } }, asOf: { column: 'updated_at' } }];
  const sources: Record<string, unknown> = { registry: { type: 'csv', file: './marriage.csv' } };
  if (options.backendUrl) {
    // a second item read from a (slow) backend: lets a test stall the node mid-query
    sources.backend = { type: 'http', baseUrl: options.backendUrl, timeoutMs: 20_000 };
    items.push({ ...STANDARD_ITEMS.education, source: 'backend', path: '/edu/students/{idNumber}/highest-degree', asOf: 'source',
      fields: { level: { column: 'degree' }, school: { column: 'school' }, major: { column: 'major' }, graduationYear: { column: 'grad_year' }, certificateNo: { column: 'diploma_no' } } });
  }
  const config = {
    node: { id: 'node-mas-mz', name: '马鞍山市民政局婚姻登记共享节点(测试)' },
    listen: { host: '127.0.0.1', port: 0 },
    signing: { suite: options.suite ?? 'SM2-SM3', keyFile: './node-key.json' },
    trail: { file: './trail.jsonl', fsync: true },
    sources, items, consumers,
  };
  const configFile = path.join(dir, 'node.json');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  return { dir, configFile };
}

export interface RunningNode { url: string; keyId: string; suite: 'SM2-SM3' | 'Ed25519'; publicKey: string; stop(): Promise<void>; kill?(): void; child?: ChildProcess; inProcess?: ProviderNode }

export async function startInProcess(setup: NodeSetup, options: StartOptions = {}): Promise<RunningNode> {
  const node = await startProviderNode(loadNodeConfig(setup.configFile), options);
  return { url: node.url, keyId: node.key.keyId, suite: node.key.suite, publicKey: node.key.publicKey, stop: () => node.close(), inProcess: node };
}

/** Runs `provider.mjs --config <file>` as its own process and waits for its "listening" line. */
export async function spawnNode(setup: NodeSetup): Promise<RunningNode> {
  const child = spawn(process.execPath, [PROVIDER_BIN, 'provider', '--config', setup.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const lines = readline.createInterface({ input: child.stdout! });
  const listening = await new Promise<{ url: string; keyId: string; suite: 'SM2-SM3' | 'Ed25519'; publicKey: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`provider did not start: ${stderr}`)), 30_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`provider exited with ${code}: ${stderr}`)); });
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string; url: string; keyId: string; suite: 'SM2-SM3' | 'Ed25519'; publicKey: string };
        if (msg.event === 'listening') { clearTimeout(timer); resolve(msg); }
      } catch { /* other output */ }
    });
  });
  return {
    ...listening, child,
    kill: () => { child.kill('SIGKILL'); },
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** Points the directory entry at the running node: endpoint and key (as a data administrator would). */
export async function register(p: TestPlatform, node: RunningNode, providerId = 'node-mas-mz', resilience?: Record<string, number>): Promise<void> {
  const headers = await p.as('dataadmin');
  const patch = await p.app.inject({ method: 'PATCH', url: `/api/v1/exchange/providers/${providerId}`, headers, payload: { endpoint: node.url, ...(resilience ? { resilience } : {}) } });
  if (patch.statusCode !== 200) throw new Error(`patch: ${patch.statusCode} ${patch.body}`);
  const keys = await p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/${providerId}/keys`, headers, payload: { keys: [{ keyId: node.keyId, suite: node.suite, publicKey: node.publicKey }] } });
  if (keys.statusCode !== 200) throw new Error(`keys: ${keys.statusCode} ${keys.body}`);
}

export function trailOf(setup: NodeSetup): Array<Record<string, unknown>> {
  const file = path.join(setup.dir, 'trail.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

export const QUERY = {
  itemCode: 'marriage-status', params: { idNumber: CITIZEN_ID }, purpose: 'application_review', applicationRef: 'BJ-2026-TEST-0001', legalBasis: '《婚姻登记条例》第五条',
};

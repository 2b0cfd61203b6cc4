/**
 * Real provider nodes on loopback for the exchange tests: in-process (startProviderNode)
 * or as a separate process (the `mianzheng provider` CLI), configured from the test
 * platform's own directory (GET …/node-config) and registered back into it (endpoint,
 * key) through the data administrator's API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
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
export async function writeMarriageNode(p: TestPlatform, options: { consumers?: unknown[]; suite?: 'SM2-SM3' | 'Ed25519'; backendUrl?: string; maxNonces?: number } = {}): Promise<NodeSetup> {
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
    sources.backend = { type: 'http', baseUrl: options.backendUrl, timeoutMs: 20_000, noRecord: { status: 404, body: { code: 'NO_RECORD' } } };
    items.push({ ...STANDARD_ITEMS.education, source: 'backend', path: '/edu/students/{idNumber}/highest-degree', asOf: 'source',
      fields: { level: { column: 'degree' }, school: { column: 'school' }, major: { column: 'major' }, graduationYear: { column: 'grad_year' }, certificateNo: { column: 'diploma_no' } } });
  }
  const config = {
    node: { id: 'node-mas-mz', name: '马鞍山市民政局婚姻登记共享节点(测试)' },
    listen: { host: '127.0.0.1', port: 0 },
    signing: { suite: options.suite ?? 'SM2-SM3', keyFile: './node-key.json' },
    trail: { file: './trail.jsonl', fsync: true },
    ...(options.maxNonces !== undefined ? { maxNonces: options.maxNonces } : {}),
    sources, items, consumers,
  };
  const configFile = path.join(dir, 'node.json');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  return { dir, configFile };
}

/**
 * Writes a 公安 node (node-mas-ga of the demo directory) answering household-registration
 * from a CSV — with the node's own definition of the item, which may differ from the
 * directory's (`answer`: the fields the node declares and answers; `fields`: their columns).
 */
export async function writeHouseholdNode(p: TestPlatform, node: { answer: Array<{ name: string; type: string; label: string }>; fields: Record<string, unknown>; columns: string[]; rows: Array<Array<string | number | null>> }): Promise<NodeSetup> {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'household.csv'), toCsv(['id_number', ...node.columns], node.rows));
  const res = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-mas-ga/node-config', headers: await p.as('dataadmin') });
  if (res.statusCode !== 200) throw new Error(`node-config: ${res.statusCode} ${res.body}`);
  const config = {
    node: { id: 'node-mas-ga', name: '马鞍山市公安局户籍共享节点(测试)' },
    listen: { host: '127.0.0.1', port: 0 },
    signing: { suite: 'Ed25519', keyFile: './node-key.json' },
    trail: { file: './trail.jsonl', fsync: false },
    sources: { registry: { type: 'csv', file: './household.csv' } },
    items: [{ ...STANDARD_ITEMS.householdRegistration, answer: node.answer, source: 'registry', match: { id_number: 'idNumber' }, fields: node.fields, asOf: 'source' }],
    consumers: res.json().consumers,
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

/**
 * An application of `departmentId` (for `serviceItemCode`, or its first service item) in hand
 * (under review by default) whose applicant is `subjectCode`, written as the engine leaves
 * one: the open case a member of staff's own query or license read must name (the engine
 * itself is bound to the application it resolves).
 */
export async function openCase(p: TestPlatform, options: { ref: string; departmentId?: string; serviceItemCode?: string; subjectCode?: string; status?: 'submitted' | 'under_review' | 'approved' | 'withdrawn' | 'returned' }): Promise<{ id: string; ref: string }> {
  const db = p.app.deps.db;
  const departmentId = options.departmentId ?? 'mas-ga';
  let items = db.selectFrom('service_items').innerJoin('departments', 'departments.id', 'service_items.department_id')
    .select(['service_items.code', 'service_items.name', 'service_items.region_code', 'departments.name as department_name'])
    .where('service_items.department_id', '=', departmentId);
  if (options.serviceItemCode) items = items.where('service_items.code', '=', options.serviceItemCode);
  const item = await items.orderBy('service_items.code').executeTakeFirstOrThrow();
  const version = await db.selectFrom('catalog_versions').select('number').orderBy('number', 'desc').executeTakeFirstOrThrow();
  const filer = await db.selectFrom('accounts').select('id').where('username', '=', 'citizen').executeTakeFirstOrThrow();
  const code = p.app.deps.pii.protect(options.subjectCode ?? CITIZEN_ID, 'applicant_code');
  const id = randomUUID();
  const now = new Date();
  await db.insertInto('applications').values({
    id, ref: options.ref, service_item_code: item.code, service_item_name: item.name, department_id: departmentId, department_name: item.department_name, region_code: item.region_code,
    catalog_version: version.number, status: options.status ?? 'under_review', applicant_kind: 'person', applicant_name: '测试申请人',
    applicant_code_enc: code.enc, applicant_code_hash: code.hash, applicant_code_mask: code.mask, created_by_account_id: filer.id, form: '{}', created_at: now, submitted_at: now, updated_at: now,
  }).execute();
  return { id, ref: options.ref };
}

/**
 * A case for an issuing department's own query (`purpose` dept_verification or post_check):
 * an application of `requestingDepartmentId` about the subject, with a pending verification
 * request to — or an open post-check task of — `departmentId`.
 */
export async function openTask(p: TestPlatform, options: { ref: string; purpose: 'dept_verification' | 'post_check'; departmentId?: string; requestingDepartmentId?: string; subjectCode?: string; status?: 'pending' | 'confirmed' | 'withdrawn' | 'open' | 'done' }): Promise<void> {
  const db = p.app.deps.db;
  const departmentId = options.departmentId ?? 'mas-mz';
  const subjectCode = options.subjectCode ?? CITIZEN_ID;
  const app = await openCase(p, { ref: options.ref, departmentId: options.requestingDepartmentId ?? 'mas-ga', subjectCode });
  const code = p.app.deps.pii.protect(subjectCode, 'applicant_code');
  const dept = await db.selectFrom('departments').select('name').where('id', '=', departmentId).executeTakeFirstOrThrow();
  const now = new Date();
  const resolutionId = randomUUID();
  await db.insertInto('material_resolutions').values({
    id: resolutionId, application_id: app.id, proof_item_id: 'ZM-MAS-HYZK', proof_item_name: '婚姻状况证明', issuing_department_id: departmentId, issuing_department_name: dept.name,
    legal_basis: '《婚姻登记条例》第五条', methods: ['data_sharing', 'commitment'], method: options.purpose === 'post_check' ? 'commitment' : 'dept_verification',
    status: options.purpose === 'post_check' ? 'satisfied' : 'awaiting_verification', attempts: '[]', evidence: 'null', explanation: '', explanation_en: '', updated_at: now,
  }).execute();
  if (options.purpose === 'dept_verification') {
    await db.insertInto('verification_requests').values({
      id: randomUUID(), application_id: app.id, application_ref: options.ref, resolution_id: resolutionId, proof_item_id: 'ZM-MAS-HYZK', proof_item_name: '婚姻状况证明',
      issuing_department_id: departmentId, requesting_department_id: options.requestingDepartmentId ?? 'mas-ga', requesting_department_name: '马鞍山市公安局',
      subject_name: '测试申请人', subject_kind: 'person', subject_code_hash: code.hash, subject_code_mask: code.mask, question: '申请人是否未婚?',
      status: (options.status ?? 'pending') as 'pending' | 'confirmed' | 'withdrawn', requested_at: now, due_at: new Date(now.getTime() + 5 * 86_400_000), working_days: 5, period_month: now.toISOString().slice(0, 7),
    }).execute();
    return;
  }
  const commitmentId = randomUUID();
  await db.insertInto('commitments').values({
    id: commitmentId, application_id: app.id, resolution_id: resolutionId, proof_item_id: 'ZM-MAS-HYZK', proof_item_name: '婚姻状况证明', issuing_department_id: departmentId,
    applicant_name: '测试申请人', applicant_code_hash: code.hash, applicant_code_mask: code.mask, notice: '{}', text: '本人承诺所填报的婚姻状况真实。', text_digest: '0'.repeat(64), rule: '{}',
    status: 'signed', created_at: now, signed_at: now,
  }).execute();
  await db.insertInto('post_checks').values({
    id: randomUUID(), commitment_id: commitmentId, application_id: app.id, application_ref: options.ref, proof_item_id: 'ZM-MAS-HYZK', proof_item_name: '婚姻状况证明',
    assigned_department_id: departmentId, subject_name: '测试申请人', subject_code_hash: code.hash, subject_code_mask: code.mask, reason: 'sampled', status: (options.status ?? 'open') as 'open' | 'done',
    created_at: now, due_at: new Date(now.getTime() + 30 * 86_400_000),
  }).execute();
}

import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { Deps } from '../../src/shared/deps.ts';
import type { TestPlatform } from '../support/test-platform.ts';
import { setResolutionPorts } from '../../src/applications/adapters/resolution-ports.ts';
import type { DataSharingOutcome, DataSharingResolver, LicenseOutcome, LicenseResolver, ResolutionRequest } from '../../src/applications/ports/resolvers.ts';

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/**
 * Port adapters for engine tests: the outcome per proof item id is set by the test (the
 * real licenses / exchange contexts are tested against these same ports in their wiring tests).
 */
export class ScriptedLicenses implements LicenseResolver {
  outcomes = new Map<string, LicenseOutcome['kind']>();
  calls: ResolutionRequest[] = [];
  async resolve(req: ResolutionRequest): Promise<LicenseOutcome> {
    this.calls.push(req);
    const kind = this.outcomes.get(req.proofItem.id) ?? 'unavailable';
    switch (kind) {
      case 'verified': return {
        kind, licenseTypeCode: 'LT-TEST', licenseTypeName: req.proofItem.name, identifier: '1.2.156.3005.2.TEST.TEST.1.001.X', licenseId: 'lic-1', issuerName: req.proofItem.issuingDepartmentName,
        validUntil: null, grantId: 'grant-1', verification: { verified: true, checks: [], errors: [] }, accessLogged: false,
      };
      case 'grant_required': return { kind, licenseTypeCode: 'LT-TEST', licenseTypeName: req.proofItem.name, reason: '请先授权', reasonEn: 'grant first' };
      case 'missing': return { kind, reason: '您尚无该电子证照', reasonEn: 'no such license' };
      case 'invalid': return { kind, reason: '证照已注销', reasonEn: 'revoked', accessLogged: false };
      default: return { kind: 'unavailable', reason: '电子证照库暂不可用', reasonEn: 'unavailable' };
    }
  }
}

export class ScriptedDataSharing implements DataSharingResolver {
  outcomes = new Map<string, DataSharingOutcome['kind']>();
  async query(req: ResolutionRequest): Promise<DataSharingOutcome> {
    const kind = this.outcomes.get(req.proofItem.id) ?? 'unavailable';
    if (kind === 'answered') {
      return { kind, providerId: 'node-test', providerName: req.proofItem.issuingDepartmentName, queryId: 'q-1', answer: { matched: true }, asOf: '2026-03-01T00:00:00Z', signature: { suite: 'SM2-SM3', keyId: 'k', value: 'ab' }, accessLogged: false };
    }
    return { kind, reason: kind === 'unavailable' ? '提供部门节点无响应' : '提供部门无此记录', reasonEn: kind, accessLogged: false };
  }
}

/** Data sharing that holds its answer for the gated proof items until the test lets it go (`open`; `reset` arms it again). */
export class GatedDataSharing extends ScriptedDataSharing {
  gated = new Set<string>();
  reached!: Promise<void>;
  private arrive!: () => void;
  private release!: () => void;
  private gate!: Promise<void>;
  constructor() { super(); this.reset(); }
  reset() {
    this.reached = new Promise((r) => { this.arrive = r; });
    this.gate = new Promise((r) => { this.release = r; });
  }
  open() { this.release(); }
  override async query(req: ResolutionRequest): Promise<DataSharingOutcome> {
    if (this.gated.has(req.proofItem.id)) { this.arrive(); await this.gate; }
    return super.query(req);
  }
}

/**
 * Gives the demo citizen (张晓梅) an earlier credit record, repaired: with that credit history
 * every commitment of theirs is post-checked (no sampling), so a test gets its post-check task.
 */
export async function postCheckEveryCommitmentOfCitizen(p: TestPlatform): Promise<void> {
  const citizen = await p.database.db.selectFrom('accounts').select(['id_number_hash', 'id_number_mask']).where('username', '=', 'citizen').executeTakeFirstOrThrow();
  await p.database.db.insertInto('credit_records').values({
    id: randomUUID(), subject_code_hash: citizen.id_number_hash!, subject_code_mask: citizen.id_number_mask!, subject_name: '张晓梅', subject_kind: 'person',
    type: 'false_commitment', source_type: 'seed', source_id: 'old', source_ref: 'OLD', department_id: 'mas-mz', detail: '历史记录(已修复)', recorded_at: new Date('2024-01-01'),
    valid_until: new Date('2025-01-01'), status: 'repaired', repaired_at: new Date('2024-06-01'), repaired_by: null, repair_reason: '信用修复',
  }).execute();
}

export function scriptPorts(p: TestPlatform) {
  const licenses = new ScriptedLicenses();
  const dataSharing = new ScriptedDataSharing();
  setResolutionPorts(p.app.deps, { licenses, dataSharing });
  return { licenses, dataSharing };
}

export async function call(p: TestPlatform, user: string | null, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const auth = user ? await p.as(user) : {};
  return p.app.inject({ method, url, payload: payload as never, headers: { ...auth, ...headers } });
}

export async function fileApplication(p: TestPlatform, user: string, serviceItemCode: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await call(p, user, 'POST', '/api/v1/applications', { serviceItemCode, form: { 备注: '测试' }, ...extra }, headers);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

/** The principal (`citizen` unless said) authorises the demo `agent` for these service items, for 30 days; the POST's answer. */
export function authorizeAgent(p: TestPlatform, serviceItemCodes: string[], principal = 'citizen') {
  return call(p, principal, 'POST', '/api/v1/agent-authorizations', { agentUsername: 'agent', serviceItemCodes, validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString() });
}

export function multipart(filename: string, data: Buffer, contentType = 'application/octet-stream') {
  const boundary = '----mz' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    data, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function upload(p: TestPlatform, user: string, appId: string, materialId: string, filename: string, data: Buffer) {
  const m = multipart(filename, data);
  return p.app.inject({ method: 'POST', url: `/api/v1/applications/${appId}/materials/${materialId}/upload`, payload: m.payload, headers: { ...(await p.as(user)), ...m.headers } });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function material(view: any, proofKey: string) {
  const m = (view.materials as { proofItemId: string | null }[]).find((x) => x.proofItemId?.endsWith(`-${proofKey.toUpperCase()}`));
  if (!m) throw new Error(`no material ${proofKey}`);
  return m as { materialId: string; proofItemId: string; resolution: { id: string; status: string; method: string; attempts: { method: string; outcome: string; reason: string }[]; commitment: { id: string } | null; verification: { id: string } | null; options: string[]; withoutSubmission: boolean | null; explanation: string; evidence: Record<string, unknown> | null } };
}

/** A staff account with the demo password (the demo supervisor's hash): a supervisor of `regionCode`, or of a department's region. */
export async function addSupervisor(p: TestPlatform, username: string, regionCode: string | null, departmentId: string | null = null): Promise<void> {
  const sup = await p.database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'supervisor').executeTakeFirstOrThrow();
  await p.database.db.insertInto('accounts').values({
    id: randomUUID(), username, display_name: username, kind: 'staff', password_hash: sup.password_hash, roles: ['supervisor'], department_id: departmentId, region_code: regionCode,
    id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, external_subject: null,
  }).execute();
}

/** The tables a statement names (a test's way to recognise one statement among many). */
function tablesOf(node: RootOperationNode): Set<string> {
  const tables = new Set<string>();
  JSON.stringify(node, (_k, v: { kind?: string; table?: { identifier?: { name?: string } } }) => {
    if (v?.kind === 'TableNode' && v.table?.identifier?.name) tables.add(v.table.identifier.name);
    return v;
  });
  return tables;
}

/** A statement that takes row locks (SELECT … FOR UPDATE/SHARE, INSERT, UPDATE, DELETE) on one of these tables. */
export function locksRowsOf(...tables: string[]) {
  return (node: RootOperationNode): boolean => {
    const locking = node.kind === 'SelectQueryNode' ? (node.endModifiers ?? []).some((m) => m.modifier?.startsWith('For')) : ['UpdateQueryNode', 'InsertQueryNode', 'DeleteQueryNode'].includes(node.kind);
    return locking && [...tablesOf(node)].some((t) => tables.includes(t));
  };
}

/** A read joining all of these tables. */
export function readsJoining(...tables: string[]) {
  return (node: RootOperationNode): boolean => node.kind === 'SelectQueryNode' && tables.every((t) => tablesOf(node).has(t));
}

/**
 * Holds one use case at a chosen statement: the first statement matching `match` runs (and
 * keeps the locks it took, inside a transaction), then waits until open(). Used as the `db` of
 * a copy of the deps: `{ ...deps, db: deps.db.withPlugin(gate) }`.
 */
export class StatementGate implements KyselyPlugin {
  reached: Promise<void>;
  private arrive!: () => void;
  private release!: () => void;
  private readonly gate: Promise<void>;
  private readonly held = new WeakSet<object>();
  private armed = true;
  constructor(private readonly match: (node: RootOperationNode) => boolean) {
    this.reached = new Promise((r) => { this.arrive = r; });
    this.gate = new Promise((r) => { this.release = r; });
  }
  open(): void { this.release(); }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.armed && this.match(args.node)) { this.armed = false; this.held.add(args.queryId); }
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.held.has(args.queryId)) { this.arrive(); await this.gate; }
    return args.result;
  }
}

/** The deps of the platform with the gate in front of its database. */
export function gatedDeps(p: TestPlatform, gate: StatementGate): Deps {
  return { ...p.app.deps, db: p.app.deps.db.withPlugin(gate) };
}

/**
 * PostgreSQL: waits until some session of the test database waits for a lock (row or
 * advisory), or `settled()` — the other party got through without waiting.
 */
export async function untilBlockedOrSettled(p: TestPlatform, settled: () => boolean, timeoutMs = 10_000): Promise<'blocked' | 'settled'> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (settled()) return 'settled';
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(p.database.db);
    if (rows[0]!.n > 0) return 'blocked';
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('neither blocked nor settled');
}

/** A promise's outcome without throwing: the value, or the error. */
export function settle<T>(promise: Promise<T>): { done: () => boolean; result: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>; value: () => Promise<T> } {
  let finished = false;
  const result = promise.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })).finally(() => { finished = true; });
  // the value once settled, the failure thrown: asked for only where the test expects a value
  const value = () => result.then((r) => (r.ok ? r.value : Promise.reject(r.error)));
  return { done: () => finished, result, value };
}

/**
 * The platform's deps, with the first transaction a use case opens held back until open():
 * whatever the use case read and checked before it, another request can change meanwhile.
 * The wait is before BEGIN, so it holds no connection (PGlite has only one).
 */
export function depsWithGatedTransaction(p: TestPlatform): { deps: Deps; reached: Promise<void>; open: () => void } {
  let arrive!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => { arrive = r; });
  const gate = new Promise<void>((r) => { release = r; });
  let armed = true;
  const bound = <T extends object>(target: T, key: string | symbol) => {
    const v = Reflect.get(target, key, target) as unknown;
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  };
  const db = new Proxy(p.app.deps.db, {
    get(target, key) {
      if (key !== 'transaction') return bound(target, key);
      return () => new Proxy(target.transaction(), {
        get(builder, k) {
          if (k !== 'execute') return bound(builder, k);
          return async (fn: never) => {
            if (armed) { armed = false; arrive(); await gate; }
            return builder.execute(fn);
          };
        },
      });
    },
  });
  return { deps: { ...p.app.deps, db }, reached, open: release };
}

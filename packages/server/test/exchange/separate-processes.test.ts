/**
 * Platform (this process) and provider node (a child process started through the
 * `mianzheng provider` CLI) talking over loopback: bad input and security, each rejected
 * with its precise reason and logged, and a node killed in the middle of a query.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalRequest, H, prepareRequest, signedHeaders, STANDARD_ITEMS, type QueryToSign } from '@mianzheng/provider/protocol';
import { startLegacyBackend, type LegacyBackend } from '@mianzheng/provider/samples';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { CITIZEN_ID, openCase, QUERY, register, spawnNode, tmpDir, trailOf, writeMarriageNode, type NodeSetup, type RunningNode } from './support.ts';

let p: TestPlatform;
let setup: NodeSetup;
let node: RunningNode;
let backend: LegacyBackend;
let consumerKeyId: string;

async function query(body: Record<string, unknown>) {
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: await p.as('clerk'), payload: body });
  return res.json();
}

/** A request signed with the platform's own key of 马鞍山市公安局 (as the platform signs), sent raw. */
async function raw(q: Partial<QueryToSign>, tamper: { headers?: Record<string, string | undefined>; body?: string; url?: string; unbound?: boolean } = {}) {
  let prepared = prepareRequest({
    node: 'node-mas-mz', itemCode: 'marriage-status', params: { idNumber: CITIZEN_ID }, consumer: 'mas-ga', keyId: consumerKeyId, suite: 'SM2-SM3', purpose: 'application_review',
    applicationRef: 'BJ-RAW-1', legalBasis: '《婚姻登记条例》第五条', ...q,
  });
  if (tamper.unbound) {
    // as a platform of an earlier release signs: no node named (no x-mz-node, no line for it)
    const { node: _node, ...fields } = prepared.fields;
    prepared = { ...prepared, fields, canonical: canonicalRequest(fields) };
  }
  const { signature } = await p.app.deps.keys.sign(q.consumer ?? 'mas-ga', 'SM2-SM3', new TextEncoder().encode(prepared.canonical));
  const headers: Record<string, string> = signedHeaders(prepared, Buffer.from(signature).toString('base64'));
  for (const [k, v] of Object.entries(tamper.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  const res = await fetch((tamper.url ?? node.url) + prepared.path, { method: 'POST', headers, body: tamper.body ?? prepared.body });
  return { status: res.status, json: (await res.json()) as { error?: { reason: string; field?: string }; outcome?: string } };
}

beforeAll(async () => {
  p = await createTestPlatform();
  // the open applications of 马鞍山市公安局 about the citizen that the clerk's queries name
  for (const ref of [QUERY.applicationRef, 'BJ-REPLAY-1', 'BJ-KILL-1', 'BJ-KILL-2']) await openCase(p, { ref });
  const data = tmpDir();
  fs.writeFileSync(path.join(data, 'tax.json'), JSON.stringify({ asOf: '2026-01-01T00:00:00.000Z', taxpayers: [], payments: [] }));
  fs.writeFileSync(path.join(data, 'education.json'), JSON.stringify({ asOf: '2026-01-01T00:00:00.000Z', students: [{ id_number: CITIZEN_ID, degree: '本科', school: '安徽工业大学', major: '计算机科学与技术', grad_year: 2012, diploma_no: '1036012012000456' }] }));
  backend = await startLegacyBackend({ dir: data });
  // the directory: node-mas-mz also offers education-record to 公安 (to stall the node mid-query)
  const admin = await p.as('dataadmin');
  const put = await p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-mas-mz/items/education-record', headers: admin, payload: { definition: STANDARD_ITEMS.education, proofItemIds: ['ZM-MAS-XLZM'] } });
  expect(put.statusCode).toBe(200);
  const grants = await p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-mas-mz/items/education-record/grants', headers: admin, payload: { grants: [{ consumerDepartmentId: 'mas-ga', purposes: ['application_review'] }] } });
  expect(grants.statusCode).toBe(200);
  setup = await writeMarriageNode(p, { backendUrl: backend.url });
  node = await spawnNode(setup);
  await register(p, node);
  consumerKeyId = (await p.app.deps.keys.ensureKey('mas-ga', 'SM2-SM3')).keyId;
}, 90_000);

afterAll(async () => {
  await node?.stop();
  await backend?.close();
  await p?.close();
});

describe('a provider node in its own process', () => {
  it('answers the platform over loopback; both sides log the same exchange', async () => {
    const out = await query(QUERY);
    expect(out).toMatchObject({ outcome: 'answered', answer: { married: false } });
    const row = await p.database.db.selectFrom('exchange_log').selectAll().where('id', '=', out.exchangeId).executeTakeFirstOrThrow();
    expect(trailOf(setup).find((t) => t.requestSm3 === row.request_digest)).toMatchObject({ outcome: 'answered', consumer: 'mas-ga' });
    expect(node.child!.pid).not.toBe(process.pid);
  });

  const rejections: Array<[string, () => Promise<{ status: number; json: { error?: { reason: string; field?: string } } }>, number, string, string]> = [
    ['unsigned', () => raw({}, { headers: { [H.signature]: undefined } }), 401, 'unsigned', H.signature],
    ['badly signed (signature of another request)', async () => {
      const other = prepareRequest({ node: 'node-mas-mz', itemCode: 'marriage-status', params: { idNumber: CITIZEN_ID }, consumer: 'mas-ga', keyId: consumerKeyId, suite: 'SM2-SM3', purpose: 'application_review', applicationRef: 'X', legalBasis: 'Y' });
      const { signature } = await p.app.deps.keys.sign('mas-ga', 'SM2-SM3', new TextEncoder().encode(other.canonical));
      return raw({}, { headers: { [H.signature]: Buffer.from(signature).toString('base64') } });
    }, 401, 'bad_signature', H.signature],
    // signed for another node offering the same item (captured on its way there): not replayable here
    ['addressed to another node', () => raw({ node: 'node-tl-mz' }), 403, 'wrong_node', H.node],
    // a request that names no node could be replayed to any node: refused by default (acceptUnboundRequests)
    ['naming no node', () => raw({}, { unbound: true }), 403, 'wrong_node', H.node],
    ['stale', () => raw({ timestamp: new Date(Date.now() - 5 * 60_000 - 5_000).toISOString() }), 401, 'stale', H.timestamp],
    ['unknown consumer', () => raw({ consumer: 'mas-sw' }), 403, 'unknown_consumer', H.consumer],
    ['purpose not allowed', () => raw({ purpose: 'post_check', itemCode: 'education-record' }), 403, 'purpose_not_allowed', H.purpose],
    ['item not offered', () => raw({ itemCode: 'vehicle-registration' }), 404, 'item_not_offered', 'item'],
    ['malformed parameters (invalid identity number)', () => raw({ params: { idNumber: '340503199003070028' } }), 422, 'invalid_params', 'params.idNumber'],
    ['widened query (undeclared parameter)', () => raw({ params: { idNumber: CITIZEN_ID, fields: 'all' } }), 422, 'invalid_params', 'params.fields'],
  ];
  it.each(rejections)('rejects %s with its precise reason, and logs it', async (_label, run, status, reason, field) => {
    const before = trailOf(setup).length;
    const r = await run();
    expect(r.status).toBe(status);
    expect(r.json.error).toMatchObject({ reason, field });
    const trail = trailOf(setup);
    expect(trail.length).toBe(before + 1);
    expect(trail.at(-1)).toMatchObject({ reason, status, outcome: 'rejected' });
  });

  it('rejects a replayed request: a real platform request, recorded on the wire and sent again', async () => {
    // a recording proxy between platform and node
    let recorded: { url: string; headers: http.IncomingHttpHeaders; body: Buffer } | undefined;
    const target = new URL(node.url);
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        recorded = { url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
        const fwd = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode!, up.headers);
          up.pipe(res);
        });
        fwd.end(recorded.body);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    try {
      await register(p, { ...node, url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
      expect((await query({ ...QUERY, applicationRef: 'BJ-REPLAY-1' })).outcome).toBe('answered');
      expect(recorded).toBeDefined();
      const replay = await fetch(node.url + recorded!.url, { method: 'POST', headers: Object.fromEntries(Object.entries(recorded!.headers).filter(([k]) => k.startsWith('x-mz-') || k === 'content-type')) as Record<string, string>, body: recorded!.body });
      expect(replay.status).toBe(401);
      expect(((await replay.json()) as { error: { reason: string } }).error.reason).toBe('replayed');
      expect(trailOf(setup).at(-1)).toMatchObject({ reason: 'replayed', application: 'BJ-REPLAY-1' });
    } finally {
      proxy.close();
      await register(p, node);
    }
  });

  it('a node killed in the middle of a query: unavailable within the deadline, no hang, logged; a restarted node answers again', async () => {
    backend.setDelay(300);
    backend.onRequest(() => node.kill!()); // the node is killed while it waits for its backend
    try {
      const started = Date.now();
      const out = await query({ ...QUERY, itemCode: 'education-record', applicationRef: 'BJ-KILL-1' });
      const took = Date.now() - started;
      expect(out).toMatchObject({ outcome: 'unavailable', reason: 'connection_failed', attempts: 3 });
      expect(took).toBeLessThan(8_000); // 3 attempts × 2 s timeout + backoff bounds it; refused connections return at once
      const row = await p.database.db.selectFrom('exchange_log').selectAll().where('id', '=', out.exchangeId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ outcome: 'unavailable', reason: 'connection_failed', sent: true, attempts: 3 });
      expect((row.attempt_log as Array<{ result: string }>).map((a) => a.result)).toEqual(['connection_failed', 'connection_failed', 'connection_failed']);
      // the citizen sees that their identity number was sent to 民政, unanswered
      const log = await p.app.inject({ method: 'GET', url: '/api/v1/me/access-log', headers: await p.as('citizen') });
      expect(log.json().items.find((i: { applicationRef: string }) => i.applicationRef === 'BJ-KILL-1')).toMatchObject({ outcome: 'unavailable', dataItemLabel: '学历信息' });
      if (node.child!.exitCode === null && node.child!.signalCode === null) await new Promise((r) => node.child!.once('exit', r));
      expect(node.child!.signalCode).toBe('SIGKILL');
    } finally {
      backend.onRequest(undefined);
      backend.setDelay(0);
    }
    // the killed node never answered, so its trail has no answer for that request — and stays intact
    const { scanTrail } = await import('@mianzheng/provider');
    expect((await scanTrail(path.join(setup.dir, 'trail.jsonl'))).ok).toBe(true);
    node = await spawnNode(setup);
    await register(p, node);
    expect(await query({ ...QUERY, itemCode: 'education-record', applicationRef: 'BJ-KILL-2' })).toMatchObject({ outcome: 'answered', answer: { level: '本科' } });
  });
});

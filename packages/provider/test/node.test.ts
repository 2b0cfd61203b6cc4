import fs from 'node:fs';
import { createHmac } from 'node:crypto';
import { canonicalize } from '@mianzheng/crypto';
import { sm3Hex } from '../src/protocol/messages.ts';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readBoundedBody, startProviderNode, type ProviderNode } from '../src/node/server.ts';
import { scanTrail, scanTrailSet, Trail, trailArchives, type TrailEntry, type TrailRecord } from '../src/node/trail.ts';
import { checkResponse } from '../src/protocol/client.ts';
import { H } from '../src/protocol/canonical.ts';
import { marriageNodeConfig, MARRIED, newConsumer, sendQuery, SINGLE, tmpDir, UNKNOWN_PERSON, type TestConsumer } from './support.ts';

let dir: string;
let node: ProviderNode;
let consumer: TestConsumer;
let other: TestConsumer;

function trailEntries(): TrailEntry[] {
  return fs.readFileSync(path.join(dir, 'trail.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrailEntry);
}

function lastEntry(): TrailEntry {
  return trailEntries().at(-1)!;
}

beforeAll(async () => {
  dir = tmpDir();
  consumer = newConsumer('mas-ga', 'Ed25519');
  other = newConsumer('mas-wj', 'SM2-SM3');
  node = await startProviderNode(marriageNodeConfig(dir, [consumer, other]));
});
afterAll(async () => {
  await node?.close();
});

const keys = () => [{ keyId: node.key.keyId, suite: node.key.suite, publicKey: node.key.publicKey }];

describe('a provider node answers a signed, allowed query', () => {
  it('answers the question only (married: yes/no) with the as-of time, signed by the node', async () => {
    const r = await sendQuery(node.url, consumer, { params: { idNumber: MARRIED } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ item: 'marriage-status', outcome: 'answered', answer: { married: true }, asOf: '2025-12-01T08:00:00.000Z' });
    expect(Object.keys(r.json.answer)).toEqual(['married']); // nothing of the record (name, dates) leaks
    const check = checkResponse({ status: r.status, headers: r.headers, body: r.text }, { nodeId: 'node-test-mz', requestSm3: r.requestSm3, keys: keys(), nowMs: Date.now() });
    expect(check).toMatchObject({ ok: true, keyId: node.key.keyId });
    const e = lastEntry();
    expect(e).toMatchObject({ consumer: 'mas-ga', item: 'marriage-status', outcome: 'answered', status: 200, authenticated: true, purpose: 'application_review', application: 'BJ-2026-000001', legalBasis: '《婚姻登记条例》第五条' });
    expect(e.requestSm3).toBe(r.requestSm3);
    expect(JSON.stringify(e)).not.toContain(MARRIED); // the trail keeps a digest of the parameters, never the identity number
    // …and a keyed one: a dictionary of identity numbers hashed with plain SM3 finds nothing; the node's parameter key does
    const params = canonicalize({ idNumber: MARRIED });
    expect(e.paramsHmac).toMatch(/^[0-9a-f]{64}$/);
    expect(e.paramsHmac).not.toBe(sm3Hex(params));
    expect(e.paramsHmac).not.toBe(sm3Hex(MARRIED));
    const keyFile = path.join(dir, 'trail-params.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(e.paramsHmac).toBe(createHmac('sm3', Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex')).update(params).digest('hex'));
  });

  it('answers married: false for an unmarried person, and not_found for a person the registry does not know', async () => {
    const single = await sendQuery(node.url, consumer, { params: { idNumber: SINGLE } });
    expect(single.json).toMatchObject({ outcome: 'answered', answer: { married: false } });
    const unknown = await sendQuery(node.url, other, { params: { idNumber: UNKNOWN_PERSON } });
    expect(unknown.status).toBe(200);
    expect(unknown.json.outcome).toBe('not_found');
    expect(unknown.json.answer).toBeUndefined();
  });

  it('a consumer with an SM2-SM3 key is answered too', async () => {
    const r = await sendQuery(node.url, other, {});
    expect(r.status).toBe(200);
  });

  it('the client rejects an answer whose body was changed, or that belongs to another request', async () => {
    const r = await sendQuery(node.url, consumer, {});
    const forged = r.text.replace('"married":true', '"married":false');
    expect(checkResponse({ status: r.status, headers: r.headers, body: forged }, { nodeId: 'node-test-mz', requestSm3: r.requestSm3, keys: keys(), nowMs: Date.now() })).toMatchObject({ ok: false, problem: 'body digest does not match the body' });
    expect(checkResponse({ status: r.status, headers: r.headers, body: r.text }, { nodeId: 'node-test-mz', requestSm3: '1'.repeat(64), keys: keys(), nowMs: Date.now() })).toMatchObject({ ok: false, problem: 'answer is bound to a different request' });
    expect(checkResponse({ status: 403, headers: r.headers, body: r.text }, { nodeId: 'node-test-mz', requestSm3: r.requestSm3, keys: keys(), nowMs: Date.now() })).toMatchObject({ ok: false, problem: 'answer signature does not verify' });
    expect(checkResponse({ status: r.status, headers: r.headers, body: r.text }, { nodeId: 'node-test-mz', requestSm3: r.requestSm3, keys: [{ ...keys()[0]!, keyId: 'other' }], nowMs: Date.now() }).ok).toBe(false);
    expect(checkResponse({ status: r.status, headers: { ...r.headers, [H.signature]: undefined }, body: r.text }, { nodeId: 'node-test-mz', requestSm3: r.requestSm3, keys: keys(), nowMs: Date.now() }).ok).toBe(false);
  });
});

describe('a provider node rejects, with the precise reason, and logs every rejection', () => {
  const cases: Array<[string, () => Promise<Awaited<ReturnType<typeof sendQuery>>>, number, string, string | undefined]> = [
    ['unsigned', () => sendQuery(node.url, consumer, {}, { headers: { [H.signature]: undefined } }), 401, 'unsigned', H.signature],
    ['a malformed header', () => sendQuery(node.url, consumer, {}, { headers: { [H.timestamp]: 'yesterday' } }), 400, 'malformed_request', H.timestamp],
    ['an unknown consumer', () => sendQuery(node.url, newConsumer('mas-xx'), {}), 403, 'unknown_consumer', H.consumer],
    ['an unregistered key of a known consumer', () => sendQuery(node.url, { ...newConsumer('mas-ga'), keyId: 'mas-ga#rogue' }, {}), 401, 'unknown_key', H.keyId],
    ['badly signed (another key)', () => sendQuery(node.url, consumer, {}, { signWith: newConsumer('mas-ga') }), 401, 'bad_signature', H.signature],
    ['a purpose changed after signing', () => sendQuery(node.url, consumer, {}, { headers: { [H.purpose]: 'post_check' } }), 401, 'bad_signature', H.signature],
    ['a body changed after signing', () => sendQuery(node.url, consumer, {}, { body: JSON.stringify({ params: { idNumber: SINGLE } }) }), 401, 'digest_mismatch', H.contentSm3],
    ['stale (6 minutes old)', () => sendQuery(node.url, consumer, { timestamp: new Date(Date.now() - 6 * 60_000).toISOString() }), 401, 'stale', H.timestamp],
    ['from the future (6 minutes ahead)', () => sendQuery(node.url, consumer, { timestamp: new Date(Date.now() + 6 * 60_000).toISOString() }), 401, 'stale', H.timestamp],
    ['an item the node does not offer', () => sendQuery(node.url, consumer, { itemCode: 'criminal-record' }), 404, 'item_not_offered', 'item'],
    ['a purpose not allowed', () => sendQuery(node.url, consumer, { purpose: 'post_check' }), 403, 'purpose_not_allowed', H.purpose],
    ['an invalid identity number (check character)', () => sendQuery(node.url, consumer, { params: { idNumber: `${MARRIED.slice(0, 17)}${MARRIED[17] === '1' ? '2' : '1'}` } }), 422, 'invalid_params', 'params.idNumber'],
    ['a parameter the item does not define (widening the query)', () => sendQuery(node.url, consumer, { params: { idNumber: MARRIED, includeHistory: true } }), 422, 'invalid_params', 'params.includeHistory'],
    ['a missing parameter', () => sendQuery(node.url, consumer, { params: {} }), 422, 'invalid_params', 'params.idNumber'],
    ['a signed body with more than params', () => sendQuery(node.url, consumer, {}, { signedBody: JSON.stringify({ params: { idNumber: MARRIED }, fields: ['*'] }) }), 400, 'malformed_request', 'body'],
    ['a signed body that is not JSON', () => sendQuery(node.url, consumer, {}, { signedBody: 'idNumber=1' }), 400, 'malformed_request', 'body'],
    ['a signed query with a number where the identity number belongs', () => sendQuery(node.url, consumer, { params: { idNumber: 340503198001010011 } }), 422, 'invalid_params', 'params.idNumber'],
  ];
  it.each(cases)('%s', async (_label, run, status, reason, field) => {
    const before = trailEntries().length;
    const r = await run();
    expect(r.status).toBe(status);
    expect(r.json.error).toMatchObject({ reason, code: `EXCHANGE.${reason.toUpperCase()}` });
    if (field) expect(r.json.error.field).toBe(field);
    expect(r.json.answer).toBeUndefined();
    // the rejection is signed by the node, so the consumer can trust the reason
    expect(r.headers[H.signature]).toBeTruthy();
    const entries = trailEntries();
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)).toMatchObject({ status, outcome: 'rejected', reason });
  });

  it('a replayed request (same nonce) is rejected, even with a fresh signature', async () => {
    const first = await sendQuery(node.url, consumer, { nonce: 'replay-nonce-0123456789' });
    expect(first.status).toBe(200);
    const again = await sendQuery(node.url, consumer, { nonce: 'replay-nonce-0123456789' });
    expect(again.status).toBe(401);
    expect(again.json.error.reason).toBe('replayed');
    expect(lastEntry()).toMatchObject({ reason: 'replayed', nonce: 'replay-nonce-0123456789' });
    // the same nonce from another consumer is its own
    expect((await sendQuery(node.url, other, { nonce: 'replay-nonce-0123456789' })).status).toBe(200);
  });

  it('a request signed for another node (captured on its way there) is refused here, and one naming no node too', async () => {
    const elsewhere = await sendQuery(node.url, consumer, { node: 'node-other-mz', nonce: 'nonce-for-another-node-01' });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json.error).toMatchObject({ reason: 'wrong_node', field: H.node });
    expect(lastEntry()).toMatchObject({ reason: 'wrong_node', outcome: 'rejected' });
    // the header cannot be changed to this node's id: it is signed
    const rewritten = await sendQuery(node.url, consumer, { node: 'node-other-mz', nonce: 'nonce-for-another-node-02' }, { headers: { [H.node]: 'node-test-mz' } });
    expect(rewritten.json.error.reason).toBe('bad_signature');
    // nor dropped: a request naming no node could go to any node offering the item
    const unbound = await sendQuery(node.url, consumer, { nonce: 'nonce-naming-no-node-0001' }, { unbound: true });
    expect(unbound.status).toBe(403);
    expect(unbound.json.error.reason).toBe('wrong_node');
    const stripped = await sendQuery(node.url, consumer, { nonce: 'nonce-naming-no-node-0002' }, { headers: { [H.node]: undefined } });
    expect(stripped.json.error.reason).toBe('wrong_node');
  });

  it('a node set to take unbound requests (during an upgrade) answers one that names no node', async () => {
    const d = tmpDir();
    const lenient = await startProviderNode(marriageNodeConfig(d, [consumer], { acceptUnboundRequests: true }));
    try {
      expect((await sendQuery(lenient.url, consumer, {}, { unbound: true })).status).toBe(200);
      expect((await sendQuery(lenient.url, consumer, { node: 'node-other-mz' })).json.error.reason).toBe('wrong_node');
    } finally {
      await lenient.close();
    }
    expect(() => marriageNodeConfig(tmpDir(), [consumer], { acceptUnboundRequests: 'yes' })).toThrow(/acceptUnboundRequests/);
  });

  it('a request whose signature does not verify does not burn its nonce', async () => {
    const bad = await sendQuery(node.url, consumer, { nonce: 'nonce-bad-sig-000000001' }, { signWith: newConsumer('mas-ga') });
    expect(bad.json.error.reason).toBe('bad_signature');
    expect((await sendQuery(node.url, consumer, { nonce: 'nonce-bad-sig-000000001' })).status).toBe(200);
  });

  it('an item allowed to nobody for this consumer gives item_not_allowed', async () => {
    const d = tmpDir();
    const c = newConsumer('mas-rs');
    const cfg = marriageNodeConfig(d, [c]);
    cfg.consumers[0]!.allow = [];
    const n = await startProviderNode(cfg);
    try {
      const r = await sendQuery(n.url, c, {});
      expect(r.status).toBe(403);
      expect(r.json.error.reason).toBe('item_not_allowed');
    } finally {
      await n.close();
    }
  });

  it('keeps a trail whose hash chain verifies, and detects an edited entry', async () => {
    const ok = await scanTrail(path.join(dir, 'trail.jsonl'));
    expect(ok.ok).toBe(true);
    expect(ok.entries).toBe(trailEntries().length);
    const copy = path.join(dir, 'trail-edited.jsonl');
    fs.writeFileSync(copy, fs.readFileSync(path.join(dir, 'trail.jsonl'), 'utf8').replace('"outcome":"answered"', '"outcome":"rejected"'));
    const broken = await scanTrail(copy);
    expect(broken.ok).toBe(false);
    expect(broken.problem).toMatch(/hash/);
  });

  it('health and meta are readable without signature; meta lists keys and item definitions, not sources', async () => {
    const health = (await (await fetch(`${node.url}/v1/health`)).json()) as any;
    expect(health).toMatchObject({ status: 'ok', node: 'node-test-mz' });
    expect(health.rejected.bad_signature).toBeGreaterThan(0);
    const meta = (await (await fetch(`${node.url}/v1/meta`)).json()) as any;
    expect(meta.keys[0]).toMatchObject({ keyId: node.key.keyId, publicKey: node.key.publicKey });
    expect(meta.items[0].code).toBe('marriage-status');
    expect(JSON.stringify(meta)).not.toContain('marriage.csv');
    expect((await fetch(`${node.url}/v1/anything`)).status).toBe(404);
  });
});

describe('a body larger than maxBodyBytes', () => {
  /** Raw HTTP: the request's head, then whatever the node answers before it closes the connection. */
  async function raw(head: string, body = ''): Promise<{ text: string; closed: boolean; ms: number }> {
    const net = await import('node:net');
    const u = new URL(node.url);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(u.port), u.hostname, () => socket.write(head + body));
      let text = '';
      const timer = setTimeout(() => { socket.destroy(); resolve({ text, closed: false, ms: performance.now() - started }); }, 3000);
      socket.on('data', (d) => { text += d.toString(); });
      socket.on('close', () => { clearTimeout(timer); resolve({ text, closed: true, ms: performance.now() - started }); });
      socket.on('error', reject);
    });
  }

  it('declared too large: refused at once, connection closed, nothing read', async () => {
    const r = await raw(`POST /v1/items/marriage-status/query HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${100 * 1024 * 1024}\r\n\r\n`, '{');
    expect(r.text).toMatch(/^HTTP\/1\.1 400/);
    expect(r.text.toLowerCase()).toContain('connection: close');
    expect(r.text).toContain('malformed_request');
    expect(r.closed).toBe(true);
  });

  it('refuses once, however much more arrives after the answer went out (was: setHeader after the headers were sent, an uncaught exception)', async () => {
    const { EventEmitter } = await import('node:events');
    const req = Object.assign(new EventEmitter(), { headers: {} });
    const headers: string[] = [];
    const res = {
      headersSent: false,
      setHeader(name: string) {
        if (this.headersSent) throw Object.assign(new Error('Cannot set headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
        headers.push(name);
        return this;
      },
    };
    const body = readBoundedBody(req as never, res as never, 10);
    req.emit('data', Buffer.alloc(8));
    req.emit('data', Buffer.alloc(8)); // over the limit: refused
    await expect(body).rejects.toMatchObject({ reason: 'malformed_request', field: 'body' });
    res.headersSent = true; // the answer is out; the sender goes on
    expect(() => { req.emit('data', Buffer.alloc(8)); req.emit('data', Buffer.alloc(8)); req.emit('end'); }).not.toThrow();
    expect(headers).toEqual(['connection']);
  });

  it('too large as it arrives (chunked): refused, connection closed', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const body = Array.from({ length: 40 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const r = await raw('POST /v1/items/marriage-status/query HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n', body);
    expect(r.text).toMatch(/^HTTP\/1\.1 400/);
    expect(r.closed).toBe(true);
  });
});

describe('a full nonce store (maxNonces)', () => {
  it('refuses new requests as busy (503, signed, in the trail, logged once), never answers a request whose nonce it could not record, and recovers by itself', async () => {
    const d = tmpDir();
    const c = newConsumer('mas-ga');
    let clock = Date.now();
    const logs: string[] = [];
    const n = await startProviderNode(marriageNodeConfig(d, [c], { freshnessSeconds: 10, maxNonces: 2 }), { now: () => new Date(clock), log: (l) => logs.push(l) });
    const at = () => new Date(clock).toISOString();
    const entries = () => fs.readFileSync(path.join(d, 'trail.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrailEntry);
    try {
      expect(n.stats()).toMatchObject({ nonces: 0, maxNonces: 2 });
      for (const nonce of ['full-store-nonce-0001', 'full-store-nonce-0002']) expect((await sendQuery(n.url, c, { nonce, timestamp: at() })).status).toBe(200);
      const refused = await sendQuery(n.url, c, { nonce: 'full-store-nonce-0003', timestamp: at() });
      expect(refused.status).toBe(503);
      expect(refused.json.error).toMatchObject({ reason: 'busy', code: 'EXCHANGE.BUSY' });
      expect(refused.json.answer).toBeUndefined();
      expect(checkResponse({ status: refused.status, headers: refused.headers, body: refused.text }, { nodeId: 'node-test-mz', requestSm3: refused.requestSm3, keys: [{ keyId: n.key.keyId, suite: n.key.suite, publicKey: n.key.publicKey }], nowMs: clock }).ok).toBe(true);
      expect(entries().at(-1)).toMatchObject({ status: 503, reason: 'busy', nonce: 'full-store-nonce-0003', authenticated: true });
      expect((await sendQuery(n.url, c, { nonce: 'full-store-nonce-0004', timestamp: at() })).json.error.reason).toBe('busy');
      // a replay is still told apart from a new request
      expect((await sendQuery(n.url, c, { nonce: 'full-store-nonce-0001', timestamp: at() })).json.error.reason).toBe('replayed');
      expect(logs.filter((l) => /nonce store full/.test(l))).toHaveLength(1); // once, not per refusal
      expect(n.stats()).toMatchObject({ nonces: 2, maxNonces: 2, rejected: { busy: 2, replayed: 1 } });

      clock += 11_000; // the first two leave the 10-second window
      const again = await sendQuery(n.url, c, { nonce: 'full-store-nonce-0003', timestamp: at() }); // refused before, so never recorded
      expect(again.status).toBe(200);
      expect(again.json.answer).toEqual({ married: true });
      expect(logs.filter((l) => /takes nonces again.*refusing 2 request/.test(l))).toHaveLength(1);
      expect((await sendQuery(n.url, c, { nonce: 'full-store-nonce-0003', timestamp: at() })).json.error.reason).toBe('replayed');
      const health = (await (await fetch(`${n.url}/v1/health`)).json()) as { nonces: number; maxNonces: number };
      expect(health).toMatchObject({ nonces: 1, maxNonces: 2 });
    } finally {
      await n.close();
    }
  });

  it('after a restart with a smaller maxNonces, keeps every recent nonce of its trail (replays stay refused) and is busy until they age out', async () => {
    const d = tmpDir();
    const c = newConsumer('mas-ga');
    const nonces = [1, 2, 3].map((i) => `restart-cap-nonce-000${i}`);
    const first = await startProviderNode(marriageNodeConfig(d, [c]));
    for (const nonce of nonces) expect((await sendQuery(first.url, c, { nonce })).status).toBe(200);
    await first.close();
    const second = await startProviderNode(marriageNodeConfig(d, [c], { maxNonces: 2 }));
    try {
      expect(second.stats().nonces).toBe(3);
      for (const nonce of nonces) expect((await sendQuery(second.url, c, { nonce })).json.error?.reason, nonce).toBe('replayed');
      expect((await sendQuery(second.url, c, {})).json.error?.reason).toBe('busy');
    } finally {
      await second.close();
    }
  });
});

describe('restart', () => {
  it('remembers nonces across a restart (from its trail), keeps its key and continues the chain', async () => {
    const d = tmpDir();
    const c = newConsumer('mas-ga');
    const first = await startProviderNode(marriageNodeConfig(d, [c]));
    expect(first.keyCreated).toBe(true);
    expect((await sendQuery(first.url, c, { nonce: 'restart-nonce-00000001' })).status).toBe(200);
    await first.close();
    const second = await startProviderNode(marriageNodeConfig(d, [c]));
    try {
      expect(second.keyCreated).toBe(false);
      expect(second.key.keyId).toBe(first.key.keyId);
      const replay = await sendQuery(second.url, c, { nonce: 'restart-nonce-00000001' });
      expect(replay.json.error.reason).toBe('replayed');
      expect((await scanTrail(path.join(d, 'trail.jsonl'))).entries).toBe(2);
    } finally {
      await second.close();
    }
  });

  it('rotates the trail by size: archives and the current file are one chain; a restart continues it and still knows recent nonces', async () => {
    const d = tmpDir();
    const c = newConsumer('mas-ga');
    const cfg = () => marriageNodeConfig(d, [c], { trail: { file: './trail.jsonl', fsync: false, rotateBytes: 2500 } });
    const n = await startProviderNode(cfg());
    for (let i = 0; i < 6; i++) expect((await sendQuery(n.url, c, { nonce: `rotation-nonce-${String(i).padStart(8, '0')}` })).status).toBe(200);
    await n.close();
    const file = path.join(d, 'trail.jsonl');
    const archives = trailArchives(file);
    expect(archives.length).toBeGreaterThanOrEqual(1);
    expect(archives[0]!.from).toBe(1);
    archives.slice(1).forEach((a, i) => expect(a.from).toBe(archives[i]!.to + 1)); // adjacent ranges
    const whole = await scanTrailSet(file);
    expect(whole).toMatchObject({ ok: true, entries: 6, lastSeq: 6, files: archives.length + 1 });
    // the current file alone does not start at the genesis: it continues the newest archive
    expect((await scanTrail(file)).ok).toBe(fs.statSync(file).size === 0);

    const again = await startProviderNode(cfg());
    try {
      expect(again.trail.lastSeq).toBe(6);
      // a nonce written before the rotation (now in an archive) is still refused
      expect((await sendQuery(again.url, c, { nonce: 'rotation-nonce-00000000' })).json.error.reason).toBe('replayed');
      expect((await sendQuery(again.url, c, {})).status).toBe(200);
    } finally {
      await again.close();
    }
    expect(await scanTrailSet(file)).toMatchObject({ ok: true, entries: 8 });
    // an edited archive breaks the whole chain, named by file
    const first = archives[0]!.file;
    fs.writeFileSync(first, fs.readFileSync(first, 'utf8').replace('"status":200', '"status":201'));
    const broken = await scanTrailSet(file);
    expect(broken.ok).toBe(false);
    expect(broken.problem).toContain(path.basename(first));
    // a missing archive in the middle breaks it too
    fs.writeFileSync(first, fs.readFileSync(first, 'utf8').replace('"status":201', '"status":200'));
    if (archives.length >= 2) {
      fs.rmSync(archives[1]!.file);
      expect((await scanTrailSet(file)).ok).toBe(false);
    }
  });

  it('after a restart still refuses the nonces of every archive rotated within the freshness window, not only the newest', async () => {
    const d = tmpDir();
    const c = newConsumer('mas-ga');
    const cfg = () => marriageNodeConfig(d, [c], { trail: { file: './trail.jsonl', fsync: false, rotateBytes: 1 } }); // every entry rotates: busy node, small file
    const n = await startProviderNode(cfg());
    const nonces = [0, 1, 2].map((i) => `many-rotations-${String(i).padStart(8, '0')}`);
    for (const nonce of nonces) expect((await sendQuery(n.url, c, { nonce })).status).toBe(200);
    await n.close();
    expect(trailArchives(path.join(d, 'trail.jsonl'))).toHaveLength(3);
    const again = await startProviderNode(cfg());
    try {
      for (const nonce of nonces) expect((await sendQuery(again.url, c, { nonce })).json.error?.reason, nonce).toBe('replayed');
    } finally {
      await again.close();
    }
  });

  it('a failed write or fdatasync leaves no entry behind: the chain continues, verifies and reopens', async () => {
    const d = tmpDir();
    const file = path.join(d, 'trail.jsonl');
    const { trail } = await Trail.open(file, { fsync: true, recentMs: 0, nowMs: Date.now() });
    const record: TrailRecord = {
      at: new Date().toISOString(), consumer: 'mas-ga', keyId: 'k', item: 'marriage-status', purpose: 'application_review', application: 'A', legalBasis: 'L',
      nonce: null, requestTimestamp: null, authenticated: false, requestSm3: null, paramsHmac: null, status: 200, outcome: 'answered', reason: null, field: null,
      responseSm3: '0'.repeat(64), asOf: null, durationMs: 1,
    };
    await trail.append(record);
    const probe = await fs.promises.open(file, 'r');
    const FileHandle = Object.getPrototypeOf(probe) as { appendFile: (data: string) => Promise<void>; datasync: () => Promise<void> };
    await probe.close();
    const realAppend = FileHandle.appendFile;
    const append = vi.spyOn(FileHandle, 'appendFile').mockImplementationOnce(async function (this: unknown, data: string) {
      await realAppend.call(this, data.slice(0, 20)); // the disk fills up in the middle of the line
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    });
    const sync = vi.spyOn(FileHandle, 'datasync');
    try {
      await expect(trail.append(record)).rejects.toThrow(/no space/);
      sync.mockRejectedValueOnce(Object.assign(new Error('i/o error'), { code: 'EIO' })); // written, but not known to be on disk
      await expect(trail.append(record)).rejects.toThrow(/i\/o error/);
    } finally {
      append.mockRestore();
      sync.mockRestore();
    }
    await trail.append(record);
    await trail.close();
    expect(await scanTrail(file)).toMatchObject({ ok: true, entries: 2, lastSeq: 2 });
    const again = await Trail.open(file, { fsync: true, recentMs: 0, nowMs: Date.now() });
    expect(again.trail.lastSeq).toBe(2);
    await again.trail.close();
  });

  it('refuses to start with a signing key or parameter key file that others may read', async () => {
    const d = tmpDir();
    const c = newConsumer('mas-ga');
    await (await startProviderNode(marriageNodeConfig(d, [c]))).close();
    fs.chmodSync(path.join(d, 'node-key.json'), 0o644);
    await expect(startProviderNode(marriageNodeConfig(d, [c]))).rejects.toThrow(/node-key\.json.*chmod 600/s);
    fs.chmodSync(path.join(d, 'node-key.json'), 0o600);
    fs.chmodSync(path.join(d, 'trail-params.key'), 0o640);
    await expect(startProviderNode(marriageNodeConfig(d, [c]))).rejects.toThrow(/trail-params\.key.*chmod 600/s);
    fs.chmodSync(path.join(d, 'trail-params.key'), 0o600);
    await (await startProviderNode(marriageNodeConfig(d, [c]))).close();
  });

  it('a new signing key keeps the parameter key: entries about the same person still match after a key rotation', async () => {
    const d = tmpDir();
    const c = newConsumer('mas-ga');
    const first = await startProviderNode(marriageNodeConfig(d, [c]));
    await sendQuery(first.url, c, { params: { idNumber: MARRIED } });
    await first.close();
    fs.renameSync(path.join(d, 'node-key.json'), path.join(d, 'node-key.old.json')); // the department rotates its node key
    const second = await startProviderNode(marriageNodeConfig(d, [c]));
    try {
      expect(second.keyCreated).toBe(true);
      await sendQuery(second.url, c, { params: { idNumber: MARRIED } });
      await sendQuery(second.url, c, { params: { idNumber: SINGLE } });
    } finally {
      await second.close();
    }
    const entries = fs.readFileSync(path.join(d, 'trail.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrailEntry);
    expect(entries.map((e) => e.paramsHmac)).toEqual([entries[0]!.paramsHmac, entries[0]!.paramsHmac, expect.not.stringMatching(entries[0]!.paramsHmac!)]);
  });

  it('refuses to start on a trail whose chain is broken, and drops a torn last line', async () => {
    const d = tmpDir();
    const c = newConsumer('mas-ga');
    const n = await startProviderNode(marriageNodeConfig(d, [c]));
    await sendQuery(n.url, c, {});
    await sendQuery(n.url, c, {});
    await n.close();
    const file = path.join(d, 'trail.jsonl');
    fs.appendFileSync(file, '{"seq":3,"at":"2026-'); // crash in the middle of a write
    const again = await startProviderNode(marriageNodeConfig(d, [c]));
    expect(again.trail.lastSeq).toBe(2);
    await again.close();
    expect((await scanTrail(file)).ok).toBe(true);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"status":200', '"status":201'));
    await expect(startProviderNode(marriageNodeConfig(d, [c]))).rejects.toThrow(/broken/);
  });
});

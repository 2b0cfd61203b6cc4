import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProviderNode, type ProviderNode } from '../src/node/server.ts';
import { scanTrail } from '../src/node/trail.ts';
import { H } from '../src/protocol/canonical.ts';
import { checkResponse } from '../src/protocol/client.ts';
import { marriageNodeConfig, MARRIED, newConsumer, sendQuery, SINGLE, tmpDir, type TestConsumer } from './support.ts';

/**
 * Properly signed queries whose contents are random — parameters of every JSON type, NUL
 * characters, non-BMP and over-long strings, nested objects, bodies that are not objects,
 * item codes, purposes and application references at their limits — and signed headers
 * with odd values. A node must answer each with a signed answer (an answer, not_found or a
 * rejection with its reason), never a 5xx; every one is in its trail, whose chain still verifies.
 */
let dir: string;
let node: ProviderNode;
let consumer: TestConsumer;

beforeAll(async () => {
  dir = tmpDir('mz-provider-fuzz-');
  consumer = newConsumer('mas-ga', 'Ed25519');
  node = await startProviderNode(marriageNodeConfig(dir, [consumer]));
});
afterAll(async () => {
  await node?.close();
});

describe('a provider node never fails on signed input it did not expect', () => {
  it('answers 200 / 404 / 4xx with a reason, signed, to 300 random signed queries; the trail holds them all', async () => {
    let seed = 4242;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const strings = ['', MARRIED, SINGLE, MARRIED.toLowerCase(), `${MARRIED}\u0000`, '\u0000', '𠀀'.repeat(40), 'x'.repeat(5000), '已婚', "' or 1=1 --", '1e300', '-1'];
    const value = (depth: number): unknown => {
      const k = rnd();
      if (depth > 3 || k < 0.45) return pick(strings);
      if (k < 0.6) return pick([0, -1, 1.5, 2 ** 53, 1e300, 340503198001010011]);
      if (k < 0.7) return pick([true, false, null]);
      if (k < 0.85) return Array.from({ length: pick([0, 1, 3]) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: pick([0, 1, 2]) }, () => [pick(['idNumber', 'months', '__proto__', 'constructor', 'a\u0000b', '']), value(depth + 1)]));
    };
    const statuses = new Map<number, number>();
    const before = (await scanTrail(path.join(dir, 'trail.jsonl'))).entries;
    let sent = 0;
    for (let i = 0; i < 300; i++) {
      const mode = rnd();
      let r;
      if (mode < 0.5) {
        // params of any shape
        const params = Object.fromEntries(Array.from({ length: pick([0, 1, 2, 3]) }, () => [pick(['idNumber', 'idNumber', 'months', 'x', '__proto__']), value(0)]));
        r = await sendQuery(node.url, consumer, { params });
      } else if (mode < 0.75) {
        // a body that is not {"params": {...}}, properly signed
        const body = pick([JSON.stringify(value(0)), '[]', 'null', '"params"', '{"params":null}', '{"params":[]}', `{"params":{"idNumber":"${MARRIED}"},"params":{}}`, '{'.repeat(200), '']);
        r = await sendQuery(node.url, consumer, {}, { signedBody: body });
      } else {
        // signed header fields at and beyond their limits
        r = await sendQuery(node.url, consumer, {
          itemCode: pick(['marriage-status', 'marriage-status', 'MARRIAGE-STATUS', 'a', 'x'.repeat(100), 'marriage-status/../meta']),
          purpose: pick(['application_review', 'application_review', 'post_check', '', 'x'.repeat(200)]),
          applicationRef: pick(['BJ-1', '中文办件编号', 'x'.repeat(2000), ' ', '\u0000']),
          legalBasis: pick(['《婚姻登记条例》第五条', '', 'x'.repeat(4000), '\r\n']),
          params: { idNumber: pick([MARRIED, SINGLE]) },
        });
      }
      sent++;
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect(r.status, r.text.slice(0, 300)).toBeLessThan(500);
      if (r.status >= 400) expect(r.json?.error?.reason, r.text.slice(0, 200)).toMatch(/^[a-z_]+$/);
      // a path that is no query path at all (an item code outside [a-z][a-z0-9-]+) is the HTTP
      // server's plain 404; every query answer, including each rejection, carries the node's signature
      if (r.json?.error?.reason === 'not_found') continue;
      expect(r.headers[H.signature], r.text.slice(0, 200)).toBeTruthy();
      if (r.status === 200 || (r.status === 404 && r.json?.outcome === 'not_found')) {
        const check = checkResponse({ status: r.status, headers: r.headers, body: r.text }, { nodeId: 'node-test-mz', requestSm3: r.requestSm3, keys: [{ keyId: node.key.keyId, suite: node.key.suite, publicKey: node.key.publicKey }], nowMs: Date.now() });
        expect(check.ok, JSON.stringify(check)).toBe(true);
      }
    }
    // not everything was refused: the generator reaches answers as well as each kind of rejection
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThan(1);
    const trail = await scanTrail(path.join(dir, 'trail.jsonl'));
    expect(trail.ok).toBe(true);
    // requests refused before their signature is checked (e.g. a header too long to read) are not the node's to log as signed queries; all others are
    expect(trail.entries - before).toBeGreaterThan(sent * 0.5);
  }, 120_000);

  it('answers a signed body nested 100,000 levels deep with a signed 4xx, not a 5xx or a crash', async () => {
    for (const body of [`{"params":{"idNumber":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`, `{"params":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`]) {
      const r = await sendQuery(node.url, consumer, {}, { signedBody: body });
      expect(r.status, r.text.slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.headers[H.signature]).toBeTruthy();
    }
    expect((await sendQuery(node.url, consumer, {})).status).toBe(200); // and the node is still up
  });
});

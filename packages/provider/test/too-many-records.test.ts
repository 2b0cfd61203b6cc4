/**
 * A many-record item whose source returns more than one answer may carry (1,000 records, or an
 * answer body larger than the 1 MiB a consumer reads): the node refuses it with its precise,
 * signed reason `too_many_records` (422) — in its trail, with the count — never an internal
 * error (500) that a consumer retries and counts against the node's availability.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../src/node/config.ts';
import { startProviderNode, type ProviderNode } from '../src/node/server.ts';
import type { TrailEntry } from '../src/node/trail.ts';
import { checkResponse } from '../src/protocol/client.ts';
import { checkAnswer, MAX_RECORDS } from '../src/protocol/items.ts';
import { MAX_ANSWER_BYTES } from '../src/protocol/messages.ts';
import { NODE_REJECTIONS } from '../src/protocol/reasons.ts';
import { STANDARD_ITEMS } from '../src/protocol/standard-items.ts';
import { toCsv } from '../src/sources/csv.ts';
import { id, newConsumer, sendQuery, tmpDir } from './support.ts';

/** 1,001 properties (one more than an answer carries), exactly 1,000, and 200 with very long texts (≈ 1.2 MB of answer) */
const MANY = id('34050319800101001');
const LIMIT = id('34050419950505002');
const BULKY = id('34052119700707003');
const FEW = id('34050219880808004');

const consumer = newConsumer('mas-ga', 'Ed25519');
let dir: string;
let node: ProviderNode;
const logs: string[] = [];

function trail(): TrailEntry[] {
  return fs.readFileSync(path.join(dir, 'trail.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrailEntry);
}

beforeAll(async () => {
  dir = tmpDir();
  const rows: Array<Array<string | number>> = [];
  const property = (owner: string, i: number, text = `马鞍山市花山区湖东路${i}号`) => [owner, `皖(2024)马鞍山市不动产权第${String(i).padStart(7, '0')}号`, text, 89.5, '住宅', '2024-05-01'];
  for (let i = 0; i < MAX_RECORDS + 1; i++) rows.push(property(MANY, i));
  for (let i = 0; i < MAX_RECORDS; i++) rows.push(property(LIMIT, i));
  for (let i = 0; i < 200; i++) rows.push(property(BULKY, i, '马'.repeat(1000)).map((v, k) => (k === 4 ? '商'.repeat(1000) : v)));
  rows.push(property(FEW, 1));
  fs.writeFileSync(path.join(dir, 'bdc.csv'), toCsv(['id_number', 'cert_no', 'location', 'area', 'usage', 'registered_on'], rows));
  node = await startProviderNode(parseNodeConfig({
    node: { id: 'node-test-bdc', name: '测试不动产节点' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './key.json' }, trail: { file: './trail.jsonl', fsync: false },
    sources: { bdc: { type: 'csv', file: './bdc.csv' } },
    items: [{
      ...STANDARD_ITEMS.realEstateOwnership, source: 'bdc', match: { id_number: 'idNumber' }, asOf: 'source',
      fields: { certificateNo: { column: 'cert_no' }, location: { column: 'location' }, area: { column: 'area' }, usage: { column: 'usage' }, registeredOn: { column: 'registered_on' } },
    }],
    consumers: [{ id: consumer.id, name: consumer.id, keys: [{ keyId: consumer.keyId, suite: consumer.suite, publicKey: consumer.publicKey }], allow: [{ item: 'real-estate-ownership', purposes: ['application_review'] }] }],
  }, dir), { log: (line) => logs.push(line) });
});
afterAll(async () => {
  await node?.close();
});

const ask = (idNumber: string) => sendQuery(node.url, consumer, { itemCode: 'real-estate-ownership', params: { idNumber } });
const keys = () => [{ keyId: node.key.keyId, suite: node.key.suite, publicKey: node.key.publicKey }];

describe('an answer larger than one exchange carries', () => {
  it('1,000 records are answered; the 1,001st makes it a signed too_many_records (422), not an internal error', async () => {
    const full = await ask(LIMIT);
    expect(full.status, full.text).toBe(200);
    expect(full.json.answer.records).toHaveLength(MAX_RECORDS);
    expect(checkAnswer(STANDARD_ITEMS.realEstateOwnership, full.json.answer)).toBeUndefined();

    const r = await ask(MANY);
    expect(r.status, r.text).toBe(422);
    expect(r.json.error).toMatchObject({ code: 'EXCHANGE.TOO_MANY_RECORDS', reason: 'too_many_records' });
    expect(r.json.error.message).toContain('1001');
    expect(r.json.answer).toBeUndefined();
    // signed like every answer: the consumer can trust the reason
    expect(checkResponse({ status: r.status, headers: r.headers, body: r.text }, { nodeId: 'node-test-bdc', requestSm3: r.requestSm3, keys: keys(), nowMs: Date.now() }).ok).toBe(true);
    // the node's trail holds the precise reason and the count
    const e = trail().find((t) => t.requestSm3 === r.requestSm3)!;
    expect(e).toMatchObject({ status: 422, outcome: 'rejected', reason: 'too_many_records', authenticated: true });
    expect(e.detail).toBe(`1001 records; at most ${MAX_RECORDS}`);
    expect(node.stats().rejected).toMatchObject({ too_many_records: 1 });
    expect(node.stats().rejected.internal).toBeUndefined();
    expect(logs.some((l) => l.includes('internal error'))).toBe(false);
  });

  it('an answer body larger than a consumer reads (1 MiB) is too_many_records too, naming its size', async () => {
    const r = await ask(BULKY);
    expect(r.status, r.text.slice(0, 300)).toBe(422);
    expect(r.json.error.reason).toBe('too_many_records');
    const e = trail().find((t) => t.requestSm3 === r.requestSm3)!;
    expect(e.reason).toBe('too_many_records');
    expect(e.detail).toMatch(new RegExp(`^200 records of \\d+ bytes; at most ${MAX_ANSWER_BYTES} bytes$`));
    expect(Number(/of (\d+) bytes/.exec(e.detail!)![1])).toBeGreaterThan(MAX_ANSWER_BYTES);
  });

  it('the node keeps answering; a trail entry without a detail has no detail member', async () => {
    const r = await ask(FEW);
    expect(r.json).toMatchObject({ outcome: 'answered', answer: { records: [expect.objectContaining({ location: '马鞍山市花山区湖东路1号' })] } });
    expect(Object.hasOwn(trail().at(-1)!, 'detail')).toBe(false);
  });

  it('the reason is in the protocol\'s closed vocabulary, as a 4xx (a consumer of an earlier release neither retries it nor counts it as a failure of the node)', () => {
    expect(NODE_REJECTIONS.too_many_records[0]).toBe(422);
    expect(checkAnswer({ ...STANDARD_ITEMS.realEstateOwnership }, { records: Array.from({ length: MAX_RECORDS + 1 }, () => ({ certificateNo: null, location: null, area: null, usage: null, registeredOn: null })) }))
      .toBe(`too many records (1001; at most ${MAX_RECORDS})`);
  });
});

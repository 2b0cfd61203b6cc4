import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getSuite, identityNumberCheckChar } from '@mianzheng/crypto';
import { parseNodeConfig, type NodeConfig } from '../src/node/config.ts';
import { prepareRequest, signedHeaders, type QueryToSign } from '../src/protocol/client.ts';
import { canonicalRequest, signText, sm3Hex, type Suite } from '../src/protocol/index.ts';
import { STANDARD_ITEMS } from '../src/protocol/standard-items.ts';
import { toCsv } from '../src/sources/csv.ts';

export function tmpDir(prefix = 'mz-provider-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function id(first17: string): string {
  return first17 + identityNumberCheckChar(first17);
}

/** People of the marriage CSV used by the node tests. */
export const MARRIED = id('34050319800101001');
export const SINGLE = id('34050419950505002');
export const UNKNOWN_PERSON = id('34052119700707003');

export interface TestConsumer { id: string; keyId: string; suite: Suite; privateKey: Uint8Array; publicKey: string }

export function newConsumer(idValue = 'mas-ga', suite: Suite = 'Ed25519'): TestConsumer {
  const pair = getSuite(suite).generateKeyPair();
  return { id: idValue, keyId: `${idValue}#test-${suite}`, suite, privateKey: pair.privateKey, publicKey: Buffer.from(pair.publicKey).toString('hex') };
}

/** A node of 民政 with one CSV source and the marriage-status item; the consumer may ask it for application_review. */
export function marriageNodeConfig(dir: string, consumers: TestConsumer[], overrides: Partial<Record<string, unknown>> = {}): NodeConfig {
  fs.writeFileSync(path.join(dir, 'marriage.csv'), toCsv(['id_number', 'name', 'marital_status', 'updated_at'], [
    [MARRIED, '王伟', '已婚', '2025-12-01T08:00:00.000Z'],
    [SINGLE, '李娜', '未婚', '2026-01-15T08:00:00.000Z'],
  ]));
  return parseNodeConfig({
    node: { id: 'node-test-mz', name: '测试民政节点' },
    listen: { host: '127.0.0.1', port: 0 },
    signing: { suite: 'Ed25519', keyFile: './node-key.json' },
    trail: { file: './trail.jsonl', fsync: false },
    sources: { registry: { type: 'csv', file: './marriage.csv' } },
    items: [{ ...STANDARD_ITEMS.marriageStatus, source: 'registry', match: { id_number: 'idNumber' }, fields: { married: { column: 'marital_status', in: ['已婚'] } }, asOf: { column: 'updated_at' } }],
    consumers: consumers.map((c) => ({ id: c.id, name: c.id, keys: [{ keyId: c.keyId, suite: c.suite, publicKey: c.publicKey }], allow: [{ item: 'marriage-status', purposes: ['application_review'] }] })),
    ...overrides,
  }, dir);
}

export interface SentQuery { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any; requestSm3: string }

const nodeIds = new Map<string, string>();
/** The id of the node at `url` (its health answer), as a consumer knows it from the directory. */
export async function nodeIdAt(url: string): Promise<string> {
  let idValue = nodeIds.get(url);
  if (!idValue) {
    idValue = ((await (await fetch(`${url}/v1/health`)).json()) as { node: string }).node;
    nodeIds.set(url, idValue);
  }
  return idValue;
}

/** Signs and posts a query the way a consumer does, for the node at `url` unless `q.node` says otherwise; `tamper` changes the request after signing. */
export async function sendQuery(
  url: string,
  consumer: TestConsumer,
  q: Partial<QueryToSign> & { itemCode?: string; params?: Record<string, unknown> },
  tamper: { headers?: Record<string, string | undefined>; body?: string; signedBody?: string; signWith?: TestConsumer; unbound?: boolean } = {},
): Promise<SentQuery> {
  let prepared = prepareRequest({
    node: q.node ?? await nodeIdAt(url), itemCode: 'marriage-status', params: { idNumber: MARRIED }, consumer: consumer.id, keyId: consumer.keyId, suite: consumer.suite,
    purpose: 'application_review', applicationRef: 'BJ-2026-000001', legalBasis: '《婚姻登记条例》第五条', ...q, ...(q.node === undefined ? {} : { node: q.node }),
  });
  if (tamper.signedBody !== undefined) {
    // a body of the consumer's own making, properly signed
    const fields = { ...prepared.fields, contentSm3: sm3Hex(tamper.signedBody) };
    const canonical = canonicalRequest(fields);
    prepared = { ...prepared, body: tamper.signedBody, fields, canonical, requestSm3: sm3Hex(canonical) };
  }
  if (tamper.unbound) {
    // as a platform of an earlier release signs: no node named (no x-mz-node, no line for it)
    const { node: _node, ...fields } = prepared.fields;
    const canonical = canonicalRequest(fields);
    prepared = { ...prepared, fields, canonical, requestSm3: sm3Hex(canonical) };
  }
  const signer = tamper.signWith ?? consumer;
  const headers: Record<string, string> = signedHeaders(prepared, signText(signer.suite, signer.privateKey, prepared.canonical));
  for (const [k, v] of Object.entries(tamper.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  const res = await fetch(url + prepared.path, { method: 'POST', headers, body: tamper.body ?? prepared.body });
  const text = await res.text();
  const hdrs: Record<string, string> = {};
  res.headers.forEach((v, k) => { hdrs[k] = v; });
  return { status: res.status, headers: hdrs, text, json: text ? JSON.parse(text) : undefined, requestSm3: prepared.requestSm3 };
}

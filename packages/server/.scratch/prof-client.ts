import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getSuite, identityNumberCheckChar } from '@mianzheng/crypto';
import { STANDARD_ITEMS } from '@mianzheng/provider/protocol';
import { startProviderNode, parseNodeConfig } from '@mianzheng/provider';
import { toCsv } from '@mianzheng/provider/samples';
import { HttpExchangeClient } from '../src/exchange/adapters/http-exchange-client.ts';
const inProc = process.argv[2] === 'inproc';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
const id = '34050319900307002' + identityNumberCheckChar('34050319900307002');
fs.writeFileSync(path.join(dir, 'm.csv'), toCsv(['id_number', 'marital_status', 'updated_at'], [[id, '已婚', '2026-01-01T00:00:00.000Z']]));
const pair = getSuite('Ed25519').generateKeyPair();
const node = await startProviderNode(parseNodeConfig({ node: { id: 'n1', name: 'n' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './k.json' }, trail: { file: './t.jsonl' }, sources: { r: { type: 'csv', file: './m.csv' } },
  items: [{ ...STANDARD_ITEMS.marriageStatus, source: 'r', match: { id_number: 'idNumber' }, fields: { married: { column: 'marital_status', in: ['已婚'] } }, asOf: { column: 'updated_at' } }],
  consumers: [{ id: 'c', name: 'c', keys: [{ keyId: 'c#1', suite: 'Ed25519', publicKey: Buffer.from(pair.publicKey).toString('hex') }], allow: [{ item: 'marriage-status', purposes: ['application_review'] }] }] }, dir));
const signer = { ensureKey: async () => ({ keyId: 'c#1' }), sign: async (_o: string, s: any, m: Uint8Array) => ({ keyId: 'c#1', signature: getSuite(s).sign(pair.privateKey, m) }) };
const c = new HttpExchangeClient(signer);
const target = { providerId: 'n1', endpoint: node.url, requestSuite: 'Ed25519' as const, keys: [{ ...node.key, status: 'active' as const }], resilience: { timeoutMs: 2000, maxAttempts: 1, concurrency: 32, breakerThreshold: 100000, breakerHalfOpenMs: 1000 } };
const until = performance.now() + 5000; let n = 0; const cpu0 = process.cpuUsage();
await Promise.all(Array.from({ length: 16 }, async () => { while (performance.now() < until) { const r = await c.send(target, { itemCode: 'marriage-status', params: { idNumber: id }, consumerId: 'c', purpose: 'application_review', applicationRef: 'a', legalBasis: 'b' }); if (r.kind !== 'response') throw new Error(JSON.stringify(r)); n++; } }));
const cpu = process.cpuUsage(cpu0);
console.log('q/s', (n / 5).toFixed(0), 'cpu/q (both sides, in-process) ms', ((cpu.user + cpu.system) / 1000 / n).toFixed(3));
await c.close(); await node.close();

import http from 'node:http';
import { getSuite, bytesToHex } from '@mianzheng/crypto';
import { HttpExchangeClient } from '../src/exchange/adapters/http-exchange-client.ts';

let conns = 0;
const srv = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(503, {'content-type':'application/json'}); res.end('{}'); }); });
srv.on('connection', () => conns++);
await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
const pair = getSuite('Ed25519').generateKeyPair();
const signer = { ensureKey: async () => ({ keyId: 'k' }), sign: async (_o: string, s: any, m: Uint8Array) => ({ keyId: 'k', signature: getSuite(s).sign(pair.privateKey, m) }) };
const c = new HttpExchangeClient(signer);
const target = { providerId: 'n', endpoint: `http://127.0.0.1:${(srv.address() as any).port}`, requestSuite: 'Ed25519' as const, keys: [], resilience: { timeoutMs: 2000, maxAttempts: 1, concurrency: 8, breakerThreshold: 100000, breakerHalfOpenMs: 1000 } };
const t = performance.now();
for (let i = 0; i < 500; i++) await c.send(target, { itemCode: 'x', params: {}, consumerId: 'c', purpose: 'application_review', applicationRef: 'a', legalBasis: 'b' });
console.log('connections for 500 sequential requests:', conns, 'ms/req', ((performance.now() - t) / 500).toFixed(3));
await c.close(); srv.close();

import http from 'node:http';
import { getSuite } from '@mianzheng/crypto';
import { prepareRequest, signedHeaders, signText, checkResponse } from '@mianzheng/provider/protocol';
import { bulkhead, circuitBreaker, ConsecutiveBreaker, handleAll, retry, timeout, TimeoutStrategy, wrap, ExponentialBackoff } from 'cockatiel';

const pair = getSuite('Ed25519').generateKeyPair();
const N = 3000;
function bench(label: string, fn: () => unknown) { const t = performance.now(); for (let i = 0; i < N; i++) fn(); console.log(label.padEnd(30), ((performance.now() - t) / N * 1000).toFixed(1), 'us'); }
bench('prepareRequest', () => prepareRequest({ itemCode: 'marriage-status', params: { idNumber: '340503199003070027' }, consumer: 'mas-ga', keyId: 'mas-ga#ed25519-abc', suite: 'Ed25519', purpose: 'application_review', applicationRef: 'BJ-1', legalBasis: '《婚姻登记条例》第五条' }));
const p = prepareRequest({ itemCode: 'marriage-status', params: { idNumber: '340503199003070027' }, consumer: 'mas-ga', keyId: 'mas-ga#ed25519-abc', suite: 'Ed25519', purpose: 'application_review', applicationRef: 'BJ-1', legalBasis: '《婚姻登记条例》第五条' });
bench('signText ed25519', () => signText('Ed25519', pair.privateKey, p.canonical));
bench('signedHeaders', () => signedHeaders(p, 'x'));
const policy = wrap(timeout(5000, TimeoutStrategy.Aggressive), bulkhead(32, 256), retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }), circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5) }), timeout(2000, TimeoutStrategy.Aggressive));
let t = performance.now(); for (let i = 0; i < N; i++) await policy.execute(async () => 1); console.log('cockatiel wrap x5'.padEnd(30), ((performance.now() - t) / N * 1000).toFixed(1), 'us');
t = performance.now(); for (let i = 0; i < N; i++) await Promise.resolve(1); console.log('await baseline'.padEnd(30), ((performance.now() - t) / N * 1000).toFixed(1), 'us');

import { createHash } from 'node:crypto';
import { getSuite } from '@mianzheng/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchSigner, batchStatement, encodeBatchProof, leafHash, MAX_BATCH, merkleBatch, parseBatchProof, rootFromProof, signedTextFor, VerifiedStatements,
  type BatchProof,
} from '../src/protocol/batch.ts';
import { canonicalRequest, H } from '../src/protocol/canonical.ts';
import { prepareRequest, signedHeaders, checkResponse } from '../src/protocol/client.ts';
import { signText, verifyMessage } from '../src/protocol/messages.ts';
import { startProviderNode, type ProviderNode } from '../src/node/server.ts';
import { marriageNodeConfig, MARRIED, newConsumer, sendQuery, SINGLE, tmpDir, type TestConsumer } from './support.ts';

/** RFC 9162 §2.1.1 Merkle tree hash, written independently of batch.ts (recursive, SM3). */
function referenceRoot(items: string[]): string {
  const mth = (d: string[]): Buffer => {
    if (d.length === 1) return createHash('sm3').update(Buffer.from([0])).update(d[0]!, 'utf8').digest();
    let k = 1;
    while (k * 2 < d.length) k *= 2;
    return createHash('sm3').update(Buffer.from([1])).update(mth(d.slice(0, k))).update(mth(d.slice(k))).digest();
  };
  return mth(items).toString('hex');
}

const messages = (n: number) => Array.from({ length: n }, (_, i) => `MZX1-RESPONSE\n200\n${String(i).padStart(64, '0')}\nmessage ${i} 婚姻状况`);

describe('Merkle batches (RFC 9162 tree, SM3)', () => {
  it('the root matches an independent RFC 9162 computation, and every proof leads to it, for sizes 1–33 and 256', () => {
    for (const n of [...Array.from({ length: 33 }, (_, i) => i + 1), 255, MAX_BATCH]) {
      const items = messages(n);
      const { root, proofs } = merkleBatch(items);
      expect(root).toBe(referenceRoot(items));
      if (n === 1) {
        expect(root).toBe(leafHash(items[0]!).toString('hex'));
        continue;
      }
      proofs.forEach((p, i) => {
        expect(p).toMatchObject({ index: i, size: n });
        expect(p.path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        expect(rootFromProof(items[i]!, p)).toBe(root);
      });
    }
  });

  it('a proof does not carry another message, another position or a reshaped path to the root', () => {
    const items = messages(11);
    const { root, proofs } = merkleBatch(items);
    const p: BatchProof = proofs[6]!;
    expect(rootFromProof(items[6]!, p)).toBe(root);
    expect(rootFromProof(`${items[6]!} `, p)).not.toBe(root); // one byte more
    expect(rootFromProof(items[5]!, p)).not.toBe(root); // another member of the batch with this one's proof
    for (const index of [5, 7, 10]) expect(rootFromProof(items[6]!, { ...p, index })).not.toBe(root);
    // a path of the same shape fits a tree of 12 as well — the signed statement names the size, so it still fails
    expect(rootFromProof(items[6]!, { ...p, size: 12 })).toBe(root);
    expect(signedTextFor(items[6]!, { ...p, size: 12 })).not.toBe(signedTextFor(items[6]!, p));
    expect(rootFromProof(items[6]!, { ...p, size: 7 })).toBeNull(); // leaf 6 of 7 has a shorter path
    expect(rootFromProof(items[6]!, { ...p, path: p.path.slice(0, -1) })).toBeNull(); // too short
    expect(rootFromProof(items[6]!, { ...p, path: [...p.path, p.path[0]!] })).toBeNull(); // too long
    expect(rootFromProof(items[6]!, { ...p, path: [...p.path].reverse() })).not.toBe(root);
    expect(rootFromProof(items[6]!, { ...p, index: 11 })).toBeNull(); // outside the tree
    expect(rootFromProof(items[6]!, { ...p, size: 1 })).toBeNull(); // a batch has at least two messages
    expect(rootFromProof(items[6]!, { ...p, path: ['ab'] })).toBeNull();
  });

  it('the x-mz-batch header round-trips and malformed values are refused', () => {
    const { proofs } = merkleBatch(messages(5));
    for (const p of proofs) expect(parseBatchProof(encodeBatchProof(p))).toEqual(p);
    expect(parseBatchProof(undefined)).toBeUndefined();
    for (const bad of ['', '1.2', '1.2.', '1.2.xyz', `-1.2.${'a'.repeat(64)}`, `1.2.${'A'.repeat(64)}`, `1.2.${'a'.repeat(63)}`, `1.2.${'a'.repeat(64 * 9)}`, `1000.2.${'a'.repeat(64)}`]) {
      expect(parseBatchProof(bad)).toBeNull();
    }
  });

  it('the signed statement cannot be read as a request or an answer', () => {
    expect(batchStatement(3, 'ab'.repeat(32))).toBe(`MZX1-BATCH\n3\n${'ab'.repeat(32)}`);
    expect(signedTextFor('MZX1-REQUEST\nx', undefined)).toBe('MZX1-REQUEST\nx');
  });
});

describe('group signing and verification', () => {
  for (const suite of ['Ed25519', 'SM2-SM3'] as const) {
    it(`${suite}: messages signed in the same turn share one signature; each verifies alone, with its proof`, async () => {
      const pair = getSuite(suite).generateKeyPair();
      const pub = Buffer.from(pair.publicKey).toString('hex');
      let signatures = 0;
      const signer = new BatchSigner((text) => {
        signatures++;
        return { signature: signText(suite, pair.privateKey, text), keyId: 'k1' };
      });
      const items = messages(7);
      const signed = await Promise.all(items.map((m) => signer.sign(m)));
      expect(signatures).toBe(1);
      expect(signer.stats).toEqual({ batches: 1, messages: 7 });
      expect(new Set(signed.map((s) => s.signature)).size).toBe(1);
      signed.forEach((s, i) => {
        expect(s.keyId).toBe('k1');
        expect(s.proof).toMatchObject({ index: i, size: 7 });
        expect(verifyMessage(suite, pub, items[i]!, s.signature, s.proof)).toBe(true); // no cache: a full verification
        expect(verifyMessage(suite, pub, items[(i + 1) % 7]!, s.signature, s.proof)).toBe(false);
        expect(verifyMessage(suite, pub, items[i]!, s.signature)).toBe(false); // the signature is over the batch, not the message
      });
      // a message signed alone, in a later turn, carries no proof and its signature covers the message itself
      const alone = await signer.sign('MZX1-RESPONSE\nalone');
      expect(alone.proof).toBeUndefined();
      expect(verifyMessage(suite, pub, 'MZX1-RESPONSE\nalone', alone.signature)).toBe(true);
      expect(signatures).toBe(2);
    });
  }

  it('splits at maxBatch, and a failing signer fails every message of its batch', async () => {
    const pair = getSuite('Ed25519').generateKeyPair();
    const signer = new BatchSigner((text) => ({ signature: signText('Ed25519', pair.privateKey, text), keyId: 'k' }), 4);
    const out = await Promise.all(messages(10).map((m) => signer.sign(m)));
    expect(out.map((o) => o.proof?.size ?? 1)).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 2, 2]);
    const failing = new BatchSigner(async () => { throw new Error('keystore down'); });
    const results = await Promise.allSettled(messages(3).map((m) => failing.sign(m)));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as Error).message === 'keystore down')).toBe(true);
    expect(() => new BatchSigner(() => ({ signature: '', keyId: '' }), 0)).toThrow(RangeError);
  });

  it('the verified-statement cache keeps successes only, per public key and signature', async () => {
    const a = getSuite('Ed25519').generateKeyPair();
    const b = getSuite('Ed25519').generateKeyPair();
    const pubA = Buffer.from(a.publicKey).toString('hex');
    const pubB = Buffer.from(b.publicKey).toString('hex');
    const items = messages(4);
    const signer = new BatchSigner((text) => ({ signature: signText('Ed25519', a.privateKey, text), keyId: 'a' }));
    const signed = await Promise.all(items.map((m) => signer.sign(m)));
    const cache = new VerifiedStatements(2);
    let calls = 0;
    const statement = signedTextFor(items[0]!, signed[0]!.proof)!;
    const count = (ok: boolean) => () => { calls++; return ok; };
    expect(cache.verify('Ed25519', pubA, statement, signed[0]!.signature, count(false))).toBe(false);
    expect(cache.verify('Ed25519', pubA, statement, signed[0]!.signature, count(true))).toBe(true); // a failure was not remembered
    expect(cache.verify('Ed25519', pubA, statement, signed[0]!.signature, count(false))).toBe(true); // a success is
    expect(calls).toBe(2);
    // the same statement and signature under another key is checked anew (and fails)
    expect(verifyMessage('Ed25519', pubB, items[1]!, signed[1]!.signature, signed[1]!.proof, cache)).toBe(false);
    // every member of the batch verifies through the cache; a forged signature does not
    for (let i = 0; i < 4; i++) expect(verifyMessage('Ed25519', pubA, items[i]!, signed[i]!.signature, signed[i]!.proof, cache)).toBe(true);
    const forged = Buffer.from(signed[0]!.signature, 'base64');
    forged[5]! ^= 1;
    expect(verifyMessage('Ed25519', pubA, items[0]!, forged.toString('base64'), signed[0]!.proof, cache)).toBe(false);
  });
});

describe('a provider node and its consumers with batch signatures', () => {
  let dir: string;
  let node: ProviderNode;
  let consumer: TestConsumer;
  const keys = () => [{ keyId: node.key.keyId, suite: node.key.suite, publicKey: node.key.publicKey }];

  beforeAll(async () => {
    dir = tmpDir();
    consumer = newConsumer('mas-ga', 'Ed25519');
    node = await startProviderNode(marriageNodeConfig(dir, [consumer]));
  });
  afterAll(async () => {
    await node?.close();
  });

  /** Prepares n requests and signs them as one batch, the way the platform's client does under load. */
  async function batchOfRequests(n: number) {
    const prepared = Array.from({ length: n }, (_, i) => prepareRequest({
      node: 'node-test-mz', itemCode: 'marriage-status', params: { idNumber: i % 2 ? SINGLE : MARRIED }, consumer: consumer.id, keyId: consumer.keyId, suite: consumer.suite,
      purpose: 'application_review', applicationRef: `BJ-2026-00000${i}`, legalBasis: '《婚姻登记条例》第五条',
    }));
    const signer = new BatchSigner((text) => ({ signature: signText(consumer.suite, consumer.privateKey, text), keyId: consumer.keyId }));
    const signed = await Promise.all(prepared.map((p) => signer.sign(p.canonical)));
    return prepared.map((p, i) => ({ prepared: p, headers: signedHeaders(p, signed[i]!.signature, signed[i]!.proof) }));
  }

  async function post(path: string, headers: Record<string, string>, body: string) {
    const res = await fetch(node.url + path, { method: 'POST', headers, body });
    const text = await res.text();
    const hdrs: Record<string, string> = {};
    res.headers.forEach((v, k) => { hdrs[k] = v; });
    return { status: res.status, headers: hdrs, text, json: JSON.parse(text) };
  }

  it('accepts batch-signed requests and answers concurrent queries with batch-signed answers the client verifies', async () => {
    const before = node.stats().signing;
    const reqs = await batchOfRequests(8);
    // Answers committed to the trail together are signed together. Whether 8 requests over 8
    // connections reach the trail within one commit depends on the machine's load, so the trail
    // here releases them only once all 8 are in (a busy node's group commit, made certain).
    const append = node.trail.append.bind(node.trail);
    let appended = 0;
    let allIn!: () => void;
    const gate = new Promise<void>((resolve) => { allIn = resolve; });
    node.trail.append = async (record) => {
      await append(record);
      if (++appended === reqs.length) allIn();
      await gate;
    };
    const answers = await Promise.all(reqs.map((r) => post(r.prepared.path, r.headers, r.prepared.body))).finally(() => { node.trail.append = append; });
    const cache = new VerifiedStatements();
    answers.forEach((a, i) => {
      expect(a.status).toBe(200);
      expect(a.json).toMatchObject({ outcome: 'answered', answer: { married: i % 2 === 0 } });
      const check = checkResponse({ status: a.status, headers: a.headers, body: a.text }, { nodeId: 'node-test-mz', requestSm3: reqs[i]!.prepared.requestSm3, keys: keys(), nowMs: Date.now(), verified: cache });
      expect(check.ok).toBe(true);
      // and without the cache: each answer proves itself
      expect(checkResponse({ status: a.status, headers: a.headers, body: a.text }, { nodeId: 'node-test-mz', requestSm3: reqs[i]!.prepared.requestSm3, keys: keys(), nowMs: Date.now() }).ok).toBe(true);
    });
    const after = node.stats().signing;
    expect(after.answers - before.answers).toBe(8);
    // fewer signatures than answers: at least two answers were signed together (the trail commits them together)
    expect(after.signatures - before.signatures).toBeLessThan(8);
    expect(answers.some((a) => a.headers[H.batch] !== undefined)).toBe(true);
  });

  it('batches answers only for a consumer that said it understands them, and says so itself on every answer', async () => {
    const reqs = await batchOfRequests(6);
    const before = node.stats().signing;
    // a consumer of an earlier release: no x-mz-accept-batch, and (so) its requests are signed alone
    const { [H.acceptBatch]: _hint, ...oldStyle } = signedHeaders(reqs[0]!.prepared, signText(consumer.suite, consumer.privateKey, reqs[0]!.prepared.canonical));
    const singles = await Promise.all(reqs.map((r) => {
      const { [H.acceptBatch]: _h, ...h } = signedHeaders(r.prepared, signText(consumer.suite, consumer.privateKey, r.prepared.canonical));
      return post(r.prepared.path, h, r.prepared.body);
    }));
    expect(oldStyle[H.acceptBatch]).toBeUndefined();
    for (const a of singles) {
      expect(a.status).toBe(200);
      expect(a.headers[H.batch]).toBeUndefined();
      expect(a.headers[H.acceptBatch]).toBe('1');
    }
    const after = node.stats().signing;
    expect(after.signatures - before.signatures).toBe(6);
  });

  it('a node of the earlier release neither advertises batches nor accepts a batch-signed request', async () => {
    const d = tmpDir();
    const legacy = await startProviderNode(marriageNodeConfig(d, [consumer]), { withoutBatchSignatures: true });
    try {
      const [r] = await batchOfRequests(2);
      const res = await fetch(legacy.url + r!.prepared.path, { method: 'POST', headers: r!.headers, body: r!.prepared.body });
      expect(res.status).toBe(401);
      expect(res.headers.get(H.acceptBatch)).toBeNull();
      const alone = await sendQuery(legacy.url, consumer, {});
      expect(alone.status).toBe(200);
      expect(alone.headers[H.batch]).toBeUndefined();
      expect(alone.headers[H.acceptBatch]).toBeUndefined();
    } finally {
      await legacy.close();
    }
  });

  it('refuses a batch-signed request whose proof was moved to another position, or that is malformed', async () => {
    const reqs = await batchOfRequests(4);
    const r = reqs[1]!;
    const moved = { ...r.headers, [H.batch]: r.headers[H.batch]!.replace(/^1\./, '2.') };
    const a = await post(r.prepared.path, moved, r.prepared.body);
    expect(a.status).toBe(401);
    expect(a.json.error).toMatchObject({ reason: 'bad_signature', field: H.signature });
    // a proof of another member of the batch, with this request
    const other = await post(r.prepared.path, { ...r.headers, [H.batch]: reqs[2]!.headers[H.batch]! }, r.prepared.body);
    expect(other.json.error.reason).toBe('bad_signature');
    const malformed = await post(r.prepared.path, { ...r.headers, [H.batch]: 'zz' }, r.prepared.body);
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatchObject({ reason: 'malformed_request', field: H.batch });
    // the untouched request still passes (nothing above consumed its nonce)
    expect((await post(r.prepared.path, r.headers, r.prepared.body)).status).toBe(200);
  });

  it('a signature over the batch cannot be passed off as a signature over one request', async () => {
    const reqs = await batchOfRequests(2);
    const { [H.batch]: _dropped, ...noProof } = reqs[0]!.headers;
    const a = await post(reqs[0]!.prepared.path, noProof, reqs[0]!.prepared.body);
    expect(a.json.error.reason).toBe('bad_signature');
  });

  it('the client rejects an answer whose batch proof was altered', async () => {
    const reqs = await batchOfRequests(6);
    const answers = await Promise.all(reqs.map((r) => post(r.prepared.path, r.headers, r.prepared.body)));
    const batched = answers.findIndex((a) => a.headers[H.batch] !== undefined);
    expect(batched).toBeGreaterThanOrEqual(0);
    const a = answers[batched]!;
    const proof = parseBatchProof(a.headers[H.batch])!;
    const altered = encodeBatchProof({ ...proof, path: proof.path.map((h, i) => (i === 0 ? `${h.slice(0, -1)}${h.endsWith('0') ? '1' : '0'}` : h)) });
    const expected = { nodeId: 'node-test-mz', requestSm3: reqs[batched]!.prepared.requestSm3, keys: keys(), nowMs: Date.now() };
    expect(checkResponse({ status: a.status, headers: { ...a.headers, [H.batch]: altered }, body: a.text }, expected)).toMatchObject({ ok: false, problem: 'answer signature does not verify' });
    expect(checkResponse({ status: a.status, headers: { ...a.headers, [H.batch]: 'nonsense' }, body: a.text }, expected)).toMatchObject({ ok: false, problem: `unsigned answer (invalid ${H.batch})` });
  });

  it('with signing.maxBatch 1 the node signs every answer alone', async () => {
    const d = tmpDir();
    const single = await startProviderNode(marriageNodeConfig(d, [consumer], { signing: { suite: 'Ed25519', keyFile: './node-key.json', maxBatch: 1 } }));
    try {
      const prepared = Array.from({ length: 5 }, (_, i) => i);
      const answers = await Promise.all(prepared.map(() => sendQuery(single.url, consumer, { params: { idNumber: MARRIED } })));
      expect(answers.every((a) => a.status === 200 && a.headers[H.batch] === undefined)).toBe(true);
      expect(single.stats().signing).toEqual({ answers: 5, signatures: 5 });
    } finally {
      await single.close();
    }
  });

  it('canonical strings of a request are what the proof commits to', () => {
    const p = prepareRequest({ node: 'node-test-mz', itemCode: 'marriage-status', params: { idNumber: MARRIED }, consumer: 'mas-ga', keyId: 'k', suite: 'Ed25519', purpose: 'application_review', applicationRef: 'A', legalBasis: 'B' });
    expect(canonicalRequest(p.fields)).toBe(p.canonical);
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkResponse, canonicalResponse, parseBatchProof, sm3Hex, verifyMessage, verifyText } from '@mianzheng/provider/protocol';
import { ExchangeResolver } from '../../src/applications/adapters/exchange-resolver.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { findActorByToken } from '../../src/identity/use-cases/authenticate-session.ts';
import { queryProvider } from '../../src/exchange/use-cases/query-provider.ts';
import { exchangeOf } from '../../src/exchange/adapters/exchange-infra.ts';
import { findItemsForProofItem } from '../../src/exchange/use-cases/find-items-for-proof-item.ts';
import type { Actor } from '../../src/identity/domain/roles.ts';
import { AGENT_ID, CITIZEN_ID, openCase, QUERY, register, startInProcess, STRANGER_ID, trailOf, UNKNOWN_ID, writeMarriageNode, type NodeSetup, type RunningNode } from './support.ts';

let p: TestPlatform;
let setup: NodeSetup;
let node: RunningNode;

async function actor(username: string): Promise<Actor> {
  return (await findActorByToken(await p.tokenOf(username), p.app.deps))!;
}

async function query(body: Record<string, unknown>, as = 'clerk') {
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: await p.as(as), payload: body });
  return { status: res.statusCode, json: res.json() };
}

async function logRow(exchangeId: string) {
  return p.database.db.selectFrom('exchange_log').selectAll().where('id', '=', exchangeId).executeTakeFirstOrThrow();
}

/** A node that accepts connections and never answers, registered as node-mas-mz for the duration of `fn`. */
async function withSilentNode(resilience: Record<string, number>, fn: () => Promise<void>): Promise<void> {
  const sockets = new Set<import('node:net').Socket>();
  const silent = http.createServer(() => { /* never answers */ });
  silent.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  await register(p, { ...node, url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` }, 'node-mas-mz', resilience);
  try {
    await fn();
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
    await register(p, node, 'node-mas-mz', { maxAttempts: 3, timeoutMs: 2000, breakerThreshold: 5 });
  }
}

/** What the application engine asks the data-sharing port for 婚姻状况证明 of the citizen. */
function marriageRequest(ref: string) {
  return {
    application: { id: '00000000-0000-0000-0000-000000000001', ref, serviceItemCode: '340500-JHDJ', serviceItemName: '结婚登记' },
    holder: { code: CITIZEN_ID, kind: 'person' as const, name: '张晓梅', accountId: null },
    proofItem: { id: 'ZM-MAS-HYZK', name: '婚姻状况证明', legalBasis: '《婚姻登记条例》第五条', issuingDepartmentId: 'mas-mz', issuingDepartmentName: '马鞍山市民政局' },
    requester: { departmentId: 'mas-mz', departmentName: '马鞍山市民政局', accountId: 'system', role: 'clerk', onBehalfOf: null },
  };
}

/** The open applications of 马鞍山市公安局 the clerk's queries name (about the citizen unless another subject is given). */
async function cases(refs: string[], subjectCode = CITIZEN_ID, on = p): Promise<void> {
  for (const ref of refs) await openCase(on, { ref, subjectCode });
}
const series = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

beforeAll(async () => {
  p = await createTestPlatform();
  setup = await writeMarriageNode(p);
  node = await startInProcess(setup);
  await register(p, node);
  await cases([QUERY.applicationRef, 'BJ-2026-TEST-SUBJECT', ...series('BJ-2026-BATCH-', 12), ...series('BJ-2026-LEGACY-0-', 8), ...series('BJ-2026-LEGACY-1-', 8), 'BJ-2026-LEGACY-WARM', ...series('BJ-2026-CURRENT-', 8), ...series('BJ-BURST-', 30)]);
  await cases(['BJ-2026-TEST-AGENT'], AGENT_ID);
  await cases(['BJ-2026-TEST-UNKNOWN'], UNKNOWN_ID);
});
afterAll(async () => {
  await node?.stop();
  await p?.close();
});

describe('queryProvider: answered and not_found', () => {
  it('a clerk of 马鞍山市公安局 asks 民政 whether the citizen is married: answered, signed, verified, logged on both sides', async () => {
    const { status, json } = await query(QUERY);
    expect(status).toBe(200);
    expect(json).toMatchObject({ outcome: 'answered', itemCode: 'marriage-status', itemName: '婚姻状况', providerId: 'node-mas-mz', answer: { married: false }, asOf: '2026-01-10T08:00:00.000Z', attempts: 1 });
    expect(Object.keys(json.answer)).toEqual(['married']);
    // the evidence re-verifies with the node's public key: signed body bound to the request
    const e = json.evidence;
    const headers = { 'x-mz-node': 'node-mas-mz', 'x-mz-key-id': e.providerKeyId, 'x-mz-suite': e.suite, 'x-mz-timestamp': e.signedAt, 'x-mz-request-sm3': e.requestDigest, 'x-mz-content-sm3': e.responseDigest, 'x-mz-signature': e.signature };
    expect(checkResponse({ status: 200, headers, body: e.responseBody }, { nodeId: 'node-mas-mz', requestSm3: e.requestDigest, keys: [{ keyId: node.keyId, suite: node.suite, publicKey: node.publicKey }], nowMs: Date.now() }).ok).toBe(true);
    expect(verifyText(e.suite, node.publicKey, canonicalResponse({ status: 200, requestSm3: e.requestDigest, contentSm3: e.responseDigest, timestamp: e.signedAt, node: 'node-mas-mz', keyId: e.providerKeyId, suite: e.suite }), e.signature)).toBe(true);
    const row = await logRow(json.exchangeId);
    expect(row).toMatchObject({ outcome: 'answered', sent: true, provider_id: 'node-mas-mz', consumer_department_id: 'mas-ga', consumer_name: '马鞍山市公安局', purpose: 'application_review', application_ref: 'BJ-2026-TEST-0001', http_status: 200, attempts: 1, request_suite: 'SM2-SM3' });
    expect(row.subject_mask).toBe(`${CITIZEN_ID.slice(0, 6)}********${CITIZEN_ID.slice(-4)}`);
    expect(JSON.stringify(row)).not.toContain(CITIZEN_ID);
    expect(new Date(row.as_of!).toISOString()).toBe('2026-01-10T08:00:00.000Z');
    // the node's trail holds the same request digest
    const nodeEntry = trailOf(setup).find((t) => t.requestSm3 === row.request_digest);
    expect(nodeEntry).toMatchObject({ consumer: 'mas-ga', outcome: 'answered', purpose: 'application_review', application: 'BJ-2026-TEST-0001', responseSm3: row.response_digest });
  });

  it('the data subject reads the query at GET /api/v1/me/access-log: who, when, which item, for which application, on which basis', async () => {
    const { json } = await query({ ...QUERY, applicationRef: 'BJ-2026-TEST-SUBJECT' });
    const res = await p.app.inject({ method: 'GET', url: '/api/v1/me/access-log', headers: await p.as('citizen') });
    const entry = res.json().items.find((i: { applicationRef: string }) => i.applicationRef === 'BJ-2026-TEST-SUBJECT');
    expect(entry).toMatchObject({ id: json.accessLogId, accessorName: '马鞍山市公安局', dataItem: 'exchange:marriage-status', dataItemLabel: '婚姻状况', purpose: 'application_review', legalBasis: '《婚姻登记条例》第五条', outcome: 'answered' });
    // … and nobody else does
    const agent = await p.app.inject({ method: 'GET', url: '/api/v1/me/access-log', headers: await p.as('agent') });
    expect(agent.json().items.some((i: { applicationRef: string }) => i.applicationRef === 'BJ-2026-TEST-SUBJECT')).toBe(false);
    // the audit chain holds the access too
    const audit = await p.database.db.selectFrom('audit_log').select(['action', 'purpose', 'legal_basis']).where('action', '=', 'data.access').orderBy('at', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ purpose: 'application_review', legal_basis: '《婚姻登记条例》第五条' });
  });

  it('married: true for a married person; not_found for a person the registry does not know', async () => {
    expect((await query({ ...QUERY, params: { idNumber: AGENT_ID }, applicationRef: 'BJ-2026-TEST-AGENT' })).json.answer).toEqual({ married: true });
    const nf = await query({ ...QUERY, params: { idNumber: UNKNOWN_ID }, applicationRef: 'BJ-2026-TEST-UNKNOWN' });
    expect(nf.json).toMatchObject({ outcome: 'not_found', providerId: 'node-mas-mz' });
    expect(nf.json.answer).toBeUndefined();
    expect(nf.json.accessLogId).toBeTruthy();
  });

  it('the application engine finds the item for a proof item, then queries for the applicant', async () => {
    const refs = await findItemsForProofItem('ZM-MAS-HYZK', 'mas-mz', p.app.deps);
    expect(refs).toEqual([expect.objectContaining({ providerId: 'node-mas-mz', itemCode: 'marriage-status', grantedPurposes: expect.arrayContaining(['application_review']), active: true })]);
    const citizen = await actor('citizen');
    const out = await queryProvider({ itemCode: refs[0]!.itemCode, params: { idNumber: CITIZEN_ID }, consumerDepartmentId: 'mas-mz', purpose: 'application_review', applicationRef: 'BJ-2026-ENGINE-1', legalBasis: '《婚姻登记条例》第五条', subject: { code: CITIZEN_ID, kind: 'person' } }, citizen, p.app.deps);
    expect(out).toMatchObject({ outcome: 'answered', answer: { married: false } });
  });

  it('the evidence the engine keeps in the application re-verifies from the application alone (digests, signed time, key, proof, body)', async () => {
    const out = await new ExchangeResolver(p.app.deps).query(marriageRequest('BJ-2026-ENGINE-2'));
    expect(out.kind).toBe('answered');
    if (out.kind !== 'answered') return;
    const s = out.signature!;
    expect(s).toMatchObject({ suite: node.suite, keyId: node.keyId });
    // what an auditor does with the stored evidence and the node's published key
    const canonical = canonicalResponse({ status: 200, requestSm3: s.requestDigest!, contentSm3: s.responseDigest!, timestamp: s.signedAt!, node: out.providerId, keyId: s.keyId, suite: s.suite as 'SM2-SM3' });
    expect(sm3Hex(s.responseBody!)).toBe(s.responseDigest);
    expect(JSON.parse(s.responseBody!).answer).toEqual(out.answer);
    expect(verifyMessage(s.suite as 'SM2-SM3', node.publicKey, canonical, s.value, parseBatchProof(s.batchProof ?? undefined) ?? undefined)).toBe(true);
    // an answer changed in the record no longer matches the signed digest
    expect(sm3Hex(s.responseBody!.replace('"married":false', '"married":true'))).not.toBe(s.responseDigest);
  });
});

describe('queryProvider under load: MZX1 batch signatures', () => {
  it('concurrent queries share signatures in both directions; every stored answer still re-verifies alone from the exchange log', async () => {
    const clerk = await actor('clerk');
    const client = exchangeOf(p.app.deps).client;
    const before = client.signingStats();
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => queryProvider({ ...QUERY, applicationRef: `BJ-2026-BATCH-${i}`, consumerDepartmentId: 'mas-ga' }, clerk, p.app.deps)));
    expect(outcomes.every((o) => o.outcome === 'answered')).toBe(true);
    const after = client.signingStats();
    expect(after.requests - before.requests).toBe(12);
    expect(after.signatures - before.signatures).toBeLessThan(12); // requests prepared in one turn were signed together
    const rows = await p.database.db.selectFrom('exchange_log').selectAll().where('application_ref', 'like', 'BJ-2026-BATCH-%').execute();
    expect(rows).toHaveLength(12);
    const batched = rows.filter((r) => r.response_batch_proof !== null);
    expect(batched.length).toBeGreaterThan(0); // answers committed to the node's trail together were signed together
    for (const o of outcomes) {
      if (o.outcome !== 'answered') continue;
      const e = o.evidence;
      const row = rows.find((r) => r.id === o.exchangeId)!;
      expect(row.response_batch_proof).toBe(e.batchProof);
      expect(row.response_signature).toBe(e.signature);
      const canonical = canonicalResponse({ status: 200, requestSm3: e.requestDigest, contentSm3: e.responseDigest, timestamp: e.signedAt, node: 'node-mas-mz', keyId: e.providerKeyId, suite: e.suite });
      const proof = parseBatchProof(e.batchProof ?? undefined);
      expect(proof).not.toBeNull();
      expect(verifyMessage(e.suite, node.publicKey, canonical, e.signature, proof ?? undefined)).toBe(true);
      // the exchange log alone (no answer content in it) re-verifies the same signature
      const fromLog = canonicalResponse({ status: row.http_status!, requestSm3: row.request_digest!, contentSm3: row.response_digest!, timestamp: new Date(row.response_signed_at!).toISOString(), node: row.provider_id!, keyId: row.provider_key_id!, suite: e.suite });
      expect(verifyMessage(e.suite, node.publicKey, fromLog, row.response_signature!, parseBatchProof(row.response_batch_proof ?? undefined) ?? undefined)).toBe(true);
      // a batched signature does not verify over the answer alone, nor with another answer's proof
      if (proof) {
        expect(verifyText(e.suite, node.publicKey, canonical, e.signature)).toBe(false);
        expect(verifyMessage(e.suite, node.publicKey, canonical, e.signature, { ...proof, index: (proof.index + 1) % proof.size })).toBe(false);
      }
    }
  });
});

describe('a node of the release before batch signatures', () => {
  it('is never sent a batch: the platform signs each request alone until a node says x-mz-accept-batch, and learns it from the answers', async () => {
    await node.stop();
    const legacy = await startInProcess(setup, { withoutBatchSignatures: true });
    await register(p, legacy);
    try {
      const clerk = await actor('clerk');
      const client = exchangeOf(p.app.deps).client;
      const before = client.signingStats();
      for (let round = 0; round < 2; round++) {
        const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => queryProvider({ ...QUERY, applicationRef: `BJ-2026-LEGACY-${round}-${i}`, consumerDepartmentId: 'mas-ga' }, clerk, p.app.deps)));
        expect(outcomes.map((o) => o.outcome)).toEqual(Array(8).fill('answered'));
        for (const o of outcomes) if (o.outcome === 'answered') expect(o.evidence.batchProof).toBeNull(); // the old node signs answers alone
      }
      const after = client.signingStats();
      expect(after.requests - before.requests).toBe(16);
      expect(after.signatures - before.signatures).toBe(16); // one signature per request: nothing batched to it
      expect(legacy.inProcess!.stats().rejected.bad_signature ?? 0).toBe(0);
    } finally {
      await legacy.stop();
      node = await startInProcess(setup);
      await register(p, node);
    }
    // a current node says it takes batches: after its first answer, concurrent requests to it share signatures again
    const clerk = await actor('clerk');
    await queryProvider({ ...QUERY, applicationRef: 'BJ-2026-LEGACY-WARM', consumerDepartmentId: 'mas-ga' }, clerk, p.app.deps);
    const client = exchangeOf(p.app.deps).client;
    const before = client.signingStats();
    await Promise.all(Array.from({ length: 8 }, (_, i) => queryProvider({ ...QUERY, applicationRef: `BJ-2026-CURRENT-${i}`, consumerDepartmentId: 'mas-ga' }, clerk, p.app.deps)));
    const after = client.signingStats();
    expect(after.signatures - before.signatures).toBeLessThan(after.requests - before.requests);
  });
});

describe('queryProvider: denied by the platform before anything is sent (logged, not sent)', () => {
  const cases: Array<[string, Record<string, unknown>, string, string | undefined]> = [
    ['an item no provider offers', { ...QUERY, itemCode: 'criminal-record' }, 'not_in_directory', 'itemCode'],
    ['an invalid identity number', { ...QUERY, params: { idNumber: `${CITIZEN_ID.slice(0, 17)}${CITIZEN_ID[17] === '0' ? '1' : '0'}` } }, 'invalid_params', 'params.idNumber'],
    ['a parameter the item does not define', { ...QUERY, params: { idNumber: CITIZEN_ID, history: 'all' } }, 'invalid_params', 'params.history'],
    ['a missing parameter', { ...QUERY, params: {} }, 'invalid_params', 'params.idNumber'],
  ];
  it.each(cases)('%s', async (_label, body, reason, field) => {
    const before = trailOf(setup).length;
    const { status, json } = await query(body);
    expect(status).toBe(200);
    expect(json).toMatchObject({ outcome: 'denied', reason, accessLogId: null, attempts: 0 });
    if (field) expect(json.field).toBe(field);
    expect(await logRow(json.exchangeId)).toMatchObject({ outcome: 'denied', reason, sent: false });
    expect(trailOf(setup).length).toBe(before); // nothing reached the node
  });

  it('a department without a grant, and a purpose not granted', async () => {
    const issuer = await actor('issuer'); // 马鞍山市民政局
    const noGrant = await queryProvider({ ...QUERY, itemCode: 'household-registration', consumerDepartmentId: 'mas-sw' }, { ...issuer, departmentId: 'mas-sw' }, p.app.deps);
    expect(noGrant).toMatchObject({ outcome: 'denied', reason: 'consumer_not_allowed' });
    // 人社 may ask marriage-status? no grant in the demo directory
    await p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-mas-mz/items/marriage-status/grants', headers: await p.as('dataadmin'), payload: {
      grants: [{ consumerDepartmentId: 'mas-ga', purposes: ['application_review', 'dept_verification', 'post_check'] }, { consumerDepartmentId: 'mas-mz', purposes: ['application_review'] }],
    } });
    const wrongPurpose = await queryProvider({ ...QUERY, consumerDepartmentId: 'mas-mz', purpose: 'post_check' }, issuer, p.app.deps);
    expect(wrongPurpose).toMatchObject({ outcome: 'denied', reason: 'purpose_not_allowed', field: 'purpose' });
  });

  it('a clerk cannot query for another department; a supervisor cannot query at all', async () => {
    const clerk = await actor('clerk');
    expect(await queryProvider({ ...QUERY, consumerDepartmentId: 'mas-mz' }, clerk, p.app.deps)).toMatchObject({ outcome: 'denied', reason: 'actor_out_of_scope' });
    expect(await queryProvider({ ...QUERY, consumerDepartmentId: 'mas-ga' }, await actor('supervisor'), p.app.deps)).toMatchObject({ outcome: 'denied', reason: 'actor_out_of_scope' });
  });

  it('purpose, application reference and legal basis are mandatory; the subject must match', async () => {
    const clerk = await actor('clerk');
    const base = { ...QUERY, consumerDepartmentId: 'mas-ga' };
    expect(await queryProvider({ ...base, purpose: 'curiosity' }, clerk, p.app.deps)).toMatchObject({ outcome: 'denied', reason: 'invalid_request', field: 'purpose' });
    expect(await queryProvider({ ...base, applicationRef: ' ' }, clerk, p.app.deps)).toMatchObject({ outcome: 'denied', reason: 'invalid_request', field: 'applicationRef' });
    expect(await queryProvider({ ...base, legalBasis: '' }, clerk, p.app.deps)).toMatchObject({ outcome: 'denied', reason: 'invalid_request', field: 'legalBasis' });
    expect(await queryProvider({ ...base, subject: { code: AGENT_ID, kind: 'person' } }, clerk, p.app.deps)).toMatchObject({ outcome: 'denied', reason: 'invalid_params', field: 'subject' });
  });

  it('a legal basis or application reference no node could take is refused before anything is sent, naming the field', async () => {
    const clerk = await actor('clerk');
    const base = { ...QUERY, consumerDepartmentId: 'mas-ga' };
    const before = trailOf(setup).length;
    // a long legal basis travels in the signed body (large-queries.test.ts); one over the catalog's 2,000 characters does not
    const long = '《婚姻登记条例》第五条'.repeat(200) + '。';
    for (const legalBasis of [long, '《婚姻登记条例》\ud800第五条', '《婚姻登记条例》第五条\u007f']) {
      const r = await queryProvider({ ...base, legalBasis }, clerk, p.app.deps);
      expect(r, JSON.stringify(legalBasis)).toMatchObject({ outcome: 'denied', reason: 'invalid_request', field: 'legalBasis' });
      expect((await logRow(r.exchangeId)).sent).toBe(false);
    }
    const engine = { ...(await actor('citizen')) };
    for (const applicationRef of ['BJ-2026-\udc00', 'BJ-2026-\u007f']) {
      expect(await queryProvider({ ...QUERY, consumerDepartmentId: 'mas-ga', applicationRef }, engine, p.app.deps)).toMatchObject({ outcome: 'denied', reason: 'invalid_request', field: 'applicationRef' });
    }
    expect(trailOf(setup).length).toBe(before); // nothing reached the node
    // through the route: the same denial, not a node's malformed_request
    const { status, json } = await query({ ...QUERY, legalBasis: '《婚姻登记条例》第五条\u007f' });
    expect(status).toBe(200);
    expect(json).toMatchObject({ outcome: 'denied', reason: 'invalid_request', field: 'legalBasis' });
    // a NUL: the request layer refuses it (400, naming the field); a caller in-process gets the denial, logged — not a 500 from the log's write
    const nul = await query({ ...QUERY, legalBasis: '《婚姻登记条例》第五条\u0000' });
    expect(nul.status).toBe(400);
    expect(JSON.stringify(nul.json)).toContain('legalBasis');
    const r = await queryProvider({ ...base, legalBasis: '《婚姻登记条例》第五条\u0000' }, clerk, p.app.deps);
    expect(r).toMatchObject({ outcome: 'denied', reason: 'invalid_request', field: 'legalBasis' });
    expect((await logRow(r.exchangeId)).legal_basis).toBe('《婚姻登记条例》第五条\ufffd');
  });
});

describe('queryProvider: denied by the node (the node enforces its own allow-list)', () => {
  it('a grant the directory gives but the node has not deployed → purpose_not_allowed from the node, logged on both sides and in the access log', async () => {
    // The node's consumers file is older than the directory's grant of application_review to mas-ga: edit the node's copy.
    const restricted = await writeMarriageNode(p, { consumers: (await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-mas-mz/node-config', headers: await p.as('dataadmin') })).json().consumers.map((c: { id: string; allow: unknown[] }) => (c.id === 'mas-ga' ? { ...c, allow: [{ item: 'marriage-status', purposes: ['post_check'] }] } : c)) });
    const n = await startInProcess(restricted);
    await register(p, n);
    try {
      const { json } = await query(QUERY);
      expect(json).toMatchObject({ outcome: 'denied', reason: 'purpose_not_allowed', field: 'x-mz-purpose', attempts: 1 });
      expect(json.accessLogId).toBeTruthy(); // the subject's identity number did reach the node
      expect(await logRow(json.exchangeId)).toMatchObject({ outcome: 'denied', reason: 'purpose_not_allowed', sent: true, http_status: 403 });
      expect(trailOf(restricted).at(-1)).toMatchObject({ reason: 'purpose_not_allowed', consumer: 'mas-ga', status: 403 });
    } finally {
      await n.stop();
      await register(p, node);
    }
  });

  it('a consumer the node does not know → unknown_consumer', async () => {
    const none = await writeMarriageNode(p, { consumers: [] });
    const n = await startInProcess(none);
    await register(p, n);
    try {
      expect((await query(QUERY)).json).toMatchObject({ outcome: 'denied', reason: 'unknown_consumer' });
    } finally {
      await n.stop();
      await register(p, node);
    }
  });

  it('a platform whose clock is 10 minutes off → stale', async () => {
    const skewed = await createTestPlatform({ now: () => new Date(Date.now() - 10 * 60_000) });
    try {
      const cfg = await writeMarriageNode(skewed);
      const n = await startInProcess(cfg);
      await register(skewed, n);
      await cases([QUERY.applicationRef], CITIZEN_ID, skewed);
      const res = await skewed.app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: await skewed.as('clerk'), payload: QUERY });
      expect(res.json()).toMatchObject({ outcome: 'denied', reason: 'stale', field: 'x-mz-timestamp' });
      await n.stop();
    } finally {
      await skewed.close();
    }
  });
});

describe('queryProvider: unavailable', () => {
  it('a suspended provider, and one without a registered key, are not contacted', async () => {
    const admin = await p.as('dataadmin');
    await p.app.inject({ method: 'PATCH', url: '/api/v1/exchange/providers/node-mas-mz', headers: admin, payload: { status: 'suspended' } });
    try {
      expect((await query(QUERY)).json).toMatchObject({ outcome: 'unavailable', reason: 'provider_suspended', attempts: 0, accessLogId: null });
    } finally {
      await p.app.inject({ method: 'PATCH', url: '/api/v1/exchange/providers/node-mas-mz', headers: admin, payload: { status: 'active' } });
    }
    // node-mas-ga has no key in the test directory (no node registered one)
    const { json } = await query({ ...QUERY, itemCode: 'household-registration' }, 'clerk');
    expect(json).toMatchObject({ outcome: 'unavailable', reason: 'provider_not_configured', providerId: 'node-mas-ga', attempts: 0, accessLogId: null });
  });

  it('an answer signed with a key the directory does not hold → bad_response, not retried, the answer is not used', async () => {
    const admin = await p.as('dataadmin');
    const { Ed25519 } = { Ed25519: (await import('@mianzheng/crypto')).getSuite('Ed25519') };
    const other = Ed25519.generateKeyPair();
    await p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-mas-mz/keys', headers: admin, payload: { keys: [{ keyId: 'node-mas-mz#ed25519-rogue', suite: 'Ed25519', publicKey: Buffer.from(other.publicKey).toString('hex') }] } });
    try {
      const { json } = await query(QUERY);
      expect(json).toMatchObject({ outcome: 'unavailable', reason: 'bad_response', attempts: 1 });
      expect(json.answer).toBeUndefined();
      expect(await logRow(json.exchangeId)).toMatchObject({ outcome: 'unavailable', reason: 'bad_response', sent: true });
    } finally {
      await register(p, node);
    }
  });

  it('a node whose nonce store is full answers a signed busy → unavailable / provider_busy, not retried (it stays busy for longer than the backoff)', async () => {
    const small = await writeMarriageNode(p, { maxNonces: 1 });
    const busy = await startInProcess(small);
    try {
      await register(p, busy);
      expect((await query(QUERY)).json).toMatchObject({ outcome: 'answered' });
      const { json } = await query(QUERY);
      expect(json).toMatchObject({ outcome: 'unavailable', reason: 'provider_busy', attempts: 1, message: '提供节点繁忙，暂不能受理新请求' });
      expect(json.answer).toBeUndefined();
      expect(await logRow(json.exchangeId)).toMatchObject({ outcome: 'unavailable', reason: 'provider_busy', sent: true, http_status: 503 });
      expect(trailOf(small).at(-1)).toMatchObject({ status: 503, reason: 'busy' });
      expect(busy.inProcess!.stats().rejected).toEqual({ busy: 1 });
    } finally {
      await busy.stop();
      await register(p, node);
    }
  });

  it('nothing listens at the endpoint → connection_failed after the configured attempts; then the breaker opens → circuit_open without contacting it', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    await register(p, { ...node, url: `http://127.0.0.1:${port}` }, 'node-mas-mz', { maxAttempts: 2, breakerThreshold: 4, breakerHalfOpenMs: 60_000, timeoutMs: 500 });
    try {
      const first = (await query(QUERY)).json;
      expect(first).toMatchObject({ outcome: 'unavailable', reason: 'connection_failed', attempts: 2 });
      expect((await logRow(first.exchangeId)).attempt_log).toHaveLength(2);
      const second = (await query(QUERY)).json;
      expect(second).toMatchObject({ outcome: 'unavailable', reason: 'connection_failed' });
      const third = (await query(QUERY)).json; // 4 consecutive failed attempts: open
      expect(third).toMatchObject({ outcome: 'unavailable', reason: 'circuit_open', attempts: 0 });
      const dir = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-mas-mz', headers: await p.as('dataadmin') });
      expect(dir.json().breaker).toBe('open');
      expect(dir.json().quality.rejectedByReason).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'connection_failed' }), expect.objectContaining({ reason: 'circuit_open', sent: false })]));
    } finally {
      await register(p, node, 'node-mas-mz', { maxAttempts: 3, breakerThreshold: 5, breakerHalfOpenMs: 10_000, timeoutMs: 2000 });
    }
    // new settings → a new breaker: the node answers again
    expect((await query(QUERY)).json.outcome).toBe('answered');
  });

  it('a node that accepts the connection but never answers → timeout within the deadline, per attempt', async () => {
    await withSilentNode({ maxAttempts: 2, timeoutMs: 300, breakerThreshold: 50 }, async () => {
      const started = Date.now();
      const { json } = await query(QUERY);
      expect(json).toMatchObject({ outcome: 'unavailable', reason: 'timeout', attempts: 2 });
      expect(Date.now() - started).toBeLessThan(1500);
    });
  });

  it('the application engine waits no longer than its own deadline for a node that never answers, then falls back', async () => {
    // the provider's own settings would wait 3 × 2 s; the engine's deadline is 400 ms here (4 s by default)
    await withSilentNode({ maxAttempts: 3, timeoutMs: 2000, breakerThreshold: 50 }, async () => {
      const started = Date.now();
      const out = await new ExchangeResolver(p.app.deps, { waitMs: 400 }).query(marriageRequest('BJ-2026-WAIT-1'));
      expect(out).toMatchObject({ kind: 'unavailable' });
      expect(Date.now() - started).toBeLessThan(1900); // well before the first 2 s attempt timeout
      const row = await p.database.db.selectFrom('exchange_log').selectAll().where('application_ref', '=', 'BJ-2026-WAIT-1').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ outcome: 'unavailable', reason: 'timeout', sent: true });
    });
  });

  it('the concurrency limit queues, and a full queue answers concurrency_limit at once', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const slow = http.createServer(() => { /* hold */ });
    slow.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    await register(p, { ...node, url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}` }, 'node-mas-mz', { maxAttempts: 1, timeoutMs: 800, concurrency: 1, breakerThreshold: 50 });
    try {
      const clerk = await actor('clerk');
      const runs = Array.from({ length: 12 }, () => queryProvider({ ...QUERY, consumerDepartmentId: 'mas-ga' }, clerk, p.app.deps));
      const outs = await Promise.all(runs);
      const reasons = outs.map((o) => ('reason' in o ? o.reason : o.outcome));
      expect(reasons.filter((r) => r === 'concurrency_limit').length).toBeGreaterThanOrEqual(3); // 1 running + 8 queued, the rest rejected
      expect(reasons.every((r) => r === 'concurrency_limit' || r === 'timeout')).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      slow.close();
      await register(p, node, 'node-mas-mz', { maxAttempts: 3, timeoutMs: 2000, concurrency: 32, breakerThreshold: 5 });
    }
  });
});

describe('the trail under concurrency', () => {
  it('30 queries at once are all logged (exchange log, access log, audit chain), sharing commits; the chain verifies', async () => {
    const clerk = await actor('clerk');
    const before = p.app.deps.exchange!.trail.stats;
    const outs = await Promise.all(Array.from({ length: 30 }, (_, i) => queryProvider({ ...QUERY, consumerDepartmentId: 'mas-ga', applicationRef: `BJ-BURST-${i}` }, clerk, p.app.deps)));
    const after = p.app.deps.exchange!.trail.stats;
    expect(outs.every((o) => o.outcome === 'answered' && o.accessLogId)).toBe(true);
    expect(after.written - before.written).toBe(30);
    expect(after.batches - before.batches).toBeLessThan(30);
    const rows = await p.database.db.selectFrom('exchange_log').select(['id', 'access_log_id']).where('application_ref', 'like', 'BJ-BURST-%').execute();
    expect(rows).toHaveLength(30);
    const access = await p.database.db.selectFrom('access_log').select('id').where('application_ref', 'like', 'BJ-BURST-%').execute();
    expect(new Set(access.map((a) => a.id))).toEqual(new Set(rows.map((r) => r.access_log_id)));
    const verify = await p.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: await p.as('supervisor') });
    expect(verify.json()).toMatchObject({ ok: true });
  });
});

describe('data quality', () => {
  it('shows availability, latency p50/p99, error rate, staleness and rejections by reason per provider', async () => {
    const res = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-mas-mz/quality?sinceDays=1', headers: await p.as('supervisor') });
    expect(res.statusCode).toBe(200);
    const q = res.json();
    expect(q.sent).toBeGreaterThan(5);
    expect(q.answered).toBeGreaterThan(3);
    expect(q.availability).toBeGreaterThan(0);
    expect(q.availability).toBeLessThan(1); // the dead/silent endpoint tests count as failures
    expect(q.errorRate).toBeGreaterThan(0);
    expect(q.latencyP50Ms).toBeGreaterThan(0);
    expect(q.latencyP99Ms).toBeGreaterThanOrEqual(q.latencyP50Ms);
    expect(q.stalenessP50S).toBeGreaterThan(0); // answers carry data from 2024–2026
    const reasons = Object.fromEntries(q.rejectedByReason.map((r: { reason: string; count: number }) => [r.reason, r.count]));
    expect(reasons).toMatchObject({ invalid_params: expect.any(Number), timeout: expect.any(Number), bad_response: expect.any(Number) });
  });

  it('the exchange log filters by outcome, reason, provider, application and subject', async () => {
    const h = await p.as('dataadmin');
    const denied = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/log?outcome=denied&reason=invalid_params', headers: h });
    expect(denied.json().total).toBeGreaterThanOrEqual(3);
    expect(denied.json().items.every((i: { outcome: string; reason: string }) => i.outcome === 'denied' && i.reason === 'invalid_params')).toBe(true);
    const bySubject = await p.app.inject({ method: 'GET', url: `/api/v1/exchange/log?subject=${AGENT_ID}`, headers: h });
    expect(bySubject.json().items.length).toBeGreaterThan(0);
    expect(bySubject.json().items.every((i: { subjectMask: string }) => i.subjectMask.endsWith(AGENT_ID.slice(-4)))).toBe(true);
    const byApp = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/log?applicationRef=BJ-2026-ENGINE-1', headers: h });
    expect(byApp.json().items).toEqual([expect.objectContaining({ consumerDepartmentId: 'mas-mz', outcome: 'answered', actorRole: 'applicant' })]);
    const none = await p.app.inject({ method: 'GET', url: `/api/v1/exchange/log?subject=${STRANGER_ID}&provider=node-mas-ga`, headers: h });
    expect(none.json().total).toBe(0);
    const bad = await p.app.inject({ method: 'GET', url: `/api/v1/exchange/log?subject=${CITIZEN_ID.slice(0, 17)}${CITIZEN_ID[17] === '0' ? '1' : '0'}`, headers: h });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.field).toBe('subject');
  });
});

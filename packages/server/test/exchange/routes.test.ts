import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forbiddenMetaAddress } from '../../src/exchange/adapters/routes.ts';
import { getSuite } from '@mianzheng/crypto';
import { STANDARD_ITEMS } from '@mianzheng/provider/protocol';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { QUERY, startInProcess, writeMarriageNode } from './support.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

const USERS = ['citizen', 'enterprise', 'agent', 'clerk', 'issuer', 'catalogadmin', 'dataadmin', 'supervisor', 'bank'] as const;
const ADMIN = ['dataadmin'];
const READERS = ['dataadmin', 'supervisor'];

const SOME_KEY = { keyId: 'node-none#ed25519-1', suite: 'Ed25519', publicKey: 'ab'.repeat(32) };
/**
 * Every exchange route, who may call it, and a well-formed request that changes nothing
 * when allowed (it fails later, on purpose: 404 for an unknown node, a denied query).
 * Bodies are well-formed because body validation runs before the role check.
 */
const ROUTES: Array<{ method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: unknown; allowed: readonly string[] }> = [
  { method: 'GET', url: '/api/v1/exchange/providers', allowed: READERS },
  { method: 'GET', url: '/api/v1/exchange/providers/node-none', allowed: READERS },
  { method: 'GET', url: '/api/v1/exchange/providers/node-none/quality', allowed: READERS },
  { method: 'POST', url: '/api/v1/exchange/providers', payload: { id: 'node-none', name: 'x', departmentId: 'nowhere', endpoint: 'http://127.0.0.1:9', keys: [SOME_KEY] }, allowed: ADMIN },
  { method: 'PATCH', url: '/api/v1/exchange/providers/node-none', payload: { status: 'suspended' }, allowed: ADMIN },
  { method: 'PUT', url: '/api/v1/exchange/providers/node-none/keys', payload: { keys: [SOME_KEY] }, allowed: ADMIN },
  { method: 'PUT', url: '/api/v1/exchange/providers/node-none/items/marriage-status', payload: { definition: STANDARD_ITEMS.marriageStatus, proofItemIds: [] }, allowed: ADMIN },
  { method: 'DELETE', url: '/api/v1/exchange/providers/node-none/items/marriage-status', allowed: ADMIN },
  { method: 'PUT', url: '/api/v1/exchange/providers/node-none/items/marriage-status/grants', payload: { grants: [] }, allowed: ADMIN },
  { method: 'GET', url: '/api/v1/exchange/providers/node-none/node-config', allowed: ADMIN },
  { method: 'POST', url: '/api/v1/exchange/providers/node-none/probe', allowed: ADMIN },
  { method: 'POST', url: '/api/v1/exchange/discover', payload: { endpoint: 'ftp://nowhere' }, allowed: ADMIN },
  { method: 'GET', url: '/api/v1/exchange/standard-items', allowed: ADMIN },
  { method: 'GET', url: '/api/v1/exchange/log', allowed: READERS },
  { method: 'GET', url: '/api/v1/exchange/items', allowed: ['clerk', 'issuer', 'dataadmin', 'supervisor'] },
  { method: 'POST', url: '/api/v1/exchange/queries', payload: { ...QUERY, itemCode: 'no-such-item' }, allowed: ['clerk', 'issuer'] },
  { method: 'GET', url: '/api/v1/me/access-log', allowed: USERS },
];

describe('who may call each exchange route', () => {
  it.each(ROUTES)('$method $url', async (route) => {
    const anon = await p.app.inject({ method: route.method, url: route.url, payload: route.payload as object | undefined });
    expect(anon.statusCode, 'anonymous').toBe(401);
    for (const user of USERS) {
      const res = await p.app.inject({ method: route.method, url: route.url, payload: route.payload as object | undefined, headers: await p.as(user) });
      if (route.allowed.includes(user)) expect([401, 403], `${user} may call it`).not.toContain(res.statusCode);
      else {
        expect(res.statusCode, `${user} may not call it`).toBe(403);
        expect(res.json().error.code).toBe('AUTH.FORBIDDEN');
      }
    }
  });
});

describe('directory management (data administrator)', () => {
  const pair = getSuite('Ed25519').generateKeyPair();
  const key = { keyId: 'node-tl-mz#ed25519-0001', suite: 'Ed25519', publicKey: Buffer.from(pair.publicKey).toString('hex') };
  const body = { id: 'node-tl-mz', name: '铜陵市民政局婚姻登记共享节点', departmentId: 'tl-mz', endpoint: 'http://127.0.0.1:9', requestSuite: 'Ed25519', keys: [key] };

  it('registers a node, its item, the proof items it satisfies and the grants; the node-config carries the consumers\' keys', async () => {
    const h = await p.as('dataadmin');
    const created = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/providers', headers: h, payload: { ...body, resilience: { timeoutMs: 1500, concurrency: 8 } } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: 'node-tl-mz', departmentName: '铜陵市民政局', endpoint: 'http://127.0.0.1:9', status: 'active', requestSuite: 'Ed25519', resilience: { timeoutMs: 1500, concurrency: 8, maxAttempts: 3 }, items: [] });
    const item = await p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-tl-mz/items/marriage-status', headers: h, payload: { definition: STANDARD_ITEMS.marriageStatus, proofItemIds: ['ZM-TL-HYZK'] } });
    expect(item.statusCode).toBe(200);
    expect(item.json().items[0]).toMatchObject({ code: 'marriage-status', proofItems: [{ id: 'ZM-TL-HYZK', name: '婚姻状况证明' }], grants: [] });
    const grants = await p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-tl-mz/items/marriage-status/grants', headers: h, payload: { grants: [{ consumerDepartmentId: 'tl-ga', purposes: ['application_review', 'post_check'] }] } });
    expect(grants.json().items[0].grants).toEqual([{ consumerDepartmentId: 'tl-ga', consumerName: '铜陵市公安局', purposes: ['application_review', 'post_check'] }]);
    const cfg = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-tl-mz/node-config', headers: h });
    expect(cfg.json()).toMatchObject({ node: 'node-tl-mz', suite: 'Ed25519', consumers: [{ id: 'tl-ga', name: '铜陵市公安局', allow: [{ item: 'marriage-status', purposes: ['application_review', 'post_check'] }] }] });
    const consumerKey = cfg.json().consumers[0].keys[0];
    expect(consumerKey).toMatchObject({ suite: 'Ed25519' });
    expect(consumerKey.publicKey).toHaveLength(64);
    expect(JSON.stringify(cfg.json())).not.toMatch(/private/i);
    const audit = await p.database.db.selectFrom('audit_log').select('action').where('subject_id', 'like', 'node-tl-mz%').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['exchange.provider.register', 'exchange.item.upsert', 'exchange.item.grants']));
  });

  it('rejects bad input with the code and the field', async () => {
    const h = await p.as('dataadmin');
    const post = (payload: unknown) => p.app.inject({ method: 'POST', url: '/api/v1/exchange/providers', headers: h, payload: payload as object });
    let r = await post(body);
    expect([r.statusCode, r.json().error.code, r.json().error.field]).toEqual([409, 'EXCHANGE.DUPLICATE_PROVIDER', 'id']);
    r = await post({ ...body, id: 'node-x1', endpoint: 'http://127.0.0.1:9/prefix' });
    expect([r.statusCode, r.json().error.code, r.json().error.field]).toEqual([422, 'EXCHANGE.INVALID_ENDPOINT', 'endpoint']);
    r = await post({ ...body, id: 'node-x2', keys: [{ ...key, suite: 'SM2-SM3' }] });
    expect([r.statusCode, r.json().error.code, r.json().error.field]).toEqual([422, 'EXCHANGE.INVALID_PUBLIC_KEY', 'keys.0.publicKey']);
    r = await post({ ...body, id: 'node-x3', keys: [{ ...key, publicKey: `04${'ab'.repeat(64)}`, suite: 'SM2-SM3' }] }); // not a point on the curve
    expect(r.json().error.code).toBe('EXCHANGE.INVALID_PUBLIC_KEY');
    r = await post({ ...body, id: 'node-x4', departmentId: 'nowhere' });
    expect([r.statusCode, r.json().error.code, r.json().error.field]).toEqual([404, 'DEPARTMENT.NOT_FOUND', 'departmentId']);
    r = await post({ ...body, id: 'node-x5', extra: 1 });
    expect([r.statusCode, r.json().error.field]).toEqual([400, 'extra']);
    const put = (code: string, payload: unknown) => p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/node-tl-mz/items/${code}`, headers: h, payload: payload as object });
    r = await put('marriage-status', { definition: STANDARD_ITEMS.marriageStatus, proofItemIds: ['ZM-NOPE'] });
    expect([r.statusCode, r.json().error.code, r.json().error.details]).toEqual([422, 'EXCHANGE.UNKNOWN_PROOF_ITEM', { missing: ['ZM-NOPE'] }]);
    r = await put('other-code', { definition: STANDARD_ITEMS.marriageStatus, proofItemIds: [] });
    expect(r.json().error.code).toBe('EXCHANGE.INVALID_ITEM_DEFINITION');
    r = await put('marriage-status', { definition: { ...STANDARD_ITEMS.marriageStatus, subjectParam: 'nobody' }, proofItemIds: [] });
    expect(r.json().error).toMatchObject({ code: 'EXCHANGE.INVALID_ITEM_DEFINITION', details: { problems: ['subjectParam must name one of the params'] } });
    const grants = (payload: unknown) => p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-tl-mz/items/marriage-status/grants', headers: h, payload: payload as object });
    r = await grants({ grants: [{ consumerDepartmentId: 'tl-ga', purposes: ['marketing'] }] });
    expect([r.statusCode, r.json().error.code, r.json().error.field]).toEqual([422, 'EXCHANGE.UNKNOWN_PURPOSE', 'grants.0.purposes.0']);
    r = await grants({ grants: [{ consumerDepartmentId: 'nowhere', purposes: ['application_review'] }] });
    expect([r.statusCode, r.json().error.code]).toEqual([404, 'DEPARTMENT.NOT_FOUND']);
    r = await p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-tl-mz/keys', headers: h, payload: { keys: [] } });
    expect(r.statusCode).toBe(400);
  });

  it('rotates keys (the old one is retired), suspends and reactivates, withdraws an item', async () => {
    const h = await p.as('dataadmin');
    const next = getSuite('SM2-SM3').generateKeyPair();
    const rotated = await p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-tl-mz/keys', headers: h, payload: { keys: [{ keyId: 'node-tl-mz#sm2-0002', suite: 'SM2-SM3', publicKey: Buffer.from(next.publicKey).toString('hex') }] } });
    expect(rotated.json().keys).toEqual(expect.arrayContaining([expect.objectContaining({ keyId: 'node-tl-mz#sm2-0002', status: 'active' }), expect.objectContaining({ keyId: key.keyId, status: 'retired' })]));
    expect((await p.app.inject({ method: 'PATCH', url: '/api/v1/exchange/providers/node-tl-mz', headers: h, payload: { status: 'suspended' } })).json().status).toBe('suspended');
    expect((await p.app.inject({ method: 'PATCH', url: '/api/v1/exchange/providers/node-tl-mz', headers: h, payload: { status: 'active' } })).json().status).toBe('active');
    expect((await p.app.inject({ method: 'DELETE', url: '/api/v1/exchange/providers/node-tl-mz/items/marriage-status', headers: h })).statusCode).toBe(204);
    const again = await p.app.inject({ method: 'DELETE', url: '/api/v1/exchange/providers/node-tl-mz/items/marriage-status', headers: h });
    expect([again.statusCode, again.json().error.code]).toEqual([404, 'EXCHANGE.ITEM_NOT_FOUND']);
  });

  it('probe reports a dead node; discover reads a live node\'s meta to fill the form', async () => {
    const h = await p.as('dataadmin');
    const dead = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/providers/node-tl-mz/probe', headers: h });
    expect(dead.json()).toMatchObject({ ok: false, status: null });
    const setup = await writeMarriageNode(p);
    const node = await startInProcess(setup);
    try {
      const meta = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/discover', headers: h, payload: { endpoint: node.url } });
      expect(meta.statusCode).toBe(200);
      expect(meta.json()).toMatchObject({ node: { id: 'node-mas-mz' }, keys: [{ keyId: node.keyId, publicKey: node.publicKey }], items: [expect.objectContaining({ code: 'marriage-status' })] });
      await p.app.inject({ method: 'PATCH', url: '/api/v1/exchange/providers/node-mas-mz', headers: h, payload: { endpoint: node.url } });
      const live = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/providers/node-mas-mz/probe', headers: h });
      expect(live.json()).toMatchObject({ ok: true, status: 200, node: 'node-mas-mz' });
      const wrong = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/discover', headers: h, payload: { endpoint: 'http://127.0.0.1:9' } });
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([422, 'EXCHANGE.INVALID_ENDPOINT']);
    } finally {
      await node.stop();
    }
  });

  it('discover never contacts link-local addresses (cloud metadata) or the unspecified address, by literal or by name', async () => {
    const h = await p.as('dataadmin');
    for (const endpoint of ['http://169.254.169.254', 'http://[fe80::1]:8080', 'http://0.0.0.0:8182', 'http://[::ffff:169.254.169.254]']) {
      const r = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/discover', headers: h, payload: { endpoint } });
      expect([endpoint, r.statusCode, r.json().error.code, r.json().error.details]).toEqual([endpoint, 422, 'EXCHANGE.INVALID_ENDPOINT', { reason: 'address_not_allowed' }]);
    }
    expect(forbiddenMetaAddress('169.254.169.254', 4)).toBe(true);
    expect(forbiddenMetaAddress('fe80::abcd', 6)).toBe(true);
    expect(forbiddenMetaAddress('::ffff:169.254.1.1', 6)).toBe(true);
    expect(forbiddenMetaAddress('::ffff:a9fe:101', 6)).toBe(true);
    expect(forbiddenMetaAddress('::ffff:7f00:1', 6)).toBe(false);
    expect(forbiddenMetaAddress('127.0.0.1', 4)).toBe(false);
    expect(forbiddenMetaAddress('10.12.0.5', 4)).toBe(false);
    expect(forbiddenMetaAddress('::1', 6)).toBe(false);
  });

  it('the directory listing shows each provider with its quality; a clerk sees the items their department may ask', async () => {
    const list = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers', headers: await p.as('supervisor') });
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['node-mas-ga', 'node-mas-mz', 'node-mas-rs', 'node-mas-bdc', 'node-mas-sw', 'node-mas-wj', 'node-mas-jy', 'node-tl-mz']));
    expect(list.json().items[0].quality).toMatchObject({ total: expect.any(Number), rejectedByReason: expect.any(Array) });
    expect(list.json().purposes.application_review.zh).toBe('办件受理审核');
    const items = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/items', headers: await p.as('clerk') });
    const codes = items.json().items.map((i: { code: string }) => i.code).sort();
    expect(codes).toEqual(['birth-certificate', 'household-registration', 'marriage-status', 'real-estate-ownership']);
  });

  it('a clerk\'s query body is checked at the edge (unknown fields, bad purpose)', async () => {
    const h = await p.as('clerk');
    const bad = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: h, payload: { ...QUERY, consumerDepartmentId: 'mas-mz' } });
    expect([bad.statusCode, bad.json().error.field]).toEqual([400, 'consumerDepartmentId']);
    const purpose = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: h, payload: { ...QUERY, purpose: 'curiosity' } });
    expect([purpose.statusCode, purpose.json().error.field]).toEqual([400, 'purpose']);
  });
});

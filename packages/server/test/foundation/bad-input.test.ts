import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let p: TestPlatform;
let admin: Record<string, string>;
beforeAll(async () => {
  p = await createTestPlatform();
  admin = await p.as('catalogadmin');
});
afterAll(async () => { await p?.close(); });

const valid = { name: '测试证明', issuingDepartmentId: 'mas-mz', regionCode: '340500', legalBasis: '《测试条例》第一条', methods: ['data_sharing'] };

async function draftCount() {
  return (await p.database.db.selectFrom('proof_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
}

describe('bad input gets a 4xx naming the field, and changes nothing', () => {
  const cases: [string, { body?: unknown; raw?: string; contentType?: string }, number, string, string | undefined][] = [
    ['malformed JSON', { raw: '{"name": "x",', contentType: 'application/json' }, 400, 'REQUEST.MALFORMED_JSON', 'body'],
    ['wrong type', { body: { ...valid, methods: 'data_sharing' } }, 400, 'REQUEST.INVALID', 'methods'],
    ['unknown field', { body: { ...valid, secret: 1 } }, 400, 'REQUEST.INVALID', 'secret'],
    ['missing field', { body: { ...valid, name: undefined } }, 400, 'REQUEST.INVALID', 'name'],
    ['over-long string', { body: { ...valid, name: '证'.repeat(201) } }, 400, 'REQUEST.INVALID', 'name'],
    ['a name of only spaces (trimmed to nothing)', { body: { ...valid, name: ' \u3000\t ' } }, 422, 'CATALOG.NAME_REQUIRED', 'name'],
    ['invalid region code', { body: { ...valid, regionCode: '34050X' } }, 400, 'REQUEST.INVALID', 'regionCode'],
    ['unknown region', { body: { ...valid, regionCode: '110105' } }, 404, 'REGION.NOT_FOUND', 'regionCode'],
    ['unknown department', { body: { ...valid, issuingDepartmentId: 'nowhere' } }, 404, 'DEPARTMENT.NOT_FOUND', 'issuingDepartmentId'],
    ['unknown method', { body: { ...valid, methods: ['paper'] } }, 400, 'REQUEST.INVALID', 'methods.0'],
    ['retained without legal basis', { body: { ...valid, methods: ['retained'], legalBasis: '' } }, 422, 'CATALOG.LEGAL_BASIS_REQUIRED', 'legalBasis'],
    ['commitment for an excluded category', {
      body: { ...valid, methods: ['commitment'], riskCategory: 'public_security', commitment: { conditions: 'c', consequence: 'c', postCheck: { samplingRate: 0.1, withinDays: 30 } } },
    }, 422, 'CATALOG.COMMITMENT_EXCLUDED', 'methods'],
    ['commitment without its rule', { body: { ...valid, methods: ['commitment'] } }, 422, 'CATALOG.COMMITMENT_RULE_REQUIRED', 'commitment'],
    ['duplicate of an existing item', { body: { ...valid, name: '婚姻状况证明' } }, 409, 'CATALOG.DUPLICATE_PROOF_ITEM', 'name'],
    ['not JSON at all', { raw: 'name=x', contentType: 'application/x-www-form-urlencoded' }, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', undefined],
  ];
  it.each(cases)('%s', async (_label, input, status, code, field) => {
    const before = await draftCount();
    const res = await p.app.inject({
      method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers: { ...admin, ...(input.contentType ? { 'content-type': input.contentType } : {}) },
      ...(input.raw !== undefined ? { payload: input.raw } : { payload: input.body as object }),
    });
    expect(res.statusCode).toBe(status);
    const err = res.json().error;
    expect(err.code).toBe(code);
    if (field) expect(err.field).toBe(field);
    expect(err.message).toBeTruthy();
    expect(err.messageEn).toBeTruthy();
    expect(await draftCount()).toBe(before);
  });

  it('bad query parameters are 400 with the field', async () => {
    for (const [url, field] of [
      ['/api/v1/proof-items?page=0', 'querystring.page'], ['/api/v1/proof-items?pageSize=1000', 'querystring.pageSize'],
      ['/api/v1/proof-items?method=paper', 'querystring.method'], ['/api/v1/proof-items?region=abc', 'querystring.region'],
      ['/api/v1/proof-items?q=' + 'a'.repeat(101), 'querystring.q'], ['/api/v1/proof-items?unknown=1', 'querystring.unknown'],
    ] as const) {
      const res = await p.app.inject({ url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.field, url).toBe(field);
    }
  });

  it('unknown things are 404 with a code', async () => {
    expect((await p.app.inject({ url: '/api/v1/proof-items/nope' })).json().error.code).toBe('CATALOG.PROOF_ITEM_NOT_FOUND');
    expect((await p.app.inject({ url: '/api/v1/service-items/nope' })).json().error.code).toBe('CATALOG.SERVICE_ITEM_NOT_FOUND');
    expect((await p.app.inject({ url: '/api/v1/proof-items?version=99' })).json().error.code).toBe('CATALOG.VERSION_NOT_FOUND');
    expect((await p.app.inject({ url: '/api/v1/nothing-here' })).json().error.code).toBe('REQUEST.NOT_FOUND');
    const patch = await p.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/nope', headers: admin, payload: { notes: 'x' } });
    expect(patch.statusCode).toBe(404);
  });

  it('a change that blanks a draft item\'s name is 422 naming the field, and changes nothing', async () => {
    const res = await p.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-HYZK', headers: admin, payload: { name: '   ' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'CATALOG.NAME_REQUIRED', field: 'name' });
    const row = await p.database.db.selectFrom('proof_items').select('name').where('id', '=', 'ZM-MAS-HYZK').executeTakeFirstOrThrow();
    expect(row.name).toBe('婚姻状况证明');
  });

  it('oversized bodies are 413', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers: admin, payload: { ...valid, notes: 'x'.repeat(2 * 1024 * 1024) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('REQUEST.TOO_LARGE');
  });

  it('a random fuzz of bodies never produces a 500', async () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values: unknown[] = [null, 0, -1, 1e308, '', '💥', '证'.repeat(3000), [], {}, [null], { a: 1 }, true, '340500', 'mas-ga', ['commitment'], 'retained'];
    const keys = ['name', 'issuingDepartmentId', 'regionCode', 'legalBasis', 'methods', 'notes', 'riskCategory', 'commitment', 'x'];
    for (let i = 0; i < 150; i++) {
      const body: Record<string, unknown> = { ...valid };
      for (let k = 0; k < 3; k++) body[keys[Math.floor(rnd() * keys.length)]!] = values[Math.floor(rnd() * values.length)];
      const url = rnd() < 0.5 ? '/api/v1/admin/catalog/proof-items' : '/api/v1/admin/catalog/proof-items/ZM-MAS-HYZK';
      const res = await p.app.inject({ method: url.endsWith('items') ? 'POST' : 'PATCH', url, headers: admin, payload: body });
      expect(res.statusCode, JSON.stringify(body).slice(0, 200)).toBeLessThan(500);
    }
  });
});

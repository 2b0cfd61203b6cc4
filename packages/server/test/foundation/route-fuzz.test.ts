import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/**
 * Every route of the OpenAPI document (so a new route is covered the day it is added) gets
 * seeded random input shaped by its own schema — some valid, most subtly wrong: boundary
 * integers (2^31, 2^53, 1e300), impossible dates, NUL characters, over-long and non-BMP
 * strings, wrong types, real identifiers of other records — as each role it allows. A 5xx
 * is a bug: bad input gets a 4xx naming the field.
 */

interface Schema {
  $ref?: string; type?: string; format?: string; enum?: unknown[]; anyOf?: Schema[]; oneOf?: Schema[]; items?: Schema;
  properties?: Record<string, Schema>; required?: string[]; additionalProperties?: boolean | Schema; maxLength?: number;
}
interface Operation {
  description?: string;
  parameters?: { in: string; name: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface OpenApi { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

const USER_OF: Record<string, string> = {
  applicant: 'citizen', agent: 'agent', clerk: 'clerk', issuer: 'issuer', catalog_admin: 'catalogadmin', data_admin: 'dataadmin', supervisor: 'supervisor', verifier: 'bank',
};

const STRINGS = [
  '', 'a', '中文名称', '证'.repeat(300), '340503199001011234', '34050319900101123X', '91340500MA2N0EKJ0X', '2026-02-30', '2026-11-27T00:00:00Z',
  '-1', '0', '1e300', '../../etc/passwd', "' or 1=1 --", 'a\u0000b', '𠀀𠀁', 'APP-1', 'mas-ga', 'node-mas-mz', 'marriage-status', '340500', 'e_license', 'commitment',
];
const INTEGERS = [0, 1, -1, 2 ** 31, 2 ** 53, 1e300, 20, 3, 1.5];
const ODD = [null, 123, 'str', [], {}, true, -1.5, 1e300];

let p: TestPlatform;
let spec: OpenApi;
const headersOf = new Map<string, Record<string, string>>();

beforeAll(async () => {
  p = await createTestPlatform();
  spec = (await p.app.inject({ url: '/api/openapi.json' })).json() as OpenApi;
  for (const [role, user] of Object.entries(USER_OF)) headersOf.set(role, await p.as(user));
  headersOf.set('enterprise', await p.as('enterprise'));
}, 60_000);
afterAll(async () => { await p?.close(); });

describe('no route answers 5xx to input shaped by its schema', () => {
  it('fuzzes every operation as each role it allows', async () => {
    let seed = 20261127;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const resolve = (s: Schema | undefined): Schema | undefined => {
      let cur = s;
      while (cur?.$ref) cur = spec.components.schemas[cur.$ref.split('/').pop()!];
      return cur;
    };
    const gen = (schema: Schema | undefined, depth = 0): unknown => {
      const s = resolve(schema);
      if (!s || depth > 6) return pick(ODD);
      if (rnd() < 0.08) return pick(ODD);
      if (s.anyOf) return gen(pick(s.anyOf), depth + 1);
      if (s.oneOf) return gen(pick(s.oneOf), depth + 1);
      if (s.enum) return rnd() < 0.9 ? pick(s.enum) : 'not_in_enum';
      switch (s.type) {
        case 'string': {
          if (s.format === 'date-time') return pick(['2026-11-27T00:00:00Z', '2026-13-01T00:00:00Z', 'yesterday', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z']);
          if (s.format === 'date') return pick(['2026-11-27', '2026-02-30', '1900-01-01']);
          const v = pick(STRINGS);
          return s.maxLength !== undefined && rnd() < 0.5 ? v.slice(0, s.maxLength) : v;
        }
        case 'integer': return pick(INTEGERS);
        case 'number': return pick([0, 0.5, -1, 1e308, 1]);
        case 'boolean': return rnd() < 0.5;
        case 'array': return Array.from({ length: pick([0, 1, 2, 60]) }, () => gen(s.items, depth + 1));
        default: {
          const o: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(s.properties ?? {})) if ((s.required ?? []).includes(k) || rnd() < 0.5) o[k] = gen(v, depth + 1);
          if (typeof s.additionalProperties === 'object' && rnd() < 0.5) o[`k${Math.floor(rnd() * 9)}`] = gen(s.additionalProperties, depth + 1);
          return o;
        }
      }
    };

    const operations = Object.entries(spec.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({
      path, method: method.toUpperCase(), op, roles: /Roles: ([\w, ]+)$/.exec(op.description ?? '')?.[1]?.split(', ') ?? ['anonymous'],
    })));

    // Identifiers of real records, read from every list the roles can see, so path parameters reach existing rows.
    const ids = new Set(['x1', '1', 'APP-1', '中文', 'a'.repeat(70), '0', '-1', '2147483648', '%00']);
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if ((k === 'id' || k.endsWith('Id') || k === 'code' || k === 'ref') && typeof x === 'string' && ids.size < 300) ids.add(x);
          collect(x);
        }
      }
    };
    for (const o of operations.filter((x) => x.method === 'GET' && !x.path.includes('{'))) {
      for (const role of o.roles) {
        const res = await p.app.inject({ url: o.path, headers: headersOf.get(role) ?? {} });
        if ((res.headers['content-type'] ?? '').toString().includes('json')) collect(res.json());
      }
    }
    const idList = [...ids];

    const failures: string[] = [];
    let sent = 0;
    for (let round = 0; round < 8; round++) {
      for (const o of operations) {
        if (o.path.endsWith('/logout')) continue; // would end the session the other requests use
        const schema = o.op.requestBody?.content['application/json']?.schema;
        if (o.op.requestBody && !schema) continue; // multipart uploads have their own tests
        const role = pick([...o.roles, ...(o.roles.includes('applicant') ? ['enterprise'] : [])]);
        let url = o.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(pick(idList)));
        const query = (o.op.parameters ?? []).filter((q) => q.in === 'query' && rnd() < 0.6).map((q) => `${q.name}=${encodeURIComponent(String(gen(q.schema)))}`);
        if (query.length) url += `?${query.join('&')}`;
        const body = schema ? gen(schema) : undefined;
        const res = await p.app.inject({
          method: o.method as 'GET', url, headers: { ...(headersOf.get(role) ?? {}), ...(schema ? { 'content-type': 'application/json' } : {}) },
          ...(schema ? { payload: JSON.stringify(body) } : {}),
        });
        sent++;
        if (res.statusCode >= 500) failures.push(`${o.method} ${url} as ${role}: ${res.statusCode} ${JSON.stringify(body)?.slice(0, 200)}`);
      }
    }
    expect(sent).toBeGreaterThan(700);
    expect(failures).toEqual([]);
  }, 180_000);

  it('refuses a NUL character anywhere with the field that holds it', async () => {
    const admin = await p.as('catalogadmin');
    const body = { name: '测试\u0000证明', issuingDepartmentId: 'mas-mz', regionCode: '340500', legalBasis: '《测试条例》第一条', methods: ['data_sharing'] };
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers: admin, payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'name' });
    const nested = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers: admin, payload: { ...body, name: '测试', methods: ['data_sharing', 'x\u0000'] } });
    expect(nested.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'methods.1' });
    const query = await p.app.inject({ url: '/api/v1/proof-items?q=%00' });
    expect(query.statusCode).toBe(400);
    expect(query.json().error.field).toBe('querystring.q');
    const login = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: '\u0000', password: 'x' } });
    expect(login.statusCode).toBe(400);
    expect(login.json().error.field).toBe('username');
  });

  it('refuses a lone UTF-16 surrogate anywhere with the field that holds it, not a 500 (the audit chain\'s JCS cannot encode one)', async () => {
    const login = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: '\ud800', password: 'Secret2026' } });
    expect(login.statusCode).toBe(400);
    expect(login.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'username' });
    const admin = await p.as('catalogadmin');
    const body = { name: '测试证明', issuingDepartmentId: 'mas-mz', regionCode: '340500', legalBasis: '《测试条例》第一条\udc00', methods: ['data_sharing'] };
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers: admin, payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('legalBasis');
    // a pair is a character: 𠀀 (U+20000) passes
    const pair = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers: admin, payload: { ...body, name: '测试𠀀证明', legalBasis: '《测试条例》第一条' } });
    expect(pair.statusCode, pair.body).toBe(201);
    const query = await p.app.inject({ url: '/api/v1/proof-items?q=%ED%A0%80' });
    expect(query.statusCode).toBeLessThan(500);
  });

  it('refuses a body nested deeper than any route takes (even 200,000 levels) with the field where it happens, not a 500', async () => {
    const citizen = await p.as('citizen');
    const deepArray = `{"serviceItemCode":"340500-LSJZ","form":{"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/applications', headers: { ...citizen, 'content-type': 'application/json' }, payload: deepArray });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'REQUEST.INVALID', messageEn: 'Must not nest deeper than 32 levels' });
    expect(res.json().error.field).toMatch(/^form\.x(\.0)+$/);
    const deepObject = `{"document":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`;
    const verify = await p.app.inject({ method: 'POST', url: '/api/v1/licenses/verify', headers: { 'content-type': 'application/json' }, payload: deepObject });
    expect(verify.statusCode).toBe(400);
    expect(verify.json().error.field).toMatch(/^document(\.a)+$/);
    // ordinary nesting passes through to validation as before
    const shallow = await p.app.inject({ method: 'POST', url: '/api/v1/licenses/verify', headers: { 'content-type': 'application/json' }, payload: { document: { a: { b: { c: [1, [2, [3]]] } } } } });
    expect(shallow.statusCode).not.toBe(500);
    expect(shallow.json().error?.messageEn ?? '').not.toContain('nest deeper');
  });

  it('refuses page and version numbers beyond what the database holds with the field, not a 500', async () => {
    const citizen = await p.as('citizen');
    for (const [url, field] of [
      ['/api/v1/applications?page=1e300', 'querystring.page'], ['/api/v1/me/access-log?page=100001', 'querystring.page'],
      ['/api/v1/proof-items/ZM-MAS-HYZK?version=2147483648', 'querystring.version'], ['/api/v1/catalog/changelog?from=1&to=2147483648', 'querystring.to'],
      ['/api/v1/catalog/versions/2147483648', 'params.number'],
    ] as const) {
      const res = await p.app.inject({ url, headers: citizen });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.field, url).toBe(field);
    }
  });
});

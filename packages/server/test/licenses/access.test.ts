/**
 * Who may and may not call every licenses route: 401 without a session, 403 for every demo role
 * not allowed, success for the allowed ones, and the scope checks (department, holder) inside.
 * The table must cover every route in licenses/adapters/routes.ts (checked below).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { HOUSEHOLD, issueMarriage, MARRIAGE, marriageInput } from './helpers.ts';

const USERS = ['citizen', 'enterprise', 'agent', 'clerk', 'issuer', 'catalogadmin', 'dataadmin', 'supervisor', 'bank'] as const;
const ROLE_OF: Record<(typeof USERS)[number], string> = {
  citizen: 'applicant', enterprise: 'applicant', agent: 'agent', clerk: 'clerk', issuer: 'issuer', catalogadmin: 'catalog_admin', dataadmin: 'data_admin', supervisor: 'supervisor', bank: 'verifier',
};

let p: TestPlatform;
let ctx: { licenseId: string; householdId: string; grantId: string; gaLicenseId: string; mzCode: string; gaCode: string; presentation: string };
beforeAll(async () => {
  p = await createTestPlatform();
  const issued = await issueMarriage(p);
  const wallet = (await p.app.inject({ url: '/api/v1/me/licenses', headers: await p.as('citizen') })).json();
  const household = wallet.items.find((l: { licenseType: { code: string } }) => l.licenseType.code === HOUSEHOLD);
  const mz = await p.database.db.selectFrom('departments').select('uscc').where('id', '=', 'mas-mz').executeTakeFirstOrThrow();
  const ga = await p.database.db.selectFrom('departments').select('uscc').where('id', '=', 'mas-ga').executeTakeFirstOrThrow();
  const pres = (await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${issued.id}/presentations`, headers: await p.as('citizen'), payload: { fields: ['holderName'] } })).json();
  ctx = { licenseId: issued.id, householdId: household.id, grantId: household.grants[0].id, gaLicenseId: household.id, mzCode: mz.uscc, gaCode: ga.uscc, presentation: pres.text };
});
afterAll(async () => { await p?.close(); });

interface RouteCase { method: 'GET' | 'POST' | 'PUT' | 'PATCH'; pattern: string; url: () => string; roles: string[] | 'public'; body?: () => unknown }

const cases: RouteCase[] = [
  { method: 'GET', pattern: '/api/v1/license-types', url: () => '/api/v1/license-types', roles: 'public' },
  { method: 'GET', pattern: '/api/v1/license-types/:code', url: () => `/api/v1/license-types/${MARRIAGE}`, roles: 'public' },
  { method: 'POST', pattern: '/api/v1/admin/license-types', url: () => '/api/v1/admin/license-types', roles: ['data_admin'], body: () => ({ code: '11100000000013338W077', name: `测试证${Date.now()}`, definingAgencyName: '公安部', holderKind: '111', legalBasis: '《测试》', fields: [{ name: 'a', label: 'A', type: 'string', required: false, disclosable: true }], issuingDepartmentIds: ['mas-ga'], validity: { kind: 'none' } }) },
  { method: 'PATCH', pattern: '/api/v1/admin/license-types/:code', url: () => `/api/v1/admin/license-types/${MARRIAGE}`, roles: ['data_admin'], body: () => ({ description: '结婚证电子证照' }) },
  { method: 'PUT', pattern: '/api/v1/admin/license-types/:code/proof-items', url: () => `/api/v1/admin/license-types/${MARRIAGE}/proof-items`, roles: ['data_admin'], body: () => ({ proofItemIds: [] }) },
  { method: 'GET', pattern: '/api/v1/license-types/:code/batch-template.xlsx', url: () => `/api/v1/license-types/${MARRIAGE}/batch-template.xlsx`, roles: ['issuer', 'data_admin'] },
  { method: 'GET', pattern: '/api/v1/license-usage', url: () => '/api/v1/license-usage', roles: 'public' },
  { method: 'GET', pattern: '/api/v1/license-usage/export.xlsx', url: () => '/api/v1/license-usage/export.xlsx', roles: 'public' },
  { method: 'GET', pattern: '/api/v1/stats/license-association', url: () => '/api/v1/stats/license-association', roles: 'public' },
  { method: 'POST', pattern: '/api/v1/licenses/verify', url: () => '/api/v1/licenses/verify', roles: 'public', body: () => ({ identifier: 'x' }) },
  { method: 'GET', pattern: '/api/v1/issuers', url: () => '/api/v1/issuers', roles: 'public' },
  { method: 'GET', pattern: '/api/v1/issuers/:code/keys', url: () => `/api/v1/issuers/${ctx.mzCode}/keys`, roles: 'public' },
  { method: 'POST', pattern: '/api/v1/issuers/:code/keys/rotate', url: () => `/api/v1/issuers/${ctx.mzCode}/keys/rotate`, roles: ['issuer', 'data_admin'], body: () => ({}) },
  { method: 'GET', pattern: '/api/v1/issuers/:code/status-list', url: () => `/api/v1/issuers/${ctx.mzCode}/status-list`, roles: 'public' },
  { method: 'POST', pattern: '/api/v1/licenses', url: () => '/api/v1/licenses', roles: ['issuer'], body: () => marriageInput() },
  { method: 'POST', pattern: '/api/v1/licenses/batch', url: () => `/api/v1/licenses/batch?type=${MARRIAGE}`, roles: ['issuer'], body: () => ({}) },
  { method: 'GET', pattern: '/api/v1/licenses', url: () => '/api/v1/licenses', roles: ['issuer'] },
  { method: 'GET', pattern: '/api/v1/licenses/:id', url: () => `/api/v1/licenses/${ctx.licenseId}`, roles: ['issuer'] },
  { method: 'POST', pattern: '/api/v1/licenses/:id/status', url: () => `/api/v1/licenses/${ctx.licenseId}/status`, roles: ['issuer'], body: () => ({ action: 'suspend', reason: '测试' }) },
  { method: 'POST', pattern: '/api/v1/licenses/read-under-grant', url: () => '/api/v1/licenses/read-under-grant', roles: ['clerk', 'issuer'], body: () => ({ licenseId: ctx.householdId, serviceItemCode: '340500-HKQY', purpose: '测试' }) },
  { method: 'GET', pattern: '/api/v1/me/licenses', url: () => '/api/v1/me/licenses', roles: ['applicant'] },
  { method: 'GET', pattern: '/api/v1/me/licenses/:id/document', url: () => `/api/v1/me/licenses/${ctx.licenseId}/document`, roles: ['applicant'] },
  { method: 'POST', pattern: '/api/v1/me/licenses/:id/grants', url: () => `/api/v1/me/licenses/${ctx.licenseId}/grants`, roles: ['applicant'], body: () => ({ departmentId: 'mas-mz', serviceItemCode: '340500-JHDJ', validUntil: new Date(Date.now() + 86_400_000).toISOString() }) },
  { method: 'GET', pattern: '/api/v1/me/license-grants', url: () => '/api/v1/me/license-grants', roles: ['applicant'] },
  { method: 'POST', pattern: '/api/v1/me/license-grants/:id/revoke', url: () => `/api/v1/me/license-grants/${ctx.grantId}/revoke`, roles: ['applicant'] },
  { method: 'POST', pattern: '/api/v1/me/licenses/:id/presentations', url: () => `/api/v1/me/licenses/${ctx.licenseId}/presentations`, roles: ['applicant'], body: () => ({ fields: ['holderName'] }) },
  { method: 'GET', pattern: '/api/v1/verifiers', url: () => '/api/v1/verifiers', roles: ['applicant'] },
  { method: 'POST', pattern: '/api/v1/presentations/verify', url: () => '/api/v1/presentations/verify', roles: ['verifier', 'clerk', 'issuer'], body: () => ({ presentation: 'MZVP1.x' }) },
];

describe('every licenses route is in the access table', () => {
  it('matches routes.ts', () => {
    const text = fs.readFileSync(path.resolve(import.meta.dirname, '../../src/licenses/adapters/routes.ts'), 'utf8');
    const declared = [...text.matchAll(/app\.(get|post|put|patch|delete)\('([^']+)'/g)].map((m) => `${m[1]!.toUpperCase()} ${m[2]}`).sort();
    expect(cases.map((c) => `${c.method} ${c.pattern}`).sort()).toEqual(declared);
  });
});

describe.each(cases)('$method $pattern', (c) => {
  const send = async (user?: (typeof USERS)[number]) => p.app.inject({
    method: c.method, url: c.url(), headers: user ? await p.as(user) : {}, ...(c.body ? { payload: c.body() as object } : {}),
  });

  if (c.roles === 'public') {
    it('is public: no session needed', async () => {
      const res = await send();
      expect([401, 403]).not.toContain(res.statusCode);
      expect(res.statusCode).toBeLessThan(500);
    });
    return;
  }
  const roles = c.roles;
  it('401 without a session', async () => {
    const res = await send();
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH.REQUIRED');
  });
  for (const user of USERS) {
    const allowed = roles.includes(ROLE_OF[user]);
    it(`${user} (${ROLE_OF[user]}): ${allowed ? 'allowed' : '403'}`, async () => {
      const res = await send(user);
      if (allowed) {
        expect([401]).not.toContain(res.statusCode);
        if (res.statusCode === 403) expect(res.json().error.code).not.toBe('AUTH.FORBIDDEN'); // may still be out of scope
        expect(res.statusCode).toBeLessThan(500);
      } else {
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('AUTH.FORBIDDEN');
      }
    });
  }
});

describe('scope checks inside the allowed roles', () => {
  it('an issuer may not act on another department\'s license, key or type', async () => {
    const h = await p.as('issuer');
    expect((await p.app.inject({ method: 'POST', url: `/api/v1/licenses/${ctx.gaLicenseId}/status`, headers: h, payload: { action: 'suspend', reason: 'x1' } })).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect((await p.app.inject({ url: `/api/v1/licenses/${ctx.gaLicenseId}`, headers: h })).statusCode).toBe(403);
    expect((await p.app.inject({ method: 'POST', url: `/api/v1/issuers/${ctx.gaCode}/keys/rotate`, headers: h, payload: {} })).json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: h, payload: marriageInput({ typeCode: HOUSEHOLD }) })).json().error.code).toBe('LICENSE.ISSUER_NOT_AUTHORISED');
    expect((await p.app.inject({ method: 'POST', url: `/api/v1/issuers/${ctx.gaCode}/keys/rotate`, headers: await p.as('dataadmin'), payload: {} })).statusCode).toBe(201);
  });

  it('a holder may act only on their own licenses and grants', async () => {
    const h = await p.as('enterprise');
    expect((await p.app.inject({ url: `/api/v1/me/licenses/${ctx.licenseId}/document`, headers: h })).json().error.code).toBe('LICENSE.NOT_HOLDER');
    expect((await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${ctx.licenseId}/presentations`, headers: h, payload: { fields: [] } })).statusCode).toBe(403);
    expect((await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${ctx.licenseId}/grants`, headers: h, payload: { departmentId: 'mas-mz', serviceItemCode: '340500-JHDJ', validUntil: new Date(Date.now() + 86_400_000).toISOString() } })).statusCode).toBe(403);
    expect((await p.app.inject({ method: 'POST', url: `/api/v1/me/license-grants/${ctx.grantId}/revoke`, headers: h })).statusCode).toBe(404);
  });
});

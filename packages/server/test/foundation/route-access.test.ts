import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { ROLES, type Role } from '../../src/identity/domain/roles.ts';

/** A demo account holding each role. */
const USER_OF: Record<Role, string> = {
  applicant: 'citizen', agent: 'agent', clerk: 'clerk', issuer: 'issuer', catalog_admin: 'catalogadmin', data_admin: 'dataadmin', supervisor: 'supervisor', verifier: 'bank',
};

let p: TestPlatform;
let protectedRoutes: { method: string; url: string; roles: Role[] }[] = [];
/** operations whose description names their roles more than once (a GET and its HEAD twin share one schema) */
const repeatedRoles: string[] = [];
beforeAll(async () => {
  p = await createTestPlatform();
  const doc = (await p.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { description?: string }>> };
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if ((op.description ?? '').split('Roles: ').length > 2) repeatedRoles.push(`${method} ${path}`);
      const m = /Roles: ([\w, ]+)$/.exec(op.description ?? '');
      if (m) protectedRoutes.push({ method: method.toUpperCase(), url: path.replace(/\{[^}]+\}/g, 'x1'), roles: m[1]!.split(', ') as Role[] });
    }
  }
});
afterAll(async () => { await p?.close(); });

/**
 * Every route that declares roles, read from the OpenAPI document (so a new route is
 * covered the day it is added): no session → 401, a role it does not allow → 403,
 * both before its input is validated.
 */
describe('who may call every protected route', () => {
  it('finds the protected routes, each naming its roles once', () => {
    expect(protectedRoutes.length).toBeGreaterThan(50);
    expect(repeatedRoles).toEqual([]);
  });

  it('answers 401 without a session and 403 to a role not allowed, before validating input', async () => {
    const failures: string[] = [];
    for (const r of protectedRoutes) {
      const payload = ['POST', 'PUT', 'PATCH'].includes(r.method) ? { unexpected: true } : undefined;
      const anon = await p.app.inject({ method: r.method as 'GET', url: r.url, payload });
      if (anon.statusCode !== 401 || anon.json().error?.code !== 'AUTH.REQUIRED') failures.push(`${r.method} ${r.url} anonymous → ${anon.statusCode}`);
      const outsider = ROLES.find((role) => !r.roles.includes(role));
      if (!outsider) continue;
      const res = await p.app.inject({ method: r.method as 'GET', url: r.url, payload, headers: await p.as(USER_OF[outsider]) });
      if (res.statusCode !== 403) failures.push(`${r.method} ${r.url} as ${outsider} → ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });
});

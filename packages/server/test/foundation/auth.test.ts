import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

const login = (username: string, password: string, ip = '10.0.0.1') =>
  p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });

describe('sign in and sessions', () => {
  it('gives an httpOnly cookie and a bearer token that both identify the user', async () => {
    const res = await login('clerk', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'clerk', roles: ['clerk'], departmentId: 'mas-ga', departmentName: '马鞍山市公安局' });
    expect(body.user.password_hash).toBeUndefined();
    const cookie = res.cookies.find((c) => c.name === 'mz_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const viaCookie = await p.app.inject({ url: '/api/v1/auth/me', cookies: { mz_session: cookie.value } });
    expect(viaCookie.json().username).toBe('clerk');
    const viaBearer = await p.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(viaBearer.json().username).toBe('clerk');
  });

  it('refuses wrong passwords and unknown users alike', async () => {
    const wrong = await login('citizen', 'nope', '10.0.0.2');
    const unknown = await login('nobody', 'nope', '10.0.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('AUTH.INVALID_CREDENTIALS');
    expect(unknown.json().error.code).toBe('AUTH.INVALID_CREDENTIALS');
  });

  it('throttles a username after five failures, even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login('dataadmin', 'wrong', `10.1.0.${i}`)).statusCode).toBe(401);
    const locked = await login('dataadmin', DEMO_PASSWORD, '10.1.0.99');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('AUTH.THROTTLED');
  });

  it('does not check passwords beyond the limit when wrong guesses arrive at once (the attempt is reserved atomically)', async () => {
    // 30 wrong guesses for one username sent at once, from different addresses (the per-address limit plays no part)
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => login('agent', `wrong-${i}`, `10.77.0.${i + 1}`)));
    const codes = results.map((r) => r.json().error.code);
    // every AUTH.INVALID_CREDENTIALS is a password actually tried
    expect(codes.filter((c) => c === 'AUTH.INVALID_CREDENTIALS')).toHaveLength(5);
    expect(codes.filter((c) => c === 'AUTH.THROTTLED')).toHaveLength(25);
    expect((await login('agent', DEMO_PASSWORD, '10.77.1.1')).json().error.code).toBe('AUTH.THROTTLED');
  });

  it('simultaneous correct sign-ins of one account all succeed: beyond the five places they wait their turn, none is refused', async () => {
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => login('catalogadmin', DEMO_PASSWORD, `10.79.0.${i + 1}`)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(16).fill(200));
    expect(new Set(results.map((r) => r.json().token)).size).toBe(16);
    // from one address too
    const same = await Promise.all(Array.from({ length: 8 }, () => login('catalogadmin', DEMO_PASSWORD, '10.79.1.1')));
    expect(same.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
  });

  it('after four failures, simultaneous correct sign-ins still all succeed, and the count is reset', async () => {
    for (let i = 0; i < 4; i++) expect((await login('supervisor', 'wrong', `10.80.0.${i}`)).statusCode).toBe(401);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => login('supervisor', DEMO_PASSWORD, `10.80.1.${i}`)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    for (let i = 0; i < 4; i++) expect((await login('supervisor', 'wrong', `10.80.2.${i}`)).statusCode).toBe(401);
    expect((await login('supervisor', DEMO_PASSWORD, '10.80.3.1')).statusCode).toBe(200);
  });

  it('wrong guesses waiting their turn are still refused unchecked once five have failed, and so is the right password after them', async () => {
    // a staff account of its own (the demo clerk's password hash), so the lock touches no other test
    const clerk = await p.database.db.selectFrom('accounts').selectAll().where('username', '=', 'clerk').executeTakeFirstOrThrow();
    await p.database.db.insertInto('accounts').values({ ...clerk, id: '00000000-0000-4000-8000-00000000a081', username: 'clerk81', created_at: undefined }).execute();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login('clerk81', `wrong-${i}`, `10.81.0.${i + 1}`)));
    expect(results.filter((r) => r.json().error?.code === 'AUTH.INVALID_CREDENTIALS')).toHaveLength(5);
    expect(results.filter((r) => r.json().error?.code === 'AUTH.THROTTLED')).toHaveLength(7);
    const late = await Promise.all(Array.from({ length: 3 }, (_, i) => login('clerk81', DEMO_PASSWORD, `10.81.1.${i + 1}`)));
    expect(late.map((r) => r.json().error?.code)).toEqual(['AUTH.THROTTLED', 'AUTH.THROTTLED', 'AUTH.THROTTLED']);
  });

  it('a success resets the username\'s count, and successes do not use up an address\'s fifty', async () => {
    for (let i = 0; i < 4; i++) expect((await login('enterprise', 'wrong', '10.78.0.1')).statusCode).toBe(401);
    expect((await login('enterprise', DEMO_PASSWORD, '10.78.0.1')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login('enterprise', 'wrong', '10.78.0.1')).statusCode).toBe(401);
    expect((await login('enterprise', DEMO_PASSWORD, '10.78.0.1')).statusCode).toBe(200);
    // each success gives back the place it took in the address's count
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await login('bank', DEMO_PASSWORD, '10.78.0.2')).statusCode);
    expect(statuses).toEqual(Array(60).fill(200));
  });

  it('logout ends the session', async () => {
    const token = (await login('issuer', DEMO_PASSWORD, '10.0.0.3')).json().token;
    const headers = { authorization: `Bearer ${token}` };
    expect((await p.app.inject({ url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers })).statusCode).toBe(204);
    const after = await p.app.inject({ url: '/api/v1/auth/me', headers });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('AUTH.REQUIRED');
  });

  it('a garbage token is no session', async () => {
    const res = await p.app.inject({ url: '/api/v1/auth/me', headers: { authorization: 'Bearer not-a-token' } });
    expect(res.statusCode).toBe(401);
  });

  it('records sign-ins in the audit chain', async () => {
    const rows = await p.database.db.selectFrom('audit_log').select(['action']).where('action', '=', 'auth.login').execute();
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('who may call what', () => {
  const adminRoutes: [string, string, unknown?][] = [
    ['GET', '/api/v1/admin/catalog/draft'],
    ['POST', '/api/v1/admin/catalog/publish', { note: 'x' }],
    ['POST', '/api/v1/admin/catalog/proof-items', { name: 'x', issuingDepartmentId: 'mas-ga', regionCode: '340500', legalBasis: 'x', methods: ['cancelled'] }],
    ['PATCH', '/api/v1/admin/catalog/proof-items/ZM-MAS-HYZK', { notes: 'x' }],
    ['DELETE', '/api/v1/admin/catalog/proof-items/ZM-MAS-HYZK'],
    ['POST', '/api/v1/admin/catalog/import'],
  ];
  it.each(adminRoutes)('%s %s: 401 without a session, 403 for other roles', async (method, url, payload) => {
    const anon = await p.app.inject({ method: method as 'GET', url, payload: payload as object });
    expect(anon.statusCode).toBe(401);
    for (const user of ['citizen', 'clerk', 'supervisor', 'bank']) {
      const res = await p.app.inject({ method: method as 'GET', url, payload: payload as object, headers: await p.as(user) });
      expect(res.statusCode, user).toBe(403);
      expect(res.json().error.code).toBe('AUTH.FORBIDDEN');
    }
  });
  it('the audit chain check is for supervisors only', async () => {
    expect((await p.app.inject({ url: '/api/v1/audit/verify' })).statusCode).toBe(401);
    expect((await p.app.inject({ url: '/api/v1/audit/verify', headers: await p.as('catalogadmin') })).statusCode).toBe(403);
    const ok = await p.app.inject({ url: '/api/v1/audit/verify', headers: await p.as('supervisor') });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true });
  });
  it('public reads need no session', async () => {
    for (const url of ['/api/health', '/api/v1/regions', '/api/v1/departments', '/api/v1/proof-items', '/api/v1/service-items', '/api/v1/catalog/versions', '/api/v1/catalog/changelog']) {
      expect((await p.app.inject({ url })).statusCode, url).toBe(200);
    }
  });
  it('the access log is personal and needs a session', async () => {
    expect((await p.app.inject({ url: '/api/v1/me/access-log' })).statusCode).toBe(401);
    const res = await p.app.inject({ url: '/api/v1/me/access-log', headers: await p.as('citizen') });
    expect(res.statusCode).toBe(200);
  });
});

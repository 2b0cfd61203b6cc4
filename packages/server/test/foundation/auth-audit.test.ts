import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountId, createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

const login = (username: string, password: string, ip = '10.0.0.1') =>
  p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });
const auditOf = (action: string, subjectId: string) => p.database.db.selectFrom('audit_log').select(['action', 'actor_id', 'subject_type', 'subject_id'])
  .where('action', '=', action).where('subject_id', '=', subjectId).execute();

describe('security events in the audit chain', () => {
  it('a failed sign-in is audited on the account, or (a name no account has) on the client address, the name not in clear', async () => {
    expect((await login('citizen', 'wrong-1', '10.2.0.1')).statusCode).toBe(401);
    const citizen = await accountId(p, 'citizen');
    expect(await auditOf('auth.login_failed', citizen)).toEqual([{ action: 'auth.login_failed', actor_id: citizen, subject_type: 'account', subject_id: citizen }]);
    expect((await login('NoSuchUser', 'wrong', '10.2.0.1')).statusCode).toBe(401);
    expect(await auditOf('auth.login_failed', '10.2.0.1')).toEqual([{ action: 'auth.login_failed', actor_id: null, subject_type: 'client_address', subject_id: '10.2.0.1' }]);
    const stored = await p.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login_failed').execute();
    expect(JSON.stringify(stored)).not.toContain('NoSuchUser');
  });

  it('the failure that locks a username is audited as a lockout; attempts refused while locked add nothing', async () => {
    const clerk = await accountId(p, 'clerk');
    for (let i = 0; i < 5; i++) expect((await login('clerk', `wrong-${i}`, `10.3.0.${i}`)).statusCode).toBe(401);
    for (let i = 0; i < 3; i++) expect((await login('clerk', DEMO_PASSWORD, '10.3.1.1')).statusCode).toBe(429);
    expect(await auditOf('auth.login_failed', clerk)).toHaveLength(5);
    expect(await auditOf('auth.lockout', clerk)).toHaveLength(1);
  });

  it('a sign-out is audited; signing out without a live session is not', async () => {
    const issuer = await accountId(p, 'issuer');
    const token = (await login('issuer', DEMO_PASSWORD, '10.4.0.1')).json().token as string;
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204);
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204);
    expect(await auditOf('auth.logout', issuer)).toEqual([{ action: 'auth.logout', actor_id: issuer, subject_type: 'account', subject_id: issuer }]);
    const chain = await p.app.inject({ url: '/api/v1/audit/verify', headers: await p.as('supervisor') });
    expect(chain.json()).toMatchObject({ ok: true });
  });

  it('sign-out clears the cookie with the attributes it was set with (HttpOnly, SameSite=Strict)', async () => {
    const res = await login('enterprise', DEMO_PASSWORD, '10.4.0.2');
    const cookie = res.cookies.find((c) => c.name === 'mz_session')!;
    const out = await p.app.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies: { mz_session: cookie.value } });
    expect(out.cookies.find((c) => c.name === 'mz_session')).toMatchObject({ value: '', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect((await p.app.inject({ url: '/api/v1/auth/me', cookies: { mz_session: cookie.value } })).statusCode).toBe(401);
  });
});

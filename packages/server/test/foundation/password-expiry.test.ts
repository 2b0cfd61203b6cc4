import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { passwordExpired } from '../../src/identity/domain/password-age.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';
import { accountId, createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/**
 * 等保 2.0 定期更换 (PASSWORD_MAX_AGE_DAYS, 90 by default): a staff-side account whose password is
 * older may sign in, but its session may only read itself, change the password and sign out.
 */
let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

const DAY = 86_400_000;
const NEW = 'Renewed#2026';
let nextId = 1;

/** A staff account of its own (a copy of a demo account's row) whose password was set `daysAgo` days ago. */
async function staffWithPasswordAge(username: string, daysAgo: number, like = 'clerk'): Promise<string> {
  const model = await p.database.db.selectFrom('accounts').selectAll().where('username', '=', like).executeTakeFirstOrThrow();
  const id = `00000000-0000-4000-8000-${String(0xe00 + nextId++).padStart(12, '0')}`;
  await p.database.db.insertInto('accounts').values({
    ...model, id, username, created_at: undefined, id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, uscc_hash: null,
    password_changed_at: new Date(Date.now() - daysAgo * DAY),
  }).execute();
  return id;
}
const login = (username: string, password = DEMO_PASSWORD, ip = '10.30.0.1') =>
  p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });
const signIn = async (username: string, password = DEMO_PASSWORD) => {
  const res = await login(username, password);
  expect(res.statusCode, res.body).toBe(200);
  return { token: res.json().token as string, user: res.json().user };
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const auditOf = (action: string, subjectId: string) => p.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('subject_id', '=', subjectId).execute();

describe('an expired password (staff)', () => {
  it('signs in, says so, and is audited once per sign-in', async () => {
    const id = await staffWithPasswordAge('clerkexpired', 91);
    const { token, user } = await signIn('clerkexpired');
    expect(user).toMatchObject({ username: 'clerkexpired', passwordExpired: true });
    const me = await p.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'clerkexpired', passwordExpired: true });
    // requests add no entries; a second sign-in adds one
    await p.app.inject({ url: '/api/v1/workbench/applications', headers: bearer(token) });
    expect(await auditOf('auth.password_expired', id)).toHaveLength(1);
    await signIn('clerkexpired');
    expect(await auditOf('auth.password_expired', id)).toHaveLength(2);
  });

  it('reaches no route but reading itself, changing the password and signing out: 403 AUTH.PASSWORD_EXPIRED, before input is validated', async () => {
    await staffWithPasswordAge('clerkroutes', 120);
    const { token } = await signIn('clerkroutes');
    const doc = (await p.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const allowed = new Set(['GET /api/v1/auth/me', 'POST /api/v1/auth/password', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/logout-all', 'POST /api/v1/auth/login']);
    const failures: string[] = [];
    let refused = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops).map((m) => m.toUpperCase())) {
        if (method === 'HEAD' || allowed.has(`${method} ${path}`)) continue;
        const res = await p.app.inject({ method: method as 'GET', url: path.replace(/\{[^}]+\}/g, 'x1'), headers: bearer(token) });
        if (res.statusCode !== 403 || res.json().error?.code !== 'AUTH.PASSWORD_EXPIRED') failures.push(`${method} ${path} → ${res.statusCode}`);
        else refused++;
      }
    }
    expect(failures).toEqual([]);
    // public routes (the catalog) and the clerk's own alike
    expect(refused).toBeGreaterThan(60);
    const res = await p.app.inject({ url: '/api/v1/workbench/applications', headers: bearer(token) });
    expect(res.json().error).toMatchObject({ code: 'AUTH.PASSWORD_EXPIRED', details: { maxAgeDays: 90 } });
    expect(res.json().error.message).toContain('90 天');
    expect(res.json().error.messageEn).toMatch(/more than 90 days old/);
    // the session itself stays
    expect((await p.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(200);
  });

  it('changing the password lifts it at once for this session, and the next sign-in is not restricted', async () => {
    const id = await staffWithPasswordAge('clerkrenew', 200);
    const { token } = await signIn('clerkrenew');
    expect((await p.app.inject({ url: '/api/v1/workbench/applications', headers: bearer(token) })).statusCode).toBe(403);
    // the change goes through the usual checks: a wrong current password, a reused new one
    const change = (payload: object) => p.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(token), payload });
    expect((await change({ currentPassword: 'Wrong#2026x', newPassword: NEW })).json().error.code).toBe('AUTH.WRONG_PASSWORD');
    expect((await change({ currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD })).json().error.details).toEqual({ reason: 'reused' });
    const res = await change({ currentPassword: DEMO_PASSWORD, newPassword: NEW });
    expect(res.statusCode, res.body).toBe(200);

    const work = await p.app.inject({ url: '/api/v1/workbench/applications', headers: bearer(token) });
    expect(work.statusCode, work.body).toBe(200);
    const me = (await p.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).json();
    expect(me.passwordExpired).toBeUndefined();
    const again = await signIn('clerkrenew', NEW);
    expect(again.user.passwordExpired).toBeUndefined();
    expect(await auditOf('auth.password_expired', id)).toHaveLength(1);
    const row = await p.database.db.selectFrom('accounts').select('password_changed_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(Date.now() - new Date(row.password_changed_at).getTime()).toBeLessThan(60_000);
  });

  it('may sign out, everywhere too', async () => {
    await staffWithPasswordAge('clerkleave', 95);
    const first = await signIn('clerkleave');
    const second = await signIn('clerkleave');
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(first.token) })).statusCode).toBe(204);
    const all = await p.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: bearer(second.token) });
    expect(all.statusCode).toBe(200);
    expect((await p.app.inject({ url: '/api/v1/auth/me', headers: bearer(second.token) })).statusCode).toBe(401);
  });

  it('a password younger than the maximum age restricts nothing', async () => {
    await staffWithPasswordAge('clerkyoung', 89);
    const { token, user } = await signIn('clerkyoung');
    expect(user.passwordExpired).toBeUndefined();
    expect((await p.app.inject({ url: '/api/v1/workbench/applications', headers: bearer(token) })).statusCode).toBe(200);
  });

  it('applies to every staff-side role — an agent (帮办代办) too — but not to applicants, citizens or enterprises', async () => {
    await staffWithPasswordAge('agentexpired', 100, 'agent');
    const agent = await signIn('agentexpired');
    expect(agent.user.passwordExpired).toBe(true);
    expect((await p.app.inject({ url: '/api/v1/applications', headers: bearer(agent.token) })).json().error.code).toBe('AUTH.PASSWORD_EXPIRED');

    const old = new Date(Date.now() - 400 * DAY);
    await p.database.db.updateTable('accounts').set({ password_changed_at: old }).where('username', 'in', ['citizen', 'enterprise']).execute();
    for (const username of ['citizen', 'enterprise']) {
      const { token, user } = await signIn(username);
      expect(user.passwordExpired, username).toBeUndefined();
      expect((await p.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).json().passwordExpired, username).toBeUndefined();
      const licenses = await p.app.inject({ url: '/api/v1/me/licenses', headers: bearer(token) });
      expect(licenses.statusCode, `${username} ${licenses.body}`).toBe(200);
      const ids = await accountId(p, username);
      expect(await auditOf('auth.password_expired', ids)).toEqual([]);
    }
  });
});

describe('PASSWORD_MAX_AGE_DAYS', () => {
  it('is 90 by default, 0 turns expiry off, and anything else but a day count stops the start', () => {
    expect(loadConfig({}).passwordMaxAgeDays).toBe(90);
    expect(loadConfig({ PASSWORD_MAX_AGE_DAYS: '0' }).passwordMaxAgeDays).toBe(0);
    expect(loadConfig({ PASSWORD_MAX_AGE_DAYS: '30' }).passwordMaxAgeDays).toBe(30);
    for (const bad of ['-1', '1.5', 'ninety', '3651']) expect(() => loadConfig({ PASSWORD_MAX_AGE_DAYS: bad }), bad).toThrow(ConfigError);
  });

  it('counts whole days from when the password was set; staff-side roles only; 0 = never', () => {
    const now = new Date('2026-06-30T00:00:00Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);
    expect(passwordExpired(['clerk'], daysAgo(90), now, 90)).toBe(false);
    expect(passwordExpired(['clerk'], new Date(daysAgo(90).getTime() - 1), now, 90)).toBe(true);
    expect(passwordExpired(['supervisor'], daysAgo(31), now, 30)).toBe(true);
    expect(passwordExpired(['verifier'], daysAgo(31), now, 30)).toBe(true);
    expect(passwordExpired(['applicant'], daysAgo(1000), now, 30)).toBe(false);
    expect(passwordExpired(['clerk'], daysAgo(1000), now, 0)).toBe(false);
  });
});

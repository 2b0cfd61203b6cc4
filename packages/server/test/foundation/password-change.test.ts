import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize, identityNumberCheckChar } from '@mianzheng/crypto';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';
import { sha256Hex, sm3Hex } from '../../src/shared/hash.ts';
import { hashPassword } from '../../src/identity/adapters/password-hasher.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

const OLD = 'Old#Pass2026';
const NEW = 'New#Pass2027';
let nextId = 100;

/** A self-registered applicant of its own (not verified yet), so no test changes a demo account's password. */
const register = async (username: string, password = OLD) => {
  const first17 = `34050319850101${String(nextId++).padStart(3, '0')}`;
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { username, password, displayName: '改密者', kind: 'person', idNumber: first17 + identityNumberCheckChar(first17) } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};
const login = (username: string, password: string, ip = '10.9.0.1') =>
  p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });
const signIn = async (username: string, password = OLD, ip = '10.9.0.1') => {
  const res = await login(username, password, ip);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().token as string;
};
const me = (token: string) => p.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
const change = (token: string | undefined, payload: object, ip?: string) => p.app.inject({
  method: 'POST', url: '/api/v1/auth/password', payload, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}), ...(ip ? { remoteAddress: ip } : {}),
});
const hashOf = async (id: string) => (await p.database.db.selectFrom('accounts').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow()).password_hash;
const auditOf = (action: string, subjectId: string) => p.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('subject_id', '=', subjectId).execute();

describe('修改密码 POST /api/v1/auth/password: who may call it', () => {
  it('needs a session, and says so before looking at the body', async () => {
    for (const payload of [{ currentPassword: OLD, newPassword: NEW }, { unexpected: true }]) {
      const res = await change(undefined, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(401);
      expect(res.json().error.code).toBe('AUTH.REQUIRED');
    }
    const garbage = await change('not-a-token', { currentPassword: OLD, newPassword: NEW });
    expect(garbage.statusCode).toBe(401);
  });

  it('is open to any signed-in account: an applicant not verified yet, and staff', async () => {
    await register('pwfresh');
    const fresh = await signIn('pwfresh');
    const res = await change(fresh, { currentPassword: OLD, newPassword: NEW });
    expect(res.statusCode, res.body).toBe(200);
    // a staff account of its own (the demo clerk's row), so no other test's demo password changes
    const clerk = await p.database.db.selectFrom('accounts').selectAll().where('username', '=', 'clerk').executeTakeFirstOrThrow();
    await p.database.db.insertInto('accounts').values({ ...clerk, id: '00000000-0000-4000-8000-00000000b001', username: 'clerkpw', created_at: undefined }).execute();
    const staff = await signIn('clerkpw', DEMO_PASSWORD);
    const staffRes = await change(staff, { currentPassword: DEMO_PASSWORD, newPassword: NEW });
    expect(staffRes.statusCode, staffRes.body).toBe(200);
    expect((await login('clerkpw', NEW, '10.9.0.2')).statusCode).toBe(200);
  });
});

describe('修改密码: the change', () => {
  it('replaces the password, ends every other session of the account (this one stays) and is audited without password material', async () => {
    const id = await register('pwchange');
    const [current, second, third] = [await signIn('pwchange', OLD, '10.9.1.1'), await signIn('pwchange', OLD, '10.9.1.2'), await signIn('pwchange', OLD, '10.9.1.3')];
    const bystander = await p.tokenOf('citizen');
    // all in this instance's session cache
    for (const t of [current, second, third, bystander]) expect((await me(t)).statusCode).toBe(200);
    const before = await hashOf(id);

    const res = await change(current, { currentPassword: OLD, newPassword: NEW });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ended: 2 });

    expect((await me(current)).statusCode).toBe(200);
    for (const t of [second, third]) {
      const ended = await me(t);
      expect(ended.statusCode).toBe(401);
      expect(ended.json().error.code).toBe('AUTH.REQUIRED');
    }
    expect((await me(bystander)).statusCode).toBe(200);
    expect(await hashOf(id)).not.toBe(before);
    expect((await login('pwchange', OLD, '10.9.1.4')).json().error.code).toBe('AUTH.INVALID_CREDENTIALS');
    expect((await login('pwchange', NEW, '10.9.1.5')).statusCode).toBe(200);

    const audit = await auditOf('auth.password_change', id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: id, subject_type: 'account', subject_id: id });
    // the entry keeps a digest of its change: exactly the session that made it, how many others ended and the address — no password material
    const entry = { sessionId: sha256Hex(current).slice(0, 16), otherSessionsEnded: 2, clientAddress: '127.0.0.1' };
    expect(audit[0]!.change_digest).toBe(sm3Hex(canonicalize(entry)));
    const chain = await p.app.inject({ url: '/api/v1/audit/verify', headers: await p.as('supervisor') });
    expect(chain.json()).toMatchObject({ ok: true });
  });

  it('refuses a new password that breaks the password rule, with the reason, and changes nothing', async () => {
    const id = await register('pwweak');
    const token = await signIn('pwweak');
    const before = await hashOf(id);
    for (const [newPassword, reason] of [['Ab1!', 'too_short'], ['abcdefgh12', 'too_few_classes'], ['xPWWEAKx#2026', 'contains_username']] as const) {
      const res = await change(token, { currentPassword: OLD, newPassword });
      expect(res.statusCode, newPassword).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'newPassword', details: { reason } });
    }
    expect(await hashOf(id)).toBe(before);
    expect(await auditOf('auth.password_change', id)).toEqual([]);
    expect((await login('pwweak', OLD, '10.9.2.1')).statusCode).toBe(200);
  });

  it('refuses a new password equal to the current one (reason `reused`), and ends no session', async () => {
    const id = await register('pwsame');
    const token = await signIn('pwsame', OLD, '10.9.3.1');
    const other = await signIn('pwsame', OLD, '10.9.3.2');
    const res = await change(token, { currentPassword: OLD, newPassword: OLD });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'newPassword', details: { reason: 'reused' } });
    expect((await me(other)).statusCode).toBe(200);
    expect(await auditOf('auth.password_change', id)).toEqual([]);
  });

  it('refuses a body without the current password with the field', async () => {
    await register('pwbody');
    const token = await signIn('pwbody');
    const res = await change(token, { newPassword: NEW });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'currentPassword' });
  });
});

describe('修改密码: password history', () => {
  it('refuses any of the last five passwords, the current one included (reason `reused`, in both languages); the sixth back is allowed again', async () => {
    const id = await register('pwhistory');
    const token = await signIn('pwhistory', OLD, '10.9.10.1');
    const [p1, p2, p3, p4, p5] = ['First#2026a', 'Second#2026b', 'Third#2026c', 'Fourth#2026d', 'Fifth#2026e'];
    let current = OLD;
    for (const next of [p1, p2, p3, p4]) {
      const res = await change(token, { currentPassword: current, newPassword: next });
      expect(res.statusCode, res.body).toBe(200);
      current = next!;
    }
    // the last five: p4 (current), p3, p2, p1, OLD
    for (const again of [p4, p3, p2, p1, OLD]) {
      const res = await change(token, { currentPassword: current, newPassword: again });
      expect(res.statusCode, again).toBe(400);
      const error = res.json().error;
      expect(error, again).toMatchObject({ code: 'REQUEST.INVALID', field: 'newPassword', details: { reason: 'reused' } });
      expect(error.message).toContain('最近 5 次');
      expect(error.messageEn).toMatch(/last 5 passwords/);
    }
    expect((await login('pwhistory', p4!, '10.9.10.2')).statusCode).toBe(200);
    expect((await change(token, { currentPassword: p4, newPassword: p5 })).statusCode).toBe(200);
    // now the last five are p5 … p1: the first password may be used again
    expect((await change(token, { currentPassword: p5, newPassword: OLD })).statusCode).toBe(200);
    expect((await login('pwhistory', OLD, '10.9.10.3')).statusCode).toBe(200);

    // kept: the four before the current one, as scrypt hashes only
    const kept = await p.database.db.selectFrom('password_history').select('password_hash').where('account_id', '=', id).orderBy('id').execute();
    expect(kept).toHaveLength(4);
    for (const { password_hash } of kept) {
      expect(password_hash).toMatch(/^scrypt\$/);
      for (const plain of [OLD, p1, p2, p3, p4, p5]) expect(password_hash).not.toContain(plain);
    }
  });
});

describe('修改密码: a wrong current password', () => {
  it('changes nothing, is audited, and counts like a failed sign-in: the fifth locks the username (429), sign-in too', async () => {
    const id = await register('pwwrong');
    const token = await signIn('pwwrong', OLD, '10.9.4.1');
    const other = await signIn('pwwrong', OLD, '10.9.4.2');
    const before = await hashOf(id);
    for (let i = 0; i < 5; i++) {
      const res = await change(token, { currentPassword: `Wrong#${i}x2026`, newPassword: NEW });
      expect(res.statusCode, `attempt ${i + 1}`).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'AUTH.WRONG_PASSWORD', field: 'currentPassword' });
    }
    expect(await hashOf(id)).toBe(before);
    expect((await me(other)).statusCode).toBe(200);
    expect(await auditOf('auth.password_change', id)).toEqual([]);
    expect(await auditOf('auth.password_change_failed', id)).toHaveLength(5);
    expect(await auditOf('auth.lockout', id)).toHaveLength(1);

    // locked: the right current password is refused unchecked, and so is a sign-in
    const locked = await change(token, { currentPassword: OLD, newPassword: NEW });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toMatchObject({ code: 'AUTH.THROTTLED', field: 'currentPassword' });
    expect((await login('pwwrong', OLD, '10.9.4.3')).json().error.code).toBe('AUTH.THROTTLED');
    expect(await hashOf(id)).toBe(before);
    expect(await auditOf('auth.password_change_failed', id)).toHaveLength(5);
    // the sessions stay: the lock is on guessing, not on the account
    expect((await me(token)).statusCode).toBe(200);
    expect((await me(other)).statusCode).toBe(200);
  });

  it('shares the username\'s counter with sign-in; the right current password resets it', async () => {
    await register('pwshared');
    const token = await signIn('pwshared', OLD, '10.9.5.1');
    for (let i = 0; i < 2; i++) expect((await login('pwshared', 'wrong', `10.9.5.${10 + i}`)).statusCode).toBe(401);
    for (let i = 0; i < 2; i++) expect((await change(token, { currentPassword: 'wrong', newPassword: NEW })).statusCode).toBe(403);
    // four failures so far, two each way: a right current password resets the count …
    expect((await change(token, { currentPassword: OLD, newPassword: NEW })).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login('pwshared', 'wrong', `10.9.5.${20 + i}`)).statusCode).toBe(401);
    // … so four more are not yet a lock; the fifth, through 修改密码, is
    expect((await change(token, { currentPassword: OLD, newPassword: 'Third#Pass2028' })).statusCode).toBe(403);
    expect((await login('pwshared', NEW, '10.9.5.30')).json().error.code).toBe('AUTH.THROTTLED');
  });
});

describe('修改密码: wrong current passwords count against the client address too', () => {
  it('one address cannot cycle through accounts: the fiftieth wrong password from it locks the address, 修改密码 and sign-in alike; another address is unaffected', async () => {
    const ip = '10.9.8.1';
    const tokens: string[] = [];
    // ten accounts, each signed in elsewhere; from one address, five wrong current passwords each (each username locks at its fifth)
    for (let a = 0; a < 10; a++) {
      await register(`pwcycle${a}`);
      tokens.push(await signIn(`pwcycle${a}`, OLD, `10.9.7.${a + 1}`));
    }
    for (const [a, token] of tokens.entries()) {
      for (let i = 0; i < 5; i++) {
        const res = await change(token, { currentPassword: `Wrong#${i}x2026`, newPassword: NEW }, ip);
        expect(res.statusCode, `account ${a} attempt ${i + 1}`).toBe(403);
        expect(res.json().error.code).toBe('AUTH.WRONG_PASSWORD');
      }
    }
    // an eleventh account, never wrong: from that address even its right current password is refused unchecked …
    const id = await register('pwcycle10');
    const fresh = await signIn('pwcycle10', OLD, '10.9.7.11');
    const refused = await change(fresh, { currentPassword: OLD, newPassword: NEW }, ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'AUTH.THROTTLED', field: 'currentPassword' });
    expect(await auditOf('auth.password_change_failed', id)).toEqual([]);
    // … and so is a sign-in from it
    expect((await login('pwcycle10', OLD, ip)).json().error.code).toBe('AUTH.THROTTLED');
    const lock = await auditOf('auth.lockout', ip);
    expect(lock).toHaveLength(1);
    expect(lock[0]).toMatchObject({ subject_type: 'client_address' });
    // from another address the same change goes through
    const res = await change(fresh, { currentPassword: OLD, newPassword: NEW }, '10.9.8.2');
    expect(res.statusCode, res.body).toBe(200);
  });

  it('a right current password gives back its place in the address\'s counter', async () => {
    const ip = '10.9.9.1';
    await register('pwgive');
    const token = await signIn('pwgive', OLD, '10.9.9.2');
    let current = OLD;
    for (let i = 0; i < 3; i++) {
      const next = `Give#${i}x2026`;
      expect((await change(token, { currentPassword: current, newPassword: next }, ip)).statusCode).toBe(200);
      current = next;
    }
    const row = await p.database.db.selectFrom('login_attempts').select('failures').where('key', '=', `addr:${ip}`).executeTakeFirstOrThrow();
    expect(row.failures).toBe(0);
  });
});

describe('修改密码 and a sign-in checked before it', () => {
  it('a sign-in that checked the old password while it was being changed gets no session: the change wins', async () => {
    const id = await register('pwrace');
    const token = await signIn('pwrace', OLD, '10.9.6.1');
    const db = p.database.db;
    // the stored hash made costly (the same password), so the sign-in below is still checking it while the change runs
    await db.updateTable('accounts').set({ password_hash: await hashPassword(OLD, 1 << 16) }).where('id', '=', id).execute();
    let settled = false;
    const racing = login('pwrace', OLD, '10.9.6.2').finally(() => { settled = true; });
    // it has read the hash once its place in its address's counter is taken (the read follows at once)
    while (!(await db.selectFrom('login_attempts').select('key').where('key', '=', 'addr:10.9.6.2').executeTakeFirst())) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 30));
    // the same password cheaply hashed again (no change yet), so the change is checked and done while the sign-in still hashes
    await db.updateTable('accounts').set({ password_hash: await hashPassword(OLD, 1024) }).where('id', '=', id).execute();
    const res = await change(token, { currentPassword: OLD, newPassword: NEW });
    expect(res.statusCode, res.body).toBe(200);
    expect(settled, 'the sign-in was still checking when the change was done').toBe(false);

    const late = await racing;
    expect(late.statusCode, late.body).toBe(401);
    expect(late.json().error.code).toBe('AUTH.INVALID_CREDENTIALS');
    // the account's only session is the one that changed the password
    expect(await db.selectFrom('sessions').select('token_hash').where('account_id', '=', id).execute()).toEqual([{ token_hash: sha256Hex(token) }]);
    // a failed sign-in like any other: audited, and counted
    expect(await auditOf('auth.login_failed', id)).toHaveLength(1);
    expect(await auditOf('auth.login', id)).toHaveLength(1);
  });
});

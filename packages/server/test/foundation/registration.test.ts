import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityNumberCheckChar, usccCheckChar } from '@mianzheng/crypto';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

const person = { username: 'liming', password: 'Secret2026', displayName: '李明', kind: 'person', idNumber: '11010519491231002X' };

describe('applicant registration', () => {
  it('checks the identity number and stores it only encrypted, hashed and masked', async () => {
    const bad = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, idNumber: '110105194912310021' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({ code: 'IDENTITY.INVALID_ID_NUMBER', field: 'idNumber' });
    const badDate = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, idNumber: '110105194913310020' } });
    expect(badDate.json().error.code).toBe('IDENTITY.INVALID_ID_NUMBER');
    const ok = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: person });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ username: 'liming', roles: ['applicant'], regionCode: null });
    const row = await p.database.db.selectFrom('accounts').selectAll().where('username', '=', 'liming').executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('11010519491231002X');
    expect(row.id_number_mask).toBe('110105********002X');
    const login = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'liming', password: 'Secret2026' } });
    expect(login.statusCode).toBe(200);
    // a number held by a verified account cannot be registered again (the demo citizen's is)
    const citizenNumber = '340503199003070020'.slice(0, 17);
    const taken = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, username: 'liming3', idNumber: citizenNumber + identityNumberCheckChar(citizenNumber) } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'IDENTITY.ALREADY_REGISTERED', field: 'idNumber' });
  });

  it('checks the enterprise USCC and the password rule', async () => {
    const ent = { username: 'acme', password: 'Secret2026', displayName: '测试公司', kind: 'enterprise', uscc: '11100000000013338W' };
    const bad = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...ent, uscc: '11100000000013338X' } });
    expect(bad.json().error).toMatchObject({ code: 'IDENTITY.INVALID_USCC', field: 'uscc' });
    const weak = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...ent, password: 'onlyletters' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'password', details: { reason: 'too_few_classes' } });
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: ent })).statusCode).toBe(201);
    const idNumber = '34050319881102001' + identityNumberCheckChar('34050319881102001');
    const local = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, username: 'masren', idNumber } });
    expect(local.statusCode).toBe(201);
    expect(local.json().regionCode).toBe('340503');
  });

  it('a username is taken whatever its case (Citizen would pass for citizen at a window or in an authorization)', async () => {
    const idNumber = '34050319881102002' + identityNumberCheckChar('34050319881102002');
    for (const username of ['Citizen', 'AGENT', 'cLeRk']) {
      const res = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, username, idNumber } });
      expect(res.statusCode, username).toBe(409);
      expect(res.json().error, username).toMatchObject({ code: 'IDENTITY.ALREADY_REGISTERED', field: 'username' });
    }
    // two at once: one is registered, the other told the name is taken (never a 500)
    const racers = await Promise.all(['Racer', 'racer', 'RACER'].map((username, i) => {
      const first17 = `3405031988110201${i}`;
      return p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, username, idNumber: first17 + identityNumberCheckChar(first17) } });
    }));
    expect(racers.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    // and the database refuses it too, whoever inserts
    await expect(p.database.db.insertInto('accounts').values({
      id: '00000000-0000-4000-8000-000000000001', username: 'CITIZEN', display_name: 'x', kind: 'person', password_hash: null, roles: ['applicant'], department_id: null, region_code: null,
      id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, uscc_hash: null, external_subject: null, identity_verification: 'pending',
    }).execute()).rejects.toThrow(/accounts_username_lower_key/);
  });

  it('a password needs 8+ characters of at least three kinds: lowercase, uppercase, digits, symbols (等保 level 3)', async () => {
    let n = 0;
    const register = (username: string, password: string) => {
      const first17 = `34050319881103${String(++n).padStart(3, '0')}`;
      return p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, username, password, idNumber: first17 + identityNumberCheckChar(first17) } });
    };
    // two kinds only: refused, field and reason named in both languages
    for (const password of ['secret2026', 'SECRET2026', 'secret!!pw', 'SECRET!!PW', '2026!!2026', 'secretpass!']) {
      const res = await register('pwrule', password);
      expect(res.statusCode, password).toBe(400);
      const error = res.json().error;
      expect(error, password).toMatchObject({ code: 'REQUEST.INVALID', field: 'password', details: { reason: 'too_few_classes' } });
      expect(error.message).toContain('至少三类');
      expect(error.messageEn).toMatch(/three of/);
    }
    const short = await register('pwrule', 'Ab1!xyz');
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'password' });
    expect(short.json().error.messageEn).toMatch(/8/);
    // three kinds of any four
    for (const [username, password] of [['pwlud', 'Secret2026'], ['pwlus', 'Secret!pw'], ['pwlds', 'secret-2026'], ['pwuds', 'SECRET-2026'], ['pwall', 'Demo@2026']]) {
      const res = await register(username!, password!);
      expect(res.statusCode, `${password} ${res.body}`).toBe(201);
    }
  });

  it('a password may not contain the username', async () => {
    const idNumber = '34050319881102003' + identityNumberCheckChar('34050319881102003');
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, username: 'wangfang', password: 'WangFang2026', idNumber } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'password', details: { reason: 'contains_username' } });
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, username: 'wangfang', password: 'Secret2026', idNumber } })).statusCode).toBe(201);
  });
});

describe('department registration (data_admin)', () => {
  const dept = { id: 'mas-ws', name: '马鞍山市外事办公室', uscc: '11220000013544541J', regionCode: '340500', category: '外事' };
  it('validates the USCC check character, the region and who may call it', async () => {
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/admin/departments', payload: dept })).statusCode).toBe(401);
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/admin/departments', payload: dept, headers: await p.as('catalogadmin') })).statusCode).toBe(403);
    const headers = await p.as('dataadmin');
    const wrong = await p.app.inject({ method: 'POST', url: '/api/v1/admin/departments', payload: { ...dept, uscc: '11220000013544541K' }, headers });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error).toMatchObject({ code: 'IDENTITY.INVALID_USCC', field: 'uscc', details: { expectedCheckChar: 'J' } });
    const region = await p.app.inject({ method: 'POST', url: '/api/v1/admin/departments', payload: { ...dept, regionCode: '999999' }, headers });
    expect(region.json().error.code).toBe('REGION.NOT_FOUND');
    const legacy = await p.app.inject({ method: 'POST', url: '/api/v1/admin/departments', payload: { ...dept, uscc: '11220000013544541K', acceptLegacyCheckChar: true }, headers });
    expect(legacy.statusCode).toBe(201);
    expect(legacy.json().warnings).toEqual(['CHECK_CHAR_MISMATCH']);
    const dup = await p.app.inject({ method: 'POST', url: '/api/v1/admin/departments', payload: { ...dept, id: 'other' }, headers });
    expect(dup.statusCode).toBe(409);
  });
});

describe('实名核验: a self-registered account reaches no personal data until its identity is verified at a window', () => {
  const victimNumber = (() => { const f = '34050419770808001'; return f + identityNumberCheckChar(f); })();
  const claim = { username: 'claimant', password: 'Claim2026x', displayName: '冒名者', kind: 'person', idNumber: victimNumber };
  const loginAs = async (username: string, password: string) => ({ authorization: `Bearer ${(await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } })).json().token}` });

  it('an account that only claimed a number (anyone can type a valid one) gets 403 IDENTITY.UNVERIFIED for licenses, access log, applications and authorisations', async () => {
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: claim })).statusCode).toBe(201);
    const h = await loginAs('claimant', claim.password);
    expect((await p.app.inject({ url: '/api/v1/auth/me', headers: h })).json()).toMatchObject({ username: 'claimant', identityVerified: false });
    for (const [method, url, payload] of [
      ['GET', '/api/v1/me/licenses'], ['GET', '/api/v1/me/access-log'], ['GET', '/api/v1/applications'],
      ['POST', '/api/v1/applications', { serviceItemCode: '340500-JHDJ' }], ['POST', '/api/v1/agent-authorizations', { agentUsername: 'agent', serviceItemCodes: ['340500-JHDJ'], validUntil: new Date(Date.now() + 86_400_000).toISOString() }],
    ] as const) {
      const res = await p.app.inject({ method, url, headers: h, ...(payload ? { payload } : {}) });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code, url).toBe('IDENTITY.UNVERIFIED');
    }
    // its messages and its own status remain
    expect((await p.app.inject({ url: '/api/v1/me/notifications', headers: h })).statusCode).toBe(200);
    expect((await p.app.inject({ url: '/api/v1/me/identity-verification', headers: h })).json()).toEqual({ status: 'pending', via: null, verifiedAt: null });
    // the demo citizen (verified) is not affected
    expect((await p.app.inject({ url: '/api/v1/me/licenses', headers: await p.as('citizen') })).statusCode).toBe(200);
  });

  it('another unverified claim of the same number supersedes the first; the window verifies whoever shows the document', async () => {
    const second = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...claim, username: 'realholder', displayName: '刘明' } });
    expect(second.statusCode).toBe(201);
    const first = await p.database.db.selectFrom('accounts').select(['disabled', 'id_number_hash']).where('username', '=', 'claimant').executeTakeFirstOrThrow();
    expect(first).toEqual({ disabled: true, id_number_hash: null });
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'claimant', password: claim.password } })).statusCode).toBe(401);

    const clerk = await p.as('clerk');
    // a document with another number does not verify the account
    const other = (await p.app.inject({ method: 'POST', url: '/api/v1/identity-checks', headers: clerk, payload: { name: '王五', code: '11010519491231002X', documentInspected: true } })).json();
    const mismatch = await p.app.inject({ method: 'POST', url: '/api/v1/accounts/identity-verification', headers: clerk, payload: { username: 'realholder', identityCheckId: other.id } });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().error).toMatchObject({ code: 'IDENTITY.VERIFICATION_MISMATCH', field: 'identityCheckId' });
    // the holder's own document does; the name on it becomes the account's
    const check = (await p.app.inject({ method: 'POST', url: '/api/v1/identity-checks', headers: clerk, payload: { name: '刘明', code: victimNumber, documentInspected: true } })).json();
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/accounts/identity-verification', headers: await p.as('citizen'), payload: { username: 'realholder', identityCheckId: check.id } })).statusCode).toBe(403);
    const h = await loginAs('realholder', claim.password);
    expect((await p.app.inject({ url: '/api/v1/me/licenses', headers: h })).statusCode).toBe(403);
    const ok = await p.app.inject({ method: 'POST', url: '/api/v1/accounts/identity-verification', headers: clerk, payload: { username: 'realholder', identityCheckId: check.id } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ username: 'realholder', displayName: '刘明', status: 'verified', via: 'in_person' });
    // at once on this instance (its cached session is forgotten)
    expect((await p.app.inject({ url: '/api/v1/me/licenses', headers: h })).statusCode).toBe(200);
    expect((await p.app.inject({ url: '/api/v1/me/access-log', headers: h })).statusCode).toBe(200);
    expect((await p.app.inject({ url: '/api/v1/me/identity-verification', headers: h })).json()).toMatchObject({ status: 'verified', via: 'in_person' });
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/accounts/identity-verification', headers: clerk, payload: { username: 'realholder', identityCheckId: check.id } })).json().error.code).toBe('IDENTITY.ALREADY_VERIFIED');
    // verified now: nobody can claim the number any more
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...claim, username: 'latecomer' } })).statusCode).toBe(409);
    const audit = await p.database.db.selectFrom('audit_log').select(['action', 'actor_role']).where('action', 'in', ['identity.account.verify', 'identity.account.superseded']).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['identity.account.superseded', 'identity.account.verify']);
  });
});

describe('registration cannot be used to find out which identity numbers are registered', () => {
  let seq = 0;
  /** a valid identity number no account holds */
  const freshNumber = () => { const f = `34050319700101${String(++seq).padStart(3, '0')}`; return f + identityNumberCheckChar(f); };
  // held by verified accounts: the demo citizen's and the demo agent's
  const held = ['34050319900307002', '34050419850612003'].map((f) => f + identityNumberCheckChar(f));
  const register = (ip: string, username: string, idNumber: string) =>
    p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, username, idNumber }, remoteAddress: ip });
  const auditOf = (action: string, subjectId: string) => p.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('subject_id', '=', subjectId).execute();

  it('tells an address five times that a number is registered; the sixth registration from it is refused (429) before any number is looked up', async () => {
    const ip = '10.20.0.1';
    const citizen = await p.database.db.selectFrom('accounts').select('id').where('username', '=', 'citizen').executeTakeFirstOrThrow();
    const toldBefore = (await auditOf('identity.registration_conflict', citizen.id)).length;
    for (let i = 0; i < 5; i++) {
      const res = await register(ip, `probe${i}`, held[i % 2]!);
      expect(res.statusCode, `probe ${i + 1}`).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'IDENTITY.ALREADY_REGISTERED', field: 'idNumber' });
    }
    // a number some verified account holds, and one nobody holds: the same answer, nothing registered
    const onHeld = await register(ip, 'probe5', held[0]!);
    const onFresh = await register(ip, 'probe6', freshNumber());
    for (const res of [onHeld, onFresh]) {
      expect(res.statusCode).toBe(429);
      expect(res.json().error).toMatchObject({ code: 'AUTH.THROTTLED', field: 'idNumber' });
      expect(res.json().error.message).toContain('政务服务大厅');
      expect(res.json().error.messageEn).toMatch(/service-hall window/);
    }
    expect(onHeld.json()).toEqual(onFresh.json());
    expect(await p.database.db.selectFrom('accounts').select('id').where('username', 'in', ['probe5', 'probe6']).execute()).toEqual([]);
    // each telling audited on the holder's account; the lock once, on the address
    const told = await auditOf('identity.registration_conflict', citizen.id);
    expect(told).toHaveLength(toldBefore + 3);
    expect(told.at(-1)).toMatchObject({ purpose: '实名注册 real-name registration', subject_type: 'account' });
    expect(await auditOf('auth.registration_throttled', ip)).toHaveLength(1);
  });

  it('while an address is locked its registrations are not even processed: a pending claim of the number is not superseded', async () => {
    const ip = '10.20.0.2';
    const claimed = freshNumber();
    expect((await register('10.20.9.9', 'pendingclaim', claimed)).statusCode).toBe(201);
    for (let i = 0; i < 5; i++) expect((await register(ip, `lock${i}`, held[0]!)).statusCode).toBe(409);
    const res = await register(ip, 'lockedout', claimed);
    expect(res.statusCode).toBe(429);
    const claim = await p.database.db.selectFrom('accounts').select(['disabled', 'id_number_mask']).where('username', '=', 'pendingclaim').executeTakeFirstOrThrow();
    expect(claim.disabled).toBe(false);
    expect(claim.id_number_mask).not.toBeNull();
    expect(await auditOf('auth.registration_throttled', ip)).toHaveLength(1);
  });

  it('another address is unaffected: it is told, and registers', async () => {
    for (let i = 0; i < 5; i++) expect((await register('10.20.1.1', `lockb${i}`, held[1]!)).statusCode).toBe(409);
    expect((await register('10.20.1.1', 'lockb5', freshNumber())).statusCode).toBe(429);
    const taken = await register('10.20.1.2', 'elsewhere1', held[1]!);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'IDENTITY.ALREADY_REGISTERED', field: 'idNumber' });
    expect((await register('10.20.1.2', 'elsewhere2', freshNumber())).statusCode).toBe(201);
  });

  it('ordinary registrations are not limited: a service hall registers many accounts from one address', async () => {
    const ip = '10.20.2.1';
    for (let i = 0; i < 12; i++) {
      const res = await register(ip, `hall${i}`, freshNumber());
      expect(res.statusCode, res.body).toBe(201);
    }
    // and the address has met no registered number yet: it is told
    expect((await register(ip, 'hall-dup', held[0]!)).statusCode).toBe(409);
  });

  it('probes sent at once cannot all be told: exactly five are', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => register('10.20.3.1', `burst${i}`, held[i % 2]!)));
    const codes = results.map((r) => r.json().error.code).sort();
    expect(codes).toEqual([...Array(5).fill('AUTH.THROTTLED'), ...Array(5).fill('IDENTITY.ALREADY_REGISTERED')]);
  });

  it('an enterprise\'s USCC likewise, on the field uscc', async () => {
    const uscc = '91340500MA2N0X1B3' + usccCheckChar('91340500MA2N0X1B3');
    const ent = (username: string, code: string) => p.app.inject({
      method: 'POST', url: '/api/v1/accounts', remoteAddress: '10.20.4.1', payload: { username, password: 'Secret2026', displayName: '探测公司', kind: 'enterprise', uscc: code },
    });
    for (let i = 0; i < 5; i++) {
      const res = await ent(`entprobe${i}`, uscc);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'IDENTITY.ALREADY_REGISTERED', field: 'uscc' });
    }
    const refused = await ent('entprobe5', '11100000000013338W');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'AUTH.THROTTLED', field: 'uscc' });
  });
});

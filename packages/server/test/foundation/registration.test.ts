import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityNumberCheckChar } from '@mianzheng/crypto';
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
    const again = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, username: 'liming2' } });
    expect(again.statusCode).toBe(409);
    const login = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'liming', password: 'Secret2026' } });
    expect(login.statusCode).toBe(200);
  });

  it('checks the enterprise USCC and the password rule', async () => {
    const ent = { username: 'acme', password: 'Secret2026', displayName: '测试公司', kind: 'enterprise', uscc: '11100000000013338W' };
    const bad = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...ent, uscc: '11100000000013338X' } });
    expect(bad.json().error).toMatchObject({ code: 'IDENTITY.INVALID_USCC', field: 'uscc' });
    const weak = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...ent, password: 'onlyletters' } });
    expect(weak.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'password' });
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: ent })).statusCode).toBe(201);
    const idNumber = '34050319881102001' + identityNumberCheckChar('34050319881102001');
    const local = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { ...person, username: 'masren', idNumber } });
    expect(local.statusCode).toBe(201);
    expect(local.json().regionCode).toBe('340503');
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { readLicenseUnderGrant } from '../../src/licenses/use-cases/read-license-under-grant.ts';
import type { Actor } from '../../src/identity/domain/roles.ts';
import { findActorByToken } from '../../src/identity/use-cases/authenticate-session.ts';
import { CITIZEN_ID, HOUSEHOLD, idNumber, issueMarriage, MARRIAGE, setStatus } from './helpers.ts';
import { openCase } from '../exchange/support.ts';
import { departmentServiceActor } from '../../src/identity/domain/roles.ts';

let clock = Date.now();
let p: TestPlatform;
let clerk: Actor;
let householdId: string;
beforeAll(async () => {
  p = await createTestPlatform({ now: () => new Date(clock) });
  clerk = (await findActorByToken(await p.tokenOf('clerk'), p.app.deps))!;
  const wallet = (await p.app.inject({ url: '/api/v1/me/licenses', headers: await p.as('citizen') })).json();
  householdId = wallet.items.find((l: { licenseType: { code: string } }) => l.licenseType.code === HOUSEHOLD).id;
  // the applications in hand the staff's reads name (the citizen's)
  for (const [ref, serviceItemCode, departmentId] of [['APP-1', '340500-SFZSL', 'mas-ga'], ['APP-HKQY', '340500-HKQY', 'mas-ga'], ['APP-YQDJ', '340500-YQDJ', 'mas-ga'], ['APP-77', '340500-SWDJ', 'mas-ga'], ['APP-JHDJ', '340500-JHDJ', 'mas-mz']] as const) {
    await openCase(p, { ref, serviceItemCode, departmentId });
  }
});
afterAll(async () => { await p?.close(); });

const grant = async (licenseId: string, body: Record<string, unknown>) =>
  p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${licenseId}/grants`, headers: await p.as('citizen'), payload: body });
const inDays = (d: number) => new Date(clock + d * 86_400_000).toISOString();

describe('holder wallet', () => {
  it('lists the holder\'s licenses with fields, status, grants and uses', async () => {
    const res = await p.app.inject({ url: '/api/v1/me/licenses', headers: await p.as('citizen') });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { licenseType: { name: string }; status: string; fields: { name: string; value: string }[]; grants: unknown[]; uses: { accessorName: string; outcome: string }[] }[];
    expect(items.map((i) => i.licenseType.name)).toEqual(expect.arrayContaining(['居民身份证', '居民户口簿', '社会保障卡', '学历证书']));
    const hkb = items.find((i) => i.licenseType.name === '居民户口簿')!;
    expect(hkb.fields.find((f) => f.name === 'holderCode')!.value).toBe(CITIZEN_ID);
    expect(hkb.grants).toHaveLength(1); // seeded: 马鞍山市公安局, 户口迁移登记
    expect(hkb.uses.map((u) => [u.accessorName, u.outcome])).toEqual(expect.arrayContaining([['马鞍山市公安局', 'answered'], ['马鞍山市公安局', 'issued']]));
    const enterprise = (await p.app.inject({ url: '/api/v1/me/licenses', headers: await p.as('enterprise') })).json();
    expect(enterprise.items.map((i: { licenseType: { name: string } }) => i.licenseType.name)).toEqual(['营业执照']);
  });

  it('lets only the holder download the document', async () => {
    expect((await p.app.inject({ url: `/api/v1/me/licenses/${householdId}/document`, headers: await p.as('citizen') })).statusCode).toBe(200);
    expect((await p.app.inject({ url: `/api/v1/me/licenses/${householdId}/document`, headers: await p.as('enterprise') })).statusCode).toBe(403);
    expect((await p.app.inject({ url: '/api/v1/me/licenses/00000000-0000-0000-0000-000000000000/document', headers: await p.as('citizen') })).statusCode).toBe(404);
  });
});

describe('use grants and readLicenseUnderGrant', () => {
  it('reads under a live grant and logs the read for the holder', async () => {
    const g = await grant(householdId, { departmentId: 'mas-ga', serviceItemCode: '340500-SFZSL', validUntil: inDays(7) });
    expect(g.statusCode).toBe(201);
    expect(g.json()).toMatchObject({ state: 'live', serviceItemName: '居民身份证申领', department: { name: '马鞍山市公安局' } });
    const r = await readLicenseUnderGrant({ licenseId: householdId, departmentId: 'mas-ga', serviceItemCode: '340500-SFZSL', applicationRef: 'APP-1', purpose: '居民身份证申领' }, clerk, p.app.deps);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.verification.verified).toBe(true);
    expect(r.license.holder.code).toBe(CITIZEN_ID);
    expect(r.license.fields.find((f) => f.name === 'householdNumber')!.value).toBe('340503012345');
    const log = (await p.app.inject({ url: '/api/v1/me/access-log?pageSize=100', headers: await p.as('citizen') })).json();
    expect(log.items.find((e: { id: string }) => e.id === r.accessLogId)).toMatchObject({ accessorName: '马鞍山市公安局', purpose: '居民身份证申领', applicationRef: 'APP-1', outcome: 'answered' });
  });

  it('by holder code and type code too', async () => {
    const r = await readLicenseUnderGrant({ holderCode: CITIZEN_ID, licenseTypeCode: HOUSEHOLD, departmentId: 'mas-ga', applicationRef: 'APP-HKQY', purpose: '户口迁移' }, clerk, p.app.deps);
    expect(r.ok).toBe(true);
  });

  it('fails with no_grant for another purpose or department, and logs the refusal', async () => {
    const r = await readLicenseUnderGrant({ licenseId: householdId, departmentId: 'mas-ga', applicationRef: 'APP-YQDJ', purpose: '犬只登记' }, clerk, p.app.deps);
    expect(r).toMatchObject({ ok: false, reason: 'no_grant' });
    const log = (await p.app.inject({ url: '/api/v1/me/access-log?pageSize=100', headers: await p.as('citizen') })).json();
    expect(log.items.some((e: { outcome: string; purpose: string }) => e.outcome === 'denied' && e.purpose === '犬只登记')).toBe(true);
    await expect(readLicenseUnderGrant({ licenseId: householdId, departmentId: 'mas-mz', serviceItemCode: '340500-HKQY', purpose: 'x' }, clerk, p.app.deps)).rejects.toMatchObject({ code: 'AUTH.OUT_OF_SCOPE' });
  });

  it('answers no_grant for an unknown license too, and logs nothing for it (nothing tells a missing license from an ungranted one)', async () => {
    const r = await readLicenseUnderGrant({ licenseId: '00000000-0000-0000-0000-000000000000', departmentId: 'mas-ga', applicationRef: 'APP-HKQY', purpose: '未知证照' }, clerk, p.app.deps);
    expect(r).toEqual({ ok: false, reason: 'no_grant', message: expect.any(String), messageEn: expect.any(String) });
    const entries = await p.database.db.selectFrom('access_log').select('id').where('purpose', '=', '未知证照').execute();
    expect(entries).toHaveLength(0);
  });

  it('tells a department nothing about whether a person holds a license it has no grant for (no existence oracle)', async () => {
    await issueMarriage(p); // the demo citizen now holds a 结婚证; 公安局 has no grant
    const ask = async (holderCode: string) => (await p.app.inject({
      method: 'POST', url: '/api/v1/licenses/read-under-grant', headers: await p.as('clerk'),
      payload: { holderCode, licenseTypeCode: MARRIAGE, applicationRef: 'APP-HKQY', purpose: '核查' },
    })).json();
    const holder = await ask(CITIZEN_ID);
    const nonHolder = await ask(idNumber('34050419660606001'));
    expect(holder).toMatchObject({ ok: false, reason: 'no_grant' });
    expect(nonHolder).toEqual(holder); // field for field: no accessLogId that only an existing license gets
    // the holder still sees the refused read in the access log
    const log = (await p.app.inject({ url: '/api/v1/me/access-log?pageSize=100', headers: await p.as('citizen') })).json();
    expect(log.items.some((e: { outcome: string; purpose: string }) => e.outcome === 'denied' && e.purpose === '核查')).toBe(true);
  });

  it('fails with grant_revoked after the holder revokes, and grant_expired after the time', async () => {
    const g = (await grant(householdId, { departmentId: 'mas-ga', applicationRef: 'APP-77', validUntil: inDays(1) })).json();
    const input = { licenseId: householdId, departmentId: 'mas-ga', applicationRef: 'APP-77', purpose: '办件 APP-77' };
    expect((await readLicenseUnderGrant(input, clerk, p.app.deps)).ok).toBe(true);
    clock += 2 * 86_400_000;
    try {
      expect(await readLicenseUnderGrant(input, clerk, p.app.deps)).toMatchObject({ ok: false, reason: 'grant_expired' });
    } finally {
      clock -= 2 * 86_400_000;
    }
    const revoked = await p.app.inject({ method: 'POST', url: `/api/v1/me/license-grants/${g.id}/revoke`, headers: await p.as('citizen') });
    expect(revoked.statusCode).toBe(200);
    expect(await readLicenseUnderGrant(input, clerk, p.app.deps)).toMatchObject({ ok: false, reason: 'grant_revoked' });
    expect((await p.app.inject({ method: 'POST', url: `/api/v1/me/license-grants/${g.id}/revoke`, headers: await p.as('citizen') })).statusCode).toBe(409);
    expect((await p.app.inject({ method: 'POST', url: `/api/v1/me/license-grants/${g.id}/revoke`, headers: await p.as('enterprise') })).statusCode).toBe(404);
  });

  it('fails with license_revoked / license_suspended when the license is no longer valid', async () => {
    const issued = await issueMarriage(p);
    await grant(issued.id, { departmentId: 'mas-mz', serviceItemCode: '340500-JHDJ', validUntil: inDays(3) });
    const issuer = (await findActorByToken(await p.tokenOf('issuer'), p.app.deps))!;
    const input = { licenseId: issued.id, departmentId: 'mas-mz', applicationRef: 'APP-JHDJ', purpose: '结婚登记' };
    expect((await readLicenseUnderGrant(input, issuer, p.app.deps)).ok).toBe(true);
    await setStatus(p, issued.id, 'suspend');
    expect(await readLicenseUnderGrant(input, issuer, p.app.deps)).toMatchObject({ ok: false, reason: 'license_suspended' });
    await setStatus(p, issued.id, 'revoke');
    expect(await readLicenseUnderGrant(input, issuer, p.app.deps)).toMatchObject({ ok: false, reason: 'license_revoked' });
  });

  it('validates grants: purpose, department, time', async () => {
    expect((await grant(householdId, { departmentId: 'mas-ga', validUntil: inDays(1) })).json().error.code).toBe('LICENSE.GRANT_INVALID');
    expect((await grant(householdId, { departmentId: 'nowhere', serviceItemCode: '340500-HKQY', validUntil: inDays(1) })).statusCode).toBe(404);
    expect((await grant(householdId, { departmentId: 'mas-ga', serviceItemCode: '340500-HKQY', validUntil: inDays(-1) })).json().error.field).toBe('validUntil');
    expect((await grant(householdId, { departmentId: 'mas-ga', serviceItemCode: '340500-HKQY', validUntil: inDays(400) })).json().error.field).toBe('validUntil');
    expect((await grant(householdId, { departmentId: 'mas-ga', serviceItemCode: 'NOPE', validUntil: inDays(1) })).statusCode).toBe(404);
    const notMine = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${householdId}/grants`, headers: await p.as('enterprise'), payload: { departmentId: 'mas-ga', serviceItemCode: '340500-HKQY', validUntil: inDays(1) } });
    expect(notMine.statusCode).toBe(403);
  });

  it('the HTTP route reads for the caller\'s own department only', async () => {
    const ok = await p.app.inject({ method: 'POST', url: '/api/v1/licenses/read-under-grant', headers: await p.as('clerk'), payload: { licenseId: householdId, applicationRef: 'APP-HKQY', purpose: '户口迁移登记' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, license: { holder: { code: CITIZEN_ID } } });
    const issuer = await p.app.inject({ method: 'POST', url: '/api/v1/licenses/read-under-grant', headers: await p.as('issuer'), payload: { licenseId: householdId, applicationRef: 'APP-JHDJ', purpose: '户口迁移登记' } });
    expect(issuer.json()).toMatchObject({ ok: false, reason: 'no_grant' });
    expect(issuer.body).not.toContain(CITIZEN_ID);
  });

  it('a member of staff names an application of their department in hand, for the holder; the engine\'s service actor is bound to its own', async () => {
    const read = async (body: Record<string, unknown>) => p.app.inject({ method: 'POST', url: '/api/v1/licenses/read-under-grant', headers: await p.as('clerk'), payload: body });
    // no application named: 400 naming the field
    const missing = await read({ licenseId: householdId, serviceItemCode: '340500-HKQY', purpose: '户口迁移登记' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('applicationRef');
    // an invented number, or an application of another department: no_open_case, nothing logged for anyone
    const before = (await p.database.db.selectFrom('access_log').select('id').execute()).length;
    expect((await read({ licenseId: householdId, applicationRef: 'APP-INVENTED', purpose: '户口迁移登记' })).json()).toMatchObject({ ok: false, reason: 'no_open_case' });
    expect((await read({ licenseId: householdId, applicationRef: 'APP-JHDJ', purpose: '户口迁移登记' })).json()).toMatchObject({ ok: false, reason: 'no_open_case' });
    // the same answer for a license that does not exist: the case is checked before the license is looked up
    expect((await read({ licenseId: '00000000-0000-0000-0000-000000000000', applicationRef: 'APP-INVENTED', purpose: 'x' })).json()).toMatchObject({ ok: false, reason: 'no_open_case' });
    expect((await p.database.db.selectFrom('access_log').select('id').execute()).length).toBe(before);
    // the service item is the application's: another one is refused
    const mismatch = await read({ licenseId: householdId, applicationRef: 'APP-HKQY', serviceItemCode: '340500-SFZSL', purpose: '户口迁移登记' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error.field).toBe('serviceItemCode');
    // an application in hand whose applicant is someone else: the citizen's grant does not cover it
    await openCase(p, { ref: 'APP-OTHER-PERSON', serviceItemCode: '340500-HKQY', subjectCode: idNumber('34050419660606001') });
    expect((await read({ licenseId: householdId, applicationRef: 'APP-OTHER-PERSON', purpose: '户口迁移登记' })).json()).toMatchObject({ ok: false, reason: 'no_grant' });
    // an application no longer in hand
    await openCase(p, { ref: 'APP-DONE', serviceItemCode: '340500-HKQY', status: 'approved' });
    expect((await read({ licenseId: householdId, applicationRef: 'APP-DONE', purpose: '户口迁移登记' })).json()).toMatchObject({ ok: false, reason: 'no_open_case' });
    // the application engine reads for the application it is resolving, as the department's service actor
    const engine = await readLicenseUnderGrant({ licenseId: householdId, departmentId: 'mas-ga', serviceItemCode: '340500-HKQY', applicationRef: 'BJ-RESOLVING', purpose: '户口迁移登记' }, departmentServiceActor('mas-ga', '马鞍山市公安局'), p.app.deps);
    expect(engine.ok).toBe(true);
  });

  it('a retried grant with the same Idempotency-Key creates one grant', async () => {
    const headers = { ...(await p.as('citizen')), 'idempotency-key': 'grant-retry-0001' };
    const body = { departmentId: 'mas-ga', serviceItemCode: '340500-SBK', validUntil: inDays(5) };
    const a = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${householdId}/grants`, headers, payload: body });
    const b = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${householdId}/grants`, headers, payload: body });
    expect(a.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    const n = await p.database.db.selectFrom('license_grants').select('id').where('service_item_code', '=', '340500-SBK').execute();
    expect(n).toHaveLength(1);
  });

  it('lists the holder\'s grants', async () => {
    const res = await p.app.inject({ url: '/api/v1/me/license-grants', headers: await p.as('citizen') });
    expect(res.statusCode).toBe(200);
    const states = res.json().items.map((g: { state: string }) => g.state);
    expect(states).toEqual(expect.arrayContaining(['live', 'revoked']));
  });
});

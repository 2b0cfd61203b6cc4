/**
 * A holder with two licenses of one type (a renewed 户口簿 before the old one is withdrawn, two
 * 学历证书 …). A use grant names one license (its id); a department reading by holder and type —
 * the application engine resolving a material — reads the license the holder granted for the
 * purpose: of the granted ones the newest usable (valid status, within its validity period),
 * never an ungranted one, and never both.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { findActorByToken } from '../../src/identity/use-cases/authenticate-session.ts';
import { departmentServiceActor, type Actor } from '../../src/identity/domain/roles.ts';
import { issueLicense } from '../../src/licenses/use-cases/issue-license.ts';
import { changeLicenseStatus } from '../../src/licenses/use-cases/change-license-status.ts';
import { grantLicenseUse } from '../../src/licenses/use-cases/grant-license-use.ts';
import { readLicenseUnderGrant } from '../../src/licenses/use-cases/read-license-under-grant.ts';
import { LicensesContextResolver } from '../../src/applications/adapters/licenses-resolver.ts';
import { DEMO_ACCOUNTS } from '../../src/seed/demo-accounts.ts';
import { CITIZEN_ID, CITIZEN_NAME, HOUSEHOLD } from './helpers.ts';

let clock = Date.now();
let p: TestPlatform;
let citizen: Actor;
let agent: Actor;
const AGENT = DEMO_ACCOUNTS.find((a) => a.username === 'agent')!;
// 马鞍山市公安局's issuing staff (the demo issuer is 民政局's)
const gaIssuer: Actor = { id: 'ga-issuer', username: 'ga-issuer', displayName: '公安局发证员', kind: 'staff', roles: ['issuer'], departmentId: 'mas-ga', departmentName: '马鞍山市公安局', regionCode: null };
const engine = departmentServiceActor('mas-ga', '马鞍山市公安局');
beforeAll(async () => {
  p = await createTestPlatform({ now: () => new Date(clock) });
  citizen = (await findActorByToken(await p.tokenOf('citizen'), p.app.deps))!;
  agent = (await findActorByToken(await p.tokenOf('agent'), p.app.deps))!;
});
afterAll(async () => { await p?.close(); });

const chinaDay = (offsetDays: number) => new Date(clock + offsetDays * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
let n = 0;
/** A 居民户口簿 of the holder, issued now (each later than the one before). */
async function household(holder: { code: string; name: string }, validity: { validFrom?: string; validUntil?: string | null } = {}) {
  clock += 1000;
  return issueLicense({
    typeCode: HOUSEHOLD, holder, ...validity,
    fields: { householdNumber: `34050301${String(++n).padStart(4, '0')}`, householderName: '张建国', relationToHouseholder: '女', householdType: '家庭户', address: `马鞍山市花山区湖东中路 ${n} 号`, registrationAuthority: '湖东派出所' },
  }, gaIssuer, p.app.deps);
}
const CITIZEN = { code: CITIZEN_ID, name: CITIZEN_NAME };
const grant = (licenseId: string, ref: string, by: Actor = citizen) =>
  grantLicenseUse(licenseId, { departmentId: 'mas-ga', applicationRef: ref, validUntil: new Date(clock + 7 * 86_400_000).toISOString() }, by, p.app.deps);
const revoke = (id: string) => changeLicenseStatus(id, { action: 'revoke', reason: '换发新证' }, gaIssuer, p.app.deps);
/** The engine reading the holder's 户口簿 by holder code and type for application `ref` (the grants name the application). */
const read = (ref: string, holderCode = CITIZEN_ID) => readLicenseUnderGrant({
  holderCode, licenseTypeCode: HOUSEHOLD, departmentId: 'mas-ga', serviceItemCode: '340500-SFZSL', applicationRef: ref, purpose: `居民身份证申领(办件 ${ref})`,
}, engine, p.app.deps);
/** The application engine resolving the 户籍证明 material (linked to 居民户口簿) of application `ref`. */
const resolve = (ref: string, holder = { code: CITIZEN_ID, name: CITIZEN_NAME }) => new LicensesContextResolver(p.app.deps).resolve({
  application: { id: randomUUID(), ref, serviceItemCode: '340500-SFZSL', serviceItemName: '居民身份证申领' },
  holder: { ...holder, kind: 'person', accountId: null },
  proofItem: { id: 'ZM-MAS-HJZM', name: '户籍证明', legalBasis: '', issuingDepartmentId: 'mas-ga', issuingDepartmentName: '马鞍山市公安局' },
  requester: { departmentId: 'mas-ga', departmentName: '马鞍山市公安局', accountId: 'engine', role: 'clerk', onBehalfOf: null },
});
const readId = async (ref: string) => {
  const r = await read(ref);
  if (!r.ok) throw new Error(`read ${ref}: ${r.reason}`);
  return r.license.id;
};

describe('two valid licenses of one type', () => {
  it('only the older one granted: the department reads that one, not the newer ungranted one', async () => {
    const older = await household(CITIZEN);
    await household(CITIZEN);
    await grant(older.id, 'BJ-2L-OLDER');
    expect(await readId('BJ-2L-OLDER')).toBe(older.id);
    expect(await resolve('BJ-2L-OLDER')).toMatchObject({ kind: 'verified', licenseId: older.id });
  });

  it('only the newer one granted: that one', async () => {
    await household(CITIZEN);
    const newer = await household(CITIZEN);
    await grant(newer.id, 'BJ-2L-NEWER');
    expect(await readId('BJ-2L-NEWER')).toBe(newer.id);
  });

  it('both granted: the newest valid one, and only it is read (one access-log entry names it)', async () => {
    const older = await household(CITIZEN);
    const newer = await household(CITIZEN);
    await grant(older.id, 'BJ-2L-BOTH');
    await grant(newer.id, 'BJ-2L-BOTH');
    const r = await read('BJ-2L-BOTH');
    expect(r).toMatchObject({ ok: true, license: { id: newer.id } });
    const entries = await p.database.db.selectFrom('access_log').select(['detail', 'outcome']).where('application_ref', '=', 'BJ-2L-BOTH').execute();
    expect(entries.map((e) => [(e.detail as { licenseId: string }).licenseId, e.outcome])).toEqual([[newer.id, 'answered']]);
  });
});

describe('one of the two revoked or expired', () => {
  it('both granted, the newer revoked: the older one', async () => {
    const older = await household(CITIZEN);
    const newer = await household(CITIZEN);
    await grant(older.id, 'BJ-2L-REV');
    await grant(newer.id, 'BJ-2L-REV');
    await revoke(newer.id);
    expect(await readId('BJ-2L-REV')).toBe(older.id);
  });

  it('both granted, the newer past its validity period: the older one (not license_expired)', async () => {
    const older = await household(CITIZEN);
    const newer = await household(CITIZEN, { validFrom: chinaDay(-30), validUntil: chinaDay(1) });
    await grant(older.id, 'BJ-2L-EXP');
    await grant(newer.id, 'BJ-2L-EXP');
    clock += 3 * 86_400_000;
    expect(await readId('BJ-2L-EXP')).toBe(older.id);
    expect(await resolve('BJ-2L-EXP')).toMatchObject({ kind: 'verified', licenseId: older.id });
    // an expired license can no longer be granted
    await expect(grant(newer.id, 'BJ-2L-EXP-2')).rejects.toMatchObject({ code: 'LICENSE.EXPIRED', field: 'id' });
  });

  it('the granted one revoked, the other valid but not granted: no_grant (the engine asks for a grant), then the newly granted one', async () => {
    const granted = await household(CITIZEN);
    const other = await household(CITIZEN);
    await grant(granted.id, 'BJ-2L-REGRANT');
    await revoke(granted.id);
    expect(await read('BJ-2L-REGRANT')).toMatchObject({ ok: false, reason: 'no_grant' });
    expect(await resolve('BJ-2L-REGRANT')).toMatchObject({ kind: 'grant_required', licenseTypeCode: HOUSEHOLD });
    await grant(other.id, 'BJ-2L-REGRANT');
    expect(await readId('BJ-2L-REGRANT')).toBe(other.id);
  });

  it('the granted one expired, the other valid but not granted: no_grant, never the ungranted one', async () => {
    const granted = await household(CITIZEN, { validFrom: chinaDay(-30), validUntil: chinaDay(1) });
    await household(CITIZEN);
    await grant(granted.id, 'BJ-2L-EXP-ONLY');
    clock += 3 * 86_400_000;
    expect(await read('BJ-2L-EXP-ONLY')).toMatchObject({ ok: false, reason: 'no_grant' });
  });
});

describe('a holder whose only license of the type is no longer usable', () => {
  const AGENT_HOLDER = () => ({ code: AGENT.idNumber!, name: AGENT.displayName });
  it('granted and revoked: license_revoked for the department; with no usable license the engine reports it missing, not a grant to give', async () => {
    const only = await household(AGENT_HOLDER());
    await grant(only.id, 'BJ-AGENT-1', agent);
    await revoke(only.id);
    expect(await read('BJ-AGENT-1', AGENT.idNumber!)).toMatchObject({ ok: false, reason: 'license_revoked' });
    expect(await resolve('BJ-AGENT-1', AGENT_HOLDER())).toMatchObject({ kind: 'invalid' });
    // another application with no grant at all: the holder has no license they could grant
    expect(await resolve('BJ-AGENT-2', AGENT_HOLDER())).toMatchObject({ kind: 'missing' });
  });
});

/**
 * A license can name another person besides its holder — the spouse on a 结婚证 by
 * 配偶身份证件号. Every use of the license that hands over that field is a use of the
 * spouse's data too: issuance, a read under the holder's grant, a verified 亮证 that
 * discloses it, and the issuing department viewing the license. The spouse reads each in
 * their own 谁用了我的数据, marked with the field that names them; a use that discloses
 * nothing of them (a refused read, a presentation without the spouse fields) is not theirs.
 * A field the type declares to hold an enterprise's USCC (or neither kind of code) names
 * nobody, whatever its value looks like.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/seed/demo-accounts.ts';
import { namedPersons } from '../../src/audit/domain/named-persons.ts';
import { usccsThatAreIdentityNumbers } from '../support/ambiguous-codes.ts';
import { readLicenseUnderGrant } from '../../src/licenses/use-cases/read-license-under-grant.ts';
import { findActorByToken } from '../../src/identity/use-cases/authenticate-session.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { CITIZEN_ID, idNumber, issueMarriage, present, verifyPresentationAs } from './helpers.ts';
import { openCase } from '../exchange/support.ts';

/** The demo agent (李帮办) has a person account of their own: here they are the citizen's spouse. */
const SPOUSE_ID = DEMO_ACCOUNTS.find((a) => a.username === 'agent')!.idNumber!;

let p: TestPlatform;
let licenseId: string;

interface Entry { id: string; accessorName: string; dataItemLabel: string; purpose: string; outcome: string; applicationRef: string | null; namedAs: { field: string; label: string; path: string | null; record: number | null } | null }
async function spouseLog(): Promise<Entry[]> {
  const res = await p.app.inject({ url: '/api/v1/me/access-log?pageSize=100', headers: await p.as('agent') });
  expect(res.statusCode).toBe(200);
  return (res.json().items as Entry[]).filter((e) => e.dataItemLabel === '结婚证');
}

beforeAll(async () => {
  p = await createTestPlatform();
  for (const ref of ['APP-NP-0', 'APP-NP-1']) await openCase(p, { ref, serviceItemCode: '340500-CSDJ' });
  licenseId = (await issueMarriage(p, { fields: { registrationDate: '2026-02-14', spouseName: '李帮办', spouseIdNumber: SPOUSE_ID, registrationAuthority: '马鞍山市民政局' } })).id;
});
afterAll(async () => { await p?.close(); });

describe('namedPersons', () => {
  it('finds valid identity numbers other than the holder\'s, once each, with the field label; ignores the holder, invalid numbers and non-strings', () => {
    const other = idNumber('34050419700101001');
    const named = namedPersons({ holderCode: CITIZEN_ID, spouseIdNumber: SPOUSE_ID.toLowerCase(), copy: SPOUSE_ID, self: CITIZEN_ID, bad: '340504198506120031', n: 12, guardian: ` ${other} ` }, CITIZEN_ID,
      [{ name: 'spouseIdNumber', label: '配偶身份证件号' }]);
    expect(named).toEqual([{ code: SPOUSE_ID.toUpperCase(), field: 'spouseIdNumber', label: '配偶身份证件号', path: 'spouseIdNumber' }, { code: other, field: 'guardian', label: 'guardian', path: 'guardian' }]);
  });
});

describe('the spouse on a 结婚证 is a data subject of its uses', () => {
  it('issuance: the spouse reads that 马鞍山市民政局 issued a 结婚证 naming them', async () => {
    const log = await spouseLog();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ accessorName: '马鞍山市民政局', purpose: 'license_issuance', outcome: 'issued' });
    expect(log[0]!.namedAs).toEqual({ field: 'spouseIdNumber', label: '配偶身份证件号', path: 'spouseIdNumber', record: null });
    // the holder's own entry is not marked
    const holder = (await p.app.inject({ url: '/api/v1/me/access-log?pageSize=100', headers: await p.as('citizen') })).json().items as Entry[];
    expect(holder.find((e) => e.dataItemLabel === '结婚证' && e.outcome === 'issued')).toMatchObject({ namedAs: null });
  });

  it('a read under the holder\'s grant: an entry for the spouse as for the holder; a refused read is not the spouse\'s', async () => {
    const clerk = (await findActorByToken(await p.tokenOf('clerk'), p.app.deps))!;
    const refused = await readLicenseUnderGrant({ licenseId, departmentId: 'mas-ga', serviceItemCode: '340500-CSDJ', applicationRef: 'APP-NP-0', purpose: '新生儿出生登记' }, clerk, p.app.deps);
    expect(refused.ok).toBe(false);
    expect((await spouseLog()).filter((e) => e.applicationRef === 'APP-NP-0')).toEqual([]);
    const g = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${licenseId}/grants`, headers: await p.as('citizen'), payload: { departmentId: 'mas-ga', serviceItemCode: '340500-CSDJ', validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString() } });
    expect(g.statusCode, g.body).toBe(201);
    const r = await readLicenseUnderGrant({ licenseId, departmentId: 'mas-ga', serviceItemCode: '340500-CSDJ', applicationRef: 'APP-NP-1', purpose: '新生儿出生登记' }, clerk, p.app.deps);
    expect(r.ok).toBe(true);
    const mine = (await spouseLog()).filter((e) => e.applicationRef === 'APP-NP-1');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ accessorName: '马鞍山市公安局', purpose: '新生儿出生登记', outcome: 'answered', namedAs: { label: '配偶身份证件号' } });
    expect(mine[0]!.id).not.toBe(r.ok ? r.accessLogId : ''); // the holder's entry is their own
  });

  it('a verified 亮证 that discloses the spouse\'s number is the spouse\'s too; one that does not disclose it is not', async () => {
    const before = (await spouseLog()).filter((e) => e.purpose === '亮证核验').length;
    const without = await present(p, licenseId, { fields: ['holderName', 'registrationDate'] });
    expect((await verifyPresentationAs(p, 'bank', without.text)).verified).toBe(true);
    expect((await spouseLog()).filter((e) => e.purpose === '亮证核验')).toHaveLength(before);
    const withSpouse = await present(p, licenseId, { fields: ['holderName', 'spouseName', 'spouseIdNumber'] });
    expect((await verifyPresentationAs(p, 'bank', withSpouse.text)).verified).toBe(true);
    const after = (await spouseLog()).filter((e) => e.purpose === '亮证核验');
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({ accessorName: '工商银行马鞍山分行', outcome: 'verified', namedAs: { field: 'spouseIdNumber' } });
  });

  it('the issuing department viewing the license: logged for the holder and for the spouse (license_management)', async () => {
    const view = await p.app.inject({ url: `/api/v1/licenses/${licenseId}`, headers: await p.as('issuer') });
    expect(view.statusCode, view.body).toBe(200);
    const holder = (await p.app.inject({ url: '/api/v1/me/access-log?pageSize=100', headers: await p.as('citizen') })).json().items as Entry[];
    expect(holder.find((e) => e.purpose === 'license_management')).toMatchObject({ accessorName: '马鞍山市民政局', outcome: 'viewed', dataItemLabel: '结婚证', namedAs: null });
    expect((await spouseLog()).find((e) => e.purpose === 'license_management')).toMatchObject({ accessorName: '马鞍山市民政局', outcome: 'viewed', namedAs: { field: 'spouseIdNumber' } });
  });
});

describe('a person named in a field that is not selectively disclosable (always shown)', () => {
  const TYPE = '11100000000013338W096';
  let guardianLicense: string;
  const guardianLog = async (purpose: string) =>
    ((await p.app.inject({ url: '/api/v1/me/access-log?pageSize=100', headers: await p.as('agent') })).json().items as Entry[]).filter((e) => e.dataItemLabel === '监护证明' && e.purpose === purpose);

  beforeAll(async () => {
    const reg = await p.app.inject({ method: 'POST', url: '/api/v1/admin/license-types', headers: await p.as('dataadmin'), payload: {
      code: TYPE, name: '监护证明', definingAgencyName: '公安部', holderKind: '111', legalBasis: '《中华人民共和国民法典》第二十七条',
      fields: [{ name: 'note', label: '备注', type: 'string', required: true, disclosable: true }, { name: 'guardianIdNumber', label: '监护人身份证件号', type: 'string', required: true, disclosable: false }],
      issuingDepartmentIds: ['mas-mz'], validity: { kind: 'none' },
    } });
    expect(reg.statusCode, reg.body).toBe(201);
    const issued = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: await p.as('issuer'), payload: { typeCode: TYPE, holder: { code: CITIZEN_ID, name: '张晓梅' }, fields: { note: '监护', guardianIdNumber: SPOUSE_ID } } });
    expect(issued.statusCode, issued.body).toBe(201);
    guardianLicense = issued.json().id;
    expect(await guardianLog('license_issuance')).toHaveLength(1);
  });

  it('every verified 亮证 hands the clear field over: the person it names gets the entry', async () => {
    const pres = await present(p, guardianLicense, { fields: [] });
    const r = await verifyPresentationAs(p, 'bank', pres.text);
    expect(r.verified).toBe(true);
    expect(r.fields!.find((f) => f.name === 'guardianIdNumber')!.value).toBe(SPOUSE_ID);
    expect(await guardianLog('亮证核验')).toEqual([expect.objectContaining({ accessorName: '工商银行马鞍山分行', outcome: 'verified', namedAs: { field: 'guardianIdNumber', label: '监护人身份证件号', path: 'guardianIdNumber', record: null } })]);
  });

  it('a read under grant and the issuer\'s view hand it over too', async () => {
    await openCase(p, { ref: 'APP-NP-G', serviceItemCode: '340500-CSDJ' });
    const g = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${guardianLicense}/grants`, headers: await p.as('citizen'), payload: { departmentId: 'mas-ga', serviceItemCode: '340500-CSDJ', validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString() } });
    expect(g.statusCode, g.body).toBe(201);
    const clerk = (await findActorByToken(await p.tokenOf('clerk'), p.app.deps))!;
    const r = await readLicenseUnderGrant({ licenseId: guardianLicense, departmentId: 'mas-ga', serviceItemCode: '340500-CSDJ', applicationRef: 'APP-NP-G', purpose: '监护核查' }, clerk, p.app.deps);
    expect(r.ok).toBe(true);
    expect(await guardianLog('监护核查')).toEqual([expect.objectContaining({ accessorName: '马鞍山市公安局', outcome: 'answered', namedAs: { field: 'guardianIdNumber', label: '监护人身份证件号', path: 'guardianIdNumber', record: null } })]);
    const view = await p.app.inject({ url: `/api/v1/licenses/${guardianLicense}`, headers: await p.as('issuer') });
    expect(view.statusCode, view.body).toBe(200);
    expect(await guardianLog('license_management')).toEqual([expect.objectContaining({ accessorName: '马鞍山市民政局', outcome: 'viewed', namedAs: { field: 'guardianIdNumber', label: '监护人身份证件号', path: 'guardianIdNumber', record: null } })]);
  });
});

describe('a field holding an enterprise\'s code', () => {
  const TYPE = '11100000000013338W097';
  /** all-digit USCCs that are valid identity numbers as well (born 19YY-06-18) */
  const [EMPLOYER, CERTIFICATE, UNDECLARED] = usccsThatAreIdentityNumbers(3, '06', '18');
  const rowsOf = async (code: string) => p.database.db.selectFrom('access_log').select(['purpose', 'detail']).where('subject_hash', '=', p.app.deps.pii.lookupHash(code)).execute();

  it('is never taken for a person when the type declares it (enterprise, or none); an undeclared field with such a value names a person (the decision)', async () => {
    const reg = await p.app.inject({ method: 'POST', url: '/api/v1/admin/license-types', headers: await p.as('dataadmin'), payload: {
      code: TYPE, name: '从业资格证明', definingAgencyName: '人力资源和社会保障部', holderKind: '111', legalBasis: '《中华人民共和国劳动法》第六十九条',
      fields: [
        { name: 'employerUscc', label: '聘用单位统一社会信用代码', type: 'string', required: true, disclosable: false, identifies: 'enterprise' },
        { name: 'certificateNo', label: '证书编号', type: 'string', required: true, disclosable: true, identifies: 'none' },
        { name: 'examinerCode', label: '考核机构代码', type: 'string', required: false, disclosable: false },
      ],
      issuingDepartmentIds: ['mas-mz'], validity: { kind: 'none' },
    } });
    expect(reg.statusCode, reg.body).toBe(201);
    expect(reg.json().fields.map((f: { identifies?: string }) => f.identifies ?? null)).toEqual(['enterprise', 'none', null]);
    const issued = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: await p.as('issuer'), payload: { typeCode: TYPE, holder: { code: CITIZEN_ID, name: '张晓梅' }, fields: { employerUscc: EMPLOYER, certificateNo: CERTIFICATE, examinerCode: UNDECLARED } } });
    expect(issued.statusCode, issued.body).toBe(201);
    expect(await rowsOf(EMPLOYER!)).toEqual([]);
    expect(await rowsOf(CERTIFICATE!)).toEqual([]);
    const undeclared = await rowsOf(UNDECLARED!);
    expect(undeclared.map((r) => [r.purpose, (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail).namedAs])).toEqual([
      ['license_issuance', { field: 'examinerCode', label: '考核机构代码', path: 'examinerCode' }],
    ]);
    // the issuer viewing it: the same
    expect((await p.app.inject({ url: `/api/v1/licenses/${issued.json().id}`, headers: await p.as('issuer') })).statusCode).toBe(200);
    expect(await rowsOf(EMPLOYER!)).toEqual([]);
    expect((await rowsOf(UNDECLARED!)).map((r) => r.purpose).sort()).toEqual(['license_issuance', 'license_management']);
  });

  it('identifies is checked with the type: person, enterprise or none, on a string field', async () => {
    const register = async (field: Record<string, unknown>) => p.app.inject({ method: 'POST', url: '/api/v1/admin/license-types', headers: await p.as('dataadmin'), payload: {
      code: '11100000000013338W098', name: '资格证明(校验)', definingAgencyName: '人力资源和社会保障部', holderKind: '111', legalBasis: '《中华人民共和国劳动法》第六十九条',
      fields: [{ name: 'note', label: '备注', type: 'string', required: true, disclosable: true }, field], issuingDepartmentIds: ['mas-mz'], validity: { kind: 'none' },
    } });
    const onDate = await register({ name: 'since', label: '起始日期', type: 'date', required: false, disclosable: false, identifies: 'enterprise' });
    expect(onDate.statusCode).toBe(422);
    expect(onDate.json().error).toMatchObject({ code: 'LICENSE.TYPE_INVALID', field: 'fields.1.identifies' });
    const unknown = await register({ name: 'code', label: '代码', type: 'string', required: false, disclosable: false, identifies: 'company' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toContain('identifies');
  });
});

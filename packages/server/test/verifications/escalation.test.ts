import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { fileApplication, material, scriptPorts } from '../applications/helpers.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';

/** Sessions expire by the injected clock, so each call signs in afresh. */
async function call(pl: TestPlatform, user: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const login = await pl.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: DEMO_PASSWORD } });
  return pl.app.inject({ method, url, payload: payload as never, headers: { authorization: `Bearer ${login.json().token}` } });
}

/** The clock is injected: 2025-09-30 10:00 Beijing, the day before the National Day week. */
let now = new Date('2025-09-30T02:00:00Z');
let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform({ now: () => now });
  scriptPorts(p);
});
afterAll(async () => { await p?.close(); });

describe('verification deadline across the National Day week, and escalation', () => {
  let requestId: string;
  it('sets the deadline to the end of the third working day: the make-up Saturday 2025-10-11', async () => {
    const app = await fileApplication(p, 'citizen', '340500-LSJZ');
    const dbzm = material(app, 'dbzm').resolution;
    expect(dbzm.status).toBe('awaiting_verification');
    requestId = dbzm.verification!.id;
    expect(dbzm.verification).toMatchObject({ dueAt: '2025-10-11T15:59:59.999Z', status: 'pending' });
  });
  it('is not overdue on the last day, escalates to supervisors after it', async () => {
    now = new Date('2025-10-11T12:00:00Z');
    let inbox = (await call(p, 'issuer', 'GET', '/api/v1/verifications/inbox?status=open')).json();
    expect(inbox.items.find((i: { id: string }) => i.id === requestId)).toMatchObject({ status: 'pending', overdue: false });
    now = new Date('2025-10-12T01:00:00Z');
    inbox = (await call(p, 'issuer', 'GET', '/api/v1/verifications/inbox?status=open')).json();
    expect(inbox.items.find((i: { id: string }) => i.id === requestId)).toMatchObject({ status: 'escalated', overdue: true });
    const escalated = (await call(p, 'supervisor', 'GET', '/api/v1/verifications/escalated')).json();
    expect(escalated.items.some((i: { id: string; issuingDepartmentName: string }) => i.id === requestId && i.issuingDepartmentName === '马鞍山市民政局')).toBe(true);
    const notes = (await call(p, 'supervisor', 'GET', '/api/v1/me/notifications')).json();
    expect(notes.items.some((n: { kind: string }) => n.kind === 'verification.escalated')).toBe(true);
    // in both languages (the notice of this request, 民政局's 最低生活保障证明; the application's other requests escalate too)
    expect(notes.items.filter((n: { kind: string; title: string }) => n.kind === 'verification.escalated' && n.title === '部门核验超期：马鞍山市民政局')).toContainEqual(expect.objectContaining({
      titleEn: 'Verification overdue: 马鞍山市民政局', bodyEn: expect.stringMatching(/^The verification request for "最低生活保障证明" in application \S+ has had no answer within its limit of 3 working days\.$/),
    }));
    expect((await call(p, 'citizen', 'GET', '/api/v1/verifications/escalated')).statusCode).toBe(403);
    const late = (await call(p, 'issuer', 'POST', `/api/v1/verifications/${requestId}/answer`, { confirmed: true, reason: '补充答复：属实' })).json();
    expect(late).toMatchObject({ status: 'confirmed', onTime: false });
  });
});

describe('escalations by region', () => {
  it('a city supervisor sees the city\'s escalated requests even when other cities have more than the list holds', async () => {
    const template = await p.database.db.selectFrom('verification_requests').selectAll().where('issuing_department_id', '=', 'mas-mz').limit(1).executeTakeFirstOrThrow();
    // 501 overdue requests of 铜陵 that fall due before 马鞍山's one
    const rows = Array.from({ length: 501 }, (_, i) => ({
      ...template, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, issuing_department_id: 'tl-mz', status: 'escalated' as const,
      due_at: new Date(new Date(template.due_at).getTime() - 86_400_000 * (i + 1)), escalated_at: new Date(), answered_at: null, answered_by: null, reason: null,
    }));
    await p.database.db.insertInto('verification_requests').values(rows).execute();
    await p.database.db.insertInto('verification_requests').values({ ...template, id: '00000000-0000-4000-9000-000000000001', status: 'escalated', escalated_at: new Date(), answered_at: null, answered_by: null, reason: null }).execute();
    await p.database.db.updateTable('accounts').set({ region_code: '340500' }).where('username', '=', 'supervisor').execute();
    const mine = (await call(p, 'supervisor', 'GET', '/api/v1/verifications/escalated')).json();
    expect(mine.items.some((i: { id: string }) => i.id === '00000000-0000-4000-9000-000000000001')).toBe(true);
    expect(mine.items.every((i: { issuingDepartmentName: string }) => i.issuingDepartmentName.startsWith('马鞍山市'))).toBe(true);
    await p.database.db.updateTable('accounts').set({ region_code: '340000' }).where('username', '=', 'supervisor').execute();
    // the province's supervisor pages through all of them: each once, the total told (the list used to stop at 500)
    const first = (await call(p, 'supervisor', 'GET', '/api/v1/verifications/escalated?pageSize=100')).json();
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(first.total / 100); page++) {
      const res = await call(p, 'supervisor', 'GET', `/api/v1/verifications/escalated?page=${page}&pageSize=100`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((i: { id: string }) => i.id));
    }
    expect(first.total).toBeGreaterThanOrEqual(502);
    expect(seen.length).toBe(first.total);
    expect(new Set(seen).size).toBe(first.total);
    for (const id of [...rows.map((r) => r.id), '00000000-0000-4000-9000-000000000001']) expect(seen).toContain(id);
    expect((await call(p, 'supervisor', 'GET', '/api/v1/verifications/escalated?pageSize=101')).statusCode).toBe(400);
    await p.database.db.deleteFrom('verification_requests').where('id', 'in', [...rows.map((r) => r.id), '00000000-0000-4000-9000-000000000001']).execute();
  });
});

describe('statistics from the same records', () => {
  it('computes the exemption rate, commitments, verifications and cases with year-on-year change', async () => {
    const byMonth = (await call(p, 'supervisor', 'GET', '/api/v1/stats/exemption-rate?by=month')).json();
    expect(byMonth.items.length).toBeGreaterThanOrEqual(12);
    expect(byMonth.rate).toBeGreaterThan(0.5);
    expect(byMonth.rate).toBeLessThanOrEqual(1);
    const direct = await p.database.db.selectFrom('material_resolutions').innerJoin('applications', 'applications.id', 'material_resolutions.application_id')
      .select((eb) => [eb.fn.countAll<number>().as('n')]).where('applications.period_month', 'is not', null).executeTakeFirstOrThrow();
    expect(byMonth.total).toBe(Number(direct.n));
    const byMethod = (await call(p, 'supervisor', 'GET', '/api/v1/stats/exemption-rate?by=method')).json();
    expect(byMethod.items.find((i: { key: string }) => i.key === 'cancelled')?.rate).toBe(1);
    expect(byMethod.items.find((i: { key: string }) => i.key === 'upload')?.rate ?? 0).toBe(0);
    const byRegion = (await call(p, 'supervisor', 'GET', '/api/v1/stats/exemption-rate?by=region')).json();
    expect(byRegion.items.map((i: { key: string }) => i.key)).toContain('马鞍山市');
    const commitments = (await call(p, 'supervisor', 'GET', '/api/v1/stats/commitments')).json();
    expect(commitments.cases).toBeGreaterThan(0);
    const verifications = (await call(p, 'supervisor', 'GET', '/api/v1/stats/verifications')).json();
    expect(verifications.requests).toBeGreaterThan(0);
    expect(verifications.onTimeRate).toBeGreaterThan(0);
    const cases = (await call(p, 'supervisor', 'GET', '/api/v1/stats/cases')).json();
    const withYoy = cases.byMonth.filter((m: { yoy: number | null }) => m.yoy !== null);
    expect(cases.total).toBeGreaterThan(100);
    expect(withYoy.length).toBeGreaterThanOrEqual(1);
    expect((await call(p, 'citizen', 'GET', '/api/v1/stats/cases')).statusCode).toBe(403);
    expect((await call(p, 'supervisor', 'GET', '/api/v1/stats/exemption-rate?by=colour')).statusCode).toBe(400);
    for (const url of ['/api/v1/stats/exemption-rate?region=110105', '/api/v1/stats/commitments?region=110105', '/api/v1/stats/verifications?region=110105', '/api/v1/stats/cases?region=110105']) {
      expect((await call(p, 'supervisor', 'GET', url)).json().error, url).toMatchObject({ code: 'REGION.NOT_FOUND', field: 'querystring.region' });
    }
  });

  it('applies the region filter to every figure: commitments, post-checks and verifications by their application, credit records by the recording department', async () => {
    const all = { c: (await call(p, 'supervisor', 'GET', '/api/v1/stats/commitments')).json(), v: (await call(p, 'supervisor', 'GET', '/api/v1/stats/verifications')).json() };
    const cities = (await p.database.db.selectFrom('applications').select((eb) => eb.fn('substr', ['region_code', eb.val(1), eb.val(4)]).as('p')).distinct().execute()).map((r) => `${String(r.p)}00`);
    expect(cities.length).toBeGreaterThan(1);
    let cases = 0;
    let requests = 0;
    let postChecks = 0;
    let credit = 0;
    for (const city of cities) {
      const c = (await call(p, 'supervisor', 'GET', `/api/v1/stats/commitments?region=${city}`)).json();
      const v = (await call(p, 'supervisor', 'GET', `/api/v1/stats/verifications?region=${city}`)).json();
      const direct = await p.database.db.selectFrom('commitments').innerJoin('applications', 'applications.id', 'commitments.application_id')
        .select((eb) => eb.fn.countAll<number>().as('n')).where('commitments.period_month', 'is not', null).where('applications.region_code', 'like', `${city.slice(0, 4)}%`).executeTakeFirstOrThrow();
      expect(c.cases, city).toBe(Number(direct.n));
      cases += c.cases;
      requests += v.requests;
      postChecks += c.postChecks.total;
      credit += c.creditRecords.total;
    }
    // the cities partition the whole: nothing counted twice, nothing left out
    expect(cases).toBe(all.c.cases);
    expect(requests).toBe(all.v.requests);
    expect(postChecks).toBe(all.c.postChecks.total);
    expect(credit).toBeLessThanOrEqual(all.c.creditRecords.total);
    // a city's figures are its own, not the province's
    expect(cases).toBeGreaterThan((await call(p, 'supervisor', 'GET', `/api/v1/stats/commitments?region=${cities[0]}`)).json().cases);
  });

  it('exports a month as a workbook whose figures are those of the API for that month', async () => {
    const months = (await call(p, 'supervisor', 'GET', '/api/v1/stats/cases')).json().byMonth as Array<{ month: string; cases: number; yoy: number | null }>;
    const m = [...months].reverse().find((x) => x.yoy !== null)!;
    const city = '340500';
    const res = await call(p, 'supervisor', 'GET', `/api/v1/stats/monthly-report.xlsx?month=${m.month}&region=${city}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain(`免证月度报告-马鞍山市-${m.month}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '免提交率·按地区', '免提交率·按部门', '免提交率·按事项', '免提交率·按方式', '近12个月']);
    const overview = new Map<string, unknown>();
    wb.getWorksheet('概览')!.eachRow((row, i) => { if (i > 1) overview.set(String(row.getCell(1).value), row.getCell(2).value); });
    const q = `from=${m.month}&to=${m.month}&region=${city}`;
    const cases = (await call(p, 'supervisor', 'GET', `/api/v1/stats/cases?${q}`)).json();
    const rate = (await call(p, 'supervisor', 'GET', `/api/v1/stats/exemption-rate?by=method&${q}`)).json();
    const commitments = (await call(p, 'supervisor', 'GET', `/api/v1/stats/commitments?${q}`)).json();
    const verifications = (await call(p, 'supervisor', 'GET', `/api/v1/stats/verifications?${q}`)).json();
    expect(overview.get('统计月份')).toBe(m.month);
    expect(overview.get('地区')).toBe('马鞍山市');
    expect(overview.get('办件量')).toBe(cases.total);
    expect(overview.get('同比')).toBe(cases.byMonth[0]?.yoy ?? '—');
    expect(overview.get('证明材料数')).toBe(rate.total);
    expect(overview.get('免提交数')).toBe(rate.exempt);
    expect(overview.get('免提交率')).toBe(rate.rate ?? '—');
    expect(overview.get('告知承诺办件')).toBe(commitments.cases);
    expect(overview.get('部门核验请求')).toBe(verifications.requests);
    // the method sheet adds up to the overview
    let total = 0;
    wb.getWorksheet('免提交率·按方式')!.eachRow((row, i) => { if (i > 1) total += Number(row.getCell(2).value); });
    expect(total).toBe(rate.total);
    expect(wb.getWorksheet('近12个月')!.rowCount).toBe(13);

    expect((await call(p, 'supervisor', 'GET', '/api/v1/stats/monthly-report.xlsx?month=2026-13')).json().error.field).toBe('querystring.month');
    expect((await call(p, 'supervisor', 'GET', '/api/v1/stats/monthly-report.xlsx?month=0099-12')).json().error.field).toBe('querystring.month');
    expect((await call(p, 'supervisor', 'GET', '/api/v1/stats/monthly-report.xlsx')).statusCode).toBe(400);
    expect((await call(p, 'supervisor', 'GET', `/api/v1/stats/monthly-report.xlsx?month=${m.month}&region=110105`)).json().error).toMatchObject({ code: 'REGION.NOT_FOUND', field: 'querystring.region' });
    expect((await call(p, 'citizen', 'GET', `/api/v1/stats/monthly-report.xlsx?month=${m.month}`)).statusCode).toBe(403);
  });
});

describe('statistics: exemption rate by service item', () => {
  it('keeps different cities\' service items apart, keyed by name and region (5 cities\' 结婚登记 are 5 rows)', async () => {
    const res = await call(p, 'supervisor', 'GET', '/api/v1/stats/exemption-rate?by=service_item');
    expect(res.statusCode).toBe(200);
    const keys = (res.json().items as { key: string }[]).map((i) => i.key);
    const { rows } = await sql<{ code: string; name: string; region: string }>`
      SELECT DISTINCT a.service_item_code AS code, a.service_item_name AS name, r.name AS region
        FROM material_resolutions m JOIN applications a ON a.id = m.application_id JOIN regions r ON r.code = a.region_code
       WHERE a.period_month IS NOT NULL`.execute(p.database.db);
    expect(new Set(rows.map((r) => r.code)).size).toBe(keys.length);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(rows.map((r) => `${r.name}(${r.region})`).sort());
    // one name in several cities: the case the key is for
    expect(rows.filter((r) => r.name === '结婚登记').length).toBeGreaterThan(1);
    expect(keys).toContain('结婚登记(马鞍山市)');
  });
});

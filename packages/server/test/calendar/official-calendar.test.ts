import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { fileApplication, material, scriptPorts } from '../applications/helpers.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { OfficialCalendar, officialCalendarOf } from '../../src/calendar/adapters/official-calendar.ts';
import { testDbKind } from '../support/test-database.ts';

/** 10:00 Beijing on Tuesday 2026-12-29: a 3-working-day verification deadline crosses 元旦 2027. */
const now = new Date('2026-12-29T02:00:00Z');
let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform({ now: () => now });
  scriptPorts(p);
});
afterAll(async () => { await p?.close(); });

const put = async (user: string, year: number | string, days: unknown) =>
  p.app.inject({ method: 'PUT', url: `/api/v1/calendar/${year}`, headers: await p.as(user), payload: { days } });
const get = async (user: string, year: number | string) => p.app.inject({ url: `/api/v1/calendar/${year}`, headers: await p.as(user) });
const dueOfNewVerification = async () => material(await fileApplication(p, 'citizen', '340500-LSJZ'), 'dbzm').resolution as unknown as { status: string; verification: { id: string; dueAt: string } };

describe('GET /api/v1/calendar/:year', () => {
  it('shows an unknown year by the statutory holidays, with a warning', async () => {
    const res = await get('clerk', 2027);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ year: 2027, source: 'statutory', overridden: 0, warning: { zh: '2027 年国务院放假安排尚未录入:按法定节假日计算,未含调休' } });
    expect(body.warning.en).toContain('2027');
    expect(body.days[0]).toEqual({ date: '2027-01-01', work: false, name: '元旦', source: 'statutory' });
  });

  it('shows a known year from the package without a warning', async () => {
    const body = (await get('supervisor', 2026)).json();
    expect(body).toMatchObject({ year: 2026, source: 'package', overridden: 0 });
    expect(body.warning).toBeUndefined();
    expect(body.days).toContainEqual({ date: '2026-02-14', work: true, name: '春节', source: 'package' });
  });

  it('is for staff: an applicant, an agent and a verifier get 403, no session 401; a year out of range 400', async () => {
    for (const user of ['citizen', 'agent', 'bank']) expect((await get(user, 2027)).statusCode, user).toBe(403);
    expect((await p.app.inject({ url: '/api/v1/calendar/2027' })).statusCode).toBe(401);
    for (const user of ['clerk', 'issuer', 'catalogadmin', 'dataadmin', 'supervisor']) expect((await get(user, 2027)).statusCode, user).toBe(200);
    const bad = await get('dataadmin', 1999);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('params.year');
    expect((await get('dataadmin', 'abc')).json().error.field).toBe('params.year');
  });
});

describe('deadlines across 元旦 2027 and administrators\' overrides', () => {
  it('skips 2027-01-01 before any notice is entered: 3 working days from 2026-12-29 end on Monday 2027-01-04', async () => {
    const r = await dueOfNewVerification();
    expect(r.status).toBe('awaiting_verification');
    expect(r.verification.dueAt).toBe('2027-01-04T15:59:59.999Z');
  });

  it('lets only data administrators enter the notice', async () => {
    const days = [{ date: '2027-01-02', work: true, name: '元旦调休上班' }];
    for (const user of ['citizen', 'clerk', 'supervisor', 'catalogadmin']) {
      const res = await put(user, 2027, days);
      expect(res.statusCode, user).toBe(403);
    }
    expect((await get('clerk', 2027)).json().overridden).toBe(0);
  });

  it('is the province\'s: a city\'s data administrator reads the calendar but gets 403 CALENDAR.PROVINCE_ONLY entering a notice', async () => {
    const model = await p.database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'dataadmin').executeTakeFirstOrThrow();
    await p.database.db.insertInto('accounts').values({
      id: randomUUID(), username: 'dataadmin-mas', display_name: '马鞍山数据管理员', kind: 'staff', password_hash: model.password_hash, roles: ['data_admin'],
      department_id: 'mas-sjzy', region_code: '340500', id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, external_subject: null,
    }).execute();
    expect((await get('dataadmin-mas', 2027)).json()).toMatchObject({ year: 2027, viewer: { mayEdit: false } });
    expect((await get('dataadmin', 2027)).json().viewer).toEqual({ mayEdit: true });
    expect((await get('clerk', 2027)).json().viewer).toEqual({ mayEdit: false });
    const res = await put('dataadmin-mas', 2027, [{ date: '2027-01-02', work: true, name: '元旦调休上班' }]);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CALENDAR.PROVINCE_ONLY');
    expect((await get('clerk', 2027)).json().overridden).toBe(0);
  });

  it('refuses bad input with the field at fault and changes nothing', async () => {
    const cases: Array<[unknown, string, string]> = [
      [[{ date: '2027-01-02', work: true, name: '班' }, { date: '2027-02-30', work: false, name: '春节' }], 'days.1.date', 'REQUEST.INVALID'],
      [[{ date: '2027-01-02', work: true, name: '班' }, { date: '2027-13-01', work: false, name: '春节' }], 'days.1.date', 'REQUEST.INVALID'],
      [[{ date: '2026-12-31', work: false, name: '跨年' }], 'days.0.date', 'CALENDAR.DATE_OUTSIDE_YEAR'],
      [[{ date: '2027-02-09', work: false, name: '春节' }, { date: '2027-02-10', work: false, name: '春节' }, { date: '2027-02-11', work: false, name: '春节' }, { date: '2027-02-09', work: false, name: '春节' }], 'days.3.date', 'CALENDAR.DUPLICATE_DATE'],
      [[{ date: '2027-01-02', work: true, name: '   ' }], 'days.0.name', 'CALENDAR.NAME_REQUIRED'],
      [[{ date: '2027-01-02', work: true, name: '' }], 'days.0.name', 'REQUEST.INVALID'],
      [[{ date: '2027-01-02', work: true, name: '节'.repeat(41) }], 'days.0.name', 'REQUEST.INVALID'],
      [[{ date: '2027-01-01', work: true, name: '元旦' }], 'days.0.work', 'CALENDAR.STATUTORY_HOLIDAY'],
      [[{ date: '2027-01-02', work: 'yes', name: '班' }], 'days.0.work', 'REQUEST.INVALID'],
      [[{ date: '2027-01-02', work: true, name: '班', extra: 1 }], 'days.0.extra', 'REQUEST.INVALID'],
      [Array.from({ length: 101 }, (_, i) => ({ date: new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10), work: false, name: '休' })), 'days', 'REQUEST.INVALID'],
    ];
    for (const [days, field, code] of cases) {
      const res = await put('dataadmin', 2027, days);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error, JSON.stringify(days).slice(0, 80)).toMatchObject({ code, field });
      expect(res.json().error.message).toBeTruthy();
      expect(res.json().error.messageEn).toBeTruthy();
    }
    const year = await put('dataadmin', 1999, []);
    expect(year.json().error.field).toBe('params.year');
    const missing = await p.app.inject({ method: 'PUT', url: '/api/v1/calendar/2027', headers: await p.as('dataadmin'), payload: {} });
    expect(missing.json().error.field).toBe('days');
    expect((await get('clerk', 2027)).json()).toMatchObject({ overridden: 0 });
    expect(await p.database.db.selectFrom('calendar_days').selectAll().execute()).toEqual([]);
  });

  it('counts a make-up workday on a weekend once the notice is entered, on this instance at once, and audits the change', async () => {
    const res = await put('dataadmin', 2027, [
      { date: '2027-01-02', work: true, name: '元旦调休上班' },
      { date: '2027-02-09', work: false, name: '春节' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ year: 2027, source: 'statutory', overridden: 2 });
    expect(res.json().warning).toBeUndefined();
    expect(res.json().days).toContainEqual({ date: '2027-01-02', work: true, name: '元旦调休上班', source: 'override' });
    expect(res.json().days).toContainEqual({ date: '2027-02-09', work: false, name: '春节', source: 'override' });
    // Dec 30, Dec 31, (元旦), Saturday Jan 2 made a working day
    expect((await dueOfNewVerification()).verification.dueAt).toBe('2027-01-02T15:59:59.999Z');
    const audit = await p.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'calendar.year.replace').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ subject_type: 'calendar_year', subject_id: '2027', actor_role: 'data_admin' });
    const chain = await p.app.inject({ url: '/api/v1/audit/verify', headers: await p.as('supervisor') });
    expect(chain.json().ok).toBe(true);
  });

  it('replaces the year\'s overrides as a whole', async () => {
    const res = await put('dataadmin', 2027, [{ date: '2027-01-04', work: false, name: '测试休息日' }]);
    expect(res.json().overridden).toBe(1);
    // Dec 30, Dec 31, (元旦, weekend — Jan 2 is no longer a working day), (Jan 4 off), Jan 5
    expect((await dueOfNewVerification()).verification.dueAt).toBe('2027-01-05T15:59:59.999Z');
    const rows = await p.database.db.selectFrom('calendar_days').select(['work', 'name', 'updated_by']).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.updated_by).toBeTruthy();
  });

  it('counts the clerk\'s review deadline with the overrides too, read within the signing transaction', async () => {
    const { licenses, dataSharing } = scriptPorts(p);
    licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
    dataSharing.outcomes.set('ZM-MAS-HJZM', 'answered');
    const app = await fileApplication(p, 'citizen', '340500-JHDJ');
    const commitmentId = material(app, 'hyzk').resolution.commitment!.id;
    // stale: the engine reloads the overrides inside the transaction that settles the application (PGlite has one connection)
    officialCalendarOf(p.database.db).invalidate();
    const signed = await p.app.inject({ method: 'POST', url: `/api/v1/commitments/${commitmentId}/sign`, headers: await p.as('citizen'), payload: { accept: true } });
    expect(signed.statusCode, signed.body).toBe(200);
    const view = (await p.app.inject({ url: `/api/v1/applications/${app.id}`, headers: await p.as('citizen') })).json();
    expect(view.status).toBe('under_review');
    // 5 working days: Dec 30, Dec 31, (元旦, weekend, Jan 4 off by the override), Jan 5, 6, 7
    expect(view.reviewDueAt).toBe('2027-01-07T15:59:59.999Z');
    scriptPorts(p);
  });
});

describe('several instances share one database', () => {
  let other: Database | undefined;
  afterAll(async () => { await other?.close(); });

  it('another instance counts with an override within the refresh window, not later', async () => {
    // on PostgreSQL a second connection pool; PGlite is one process's database, so the same handle serves
    if (testDbKind() === 'postgres') other = await openDatabase({ databaseUrl: process.env.MZ_LAST_TEST_DB_URL! });
    let clock = 1_000_000;
    const b = new OfficialCalendar((other ?? p.database).db, { ttlMs: 60_000, clock: () => clock });
    expect(b.stale).toBe(true);
    await b.fresh();
    expect(b.isWorkday('2027-01-04')).toBe(false);
    expect(b.isWorkday('2027-01-06')).toBe(true);
    const res = await put('dataadmin', 2027, [{ date: '2027-01-06', work: false, name: '另一实例' }]);
    expect(res.statusCode).toBe(200);
    clock += 59_999;
    await b.fresh();
    expect(b.isWorkday('2027-01-06')).toBe(true); // still the copy it loaded
    expect(b.isWorkday('2027-01-04')).toBe(false);
    clock += 1;
    expect(b.stale).toBe(true);
    await b.fresh();
    expect(b.isWorkday('2027-01-06')).toBe(false);
    expect(b.day('2027-01-06')).toEqual({ date: '2027-01-06', work: false, name: '另一实例', source: 'override' });
    expect(b.isWorkday('2027-01-04')).toBe(true);
    expect(b.day('2027-01-01')).toMatchObject({ work: false, source: 'statutory' });
  });

  it('serialises concurrent saves of one year: both succeed, the last one stands', async () => {
    const results = await Promise.all([1, 2, 3].map((i) => put('dataadmin', 2027, [{ date: `2027-03-0${i}`, work: false, name: `并发${i}` }, { date: '2027-03-10', work: false, name: '共同' }])));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const rows = await p.database.db.selectFrom('calendar_days').select('name').execute();
    expect(rows).toHaveLength(2);
  });
});

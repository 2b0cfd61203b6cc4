/**
 * Statistics are region-bound like the records they count (applications, escalations, credit
 * records): a city supervisor reads the city's figures — by default, and never another
 * region's (403 AUTH.OUT_OF_SCOPE naming the filter); a province supervisor the province's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { addSupervisor as addStaffSupervisor, call } from '../applications/helpers.ts';

const addSupervisor = (username: string, regionCode: string | null, departmentId: string | null = null) => addStaffSupervisor(p, username, regionCode, departmentId);

let p: TestPlatform;


const ROUTES = ['/api/v1/stats/exemption-rate?by=region', '/api/v1/stats/commitments', '/api/v1/stats/verifications', '/api/v1/stats/cases'];

beforeAll(async () => {
  p = await createTestPlatform();
  await addSupervisor('sup-mas', '340500');
  // no region of its own: the department's (铜陵市民政局)
  await addSupervisor('sup-tl-dept', null, 'tl-mz');
});
afterAll(async () => { await p?.close(); });

describe('statistics by the caller\'s region', () => {
  it('a city supervisor reads the city\'s figures by default: those the province reads for the city', async () => {
    for (const url of ROUTES) {
      const own = await call(p, 'sup-mas', 'GET', url);
      expect(own.statusCode, url).toBe(200);
      const city = await call(p, 'supervisor', 'GET', `${url}${url.includes('?') ? '&' : '?'}region=340500`);
      expect(own.json(), url).toEqual(city.json());
    }
    const all = (await call(p, 'supervisor', 'GET', '/api/v1/stats/cases')).json();
    const mas = (await call(p, 'sup-mas', 'GET', '/api/v1/stats/cases')).json();
    expect(mas.total).toBeGreaterThan(0);
    expect(mas.total).toBeLessThan(all.total);
    const byRegion = (await call(p, 'sup-mas', 'GET', '/api/v1/stats/exemption-rate?by=region')).json();
    expect(byRegion.items.map((i: { key: string }) => i.key)).toEqual(['马鞍山市']);
  });

  it('refuses another region or the province with 403 naming the filter; its own region is fine', async () => {
    for (const url of [...ROUTES, '/api/v1/stats/monthly-report.xlsx?month=2026-01']) {
      const sep = url.includes('?') ? '&' : '?';
      for (const region of ['340700', '340000']) {
        const res = await call(p, 'sup-mas', 'GET', `${url}${sep}region=${region}`);
        expect(res.statusCode, `${url} ${region}`).toBe(403);
        expect(res.json().error, url).toMatchObject({ code: 'AUTH.OUT_OF_SCOPE', field: 'querystring.region' });
      }
      expect((await call(p, 'sup-mas', 'GET', `${url}${sep}region=340500`)).statusCode, url).toBe(200);
    }
  });

  it('an account without a region of its own reads its department\'s region', async () => {
    const tl = (await call(p, 'sup-tl-dept', 'GET', '/api/v1/stats/cases')).json();
    expect(tl).toEqual((await call(p, 'supervisor', 'GET', '/api/v1/stats/cases?region=340700')).json());
    expect((await call(p, 'sup-tl-dept', 'GET', '/api/v1/stats/cases?region=340500')).statusCode).toBe(403);
  });

  it('names the city in the monthly report the city supervisor downloads without a region', async () => {
    const res = await call(p, 'sup-mas', 'GET', '/api/v1/stats/monthly-report.xlsx?month=2026-01');
    expect(res.statusCode).toBe(200);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('免证月度报告-马鞍山市-2026-01.xlsx');
  });
});

describe('the regions the dashboard offers', () => {
  const regions = async (user: string) => {
    const res = await call(p, user, 'GET', '/api/v1/stats/regions');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { scope: { code: string; name: string } | null; items: { code: string; name: string; level: string }[] };
  };

  it('a supervisor whose region is its department\'s is offered that region and those within it only — each readable, none refused', async () => {
    const tl = await regions('sup-tl-dept');
    expect(tl.scope).toMatchObject({ code: '340700', name: '铜陵市' });
    expect(tl.items.length).toBeGreaterThan(1);
    expect(tl.items.every((r) => r.code.startsWith('3407'))).toBe(true);
    expect(tl.items.map((r) => r.code)).toContain('340700');
    for (const r of tl.items) {
      expect((await call(p, 'sup-tl-dept', 'GET', `/api/v1/stats/cases?region=${r.code}`)).statusCode, r.code).toBe(200);
    }
    // what it is not offered it may not read
    expect((await call(p, 'sup-tl-dept', 'GET', '/api/v1/stats/cases?region=340500')).statusCode).toBe(403);
  });

  it('a city supervisor is offered its city\'s regions; the province\'s every region', async () => {
    const mas = await regions('sup-mas');
    expect(mas.scope).toMatchObject({ code: '340500', name: '马鞍山市' });
    expect(mas.items.every((r) => r.code.startsWith('3405'))).toBe(true);
    const all = await regions('supervisor');
    const every = await p.database.db.selectFrom('regions').select('code').orderBy('code').execute();
    expect(all.items.map((r) => r.code)).toEqual(every.map((r) => r.code).filter((c) => c.startsWith('34')));
    expect(all.items.map((r) => r.code)).toEqual(expect.arrayContaining(['340000', '340500', '340700']));
  });

  it('is for the statistics roles only', async () => {
    expect((await call(p, null, 'GET', '/api/v1/stats/regions')).statusCode).toBe(401);
    expect((await call(p, 'citizen', 'GET', '/api/v1/stats/regions')).statusCode).toBe(403);
    expect((await call(p, 'catalogadmin', 'GET', '/api/v1/stats/regions')).statusCode).toBe(200);
  });
});

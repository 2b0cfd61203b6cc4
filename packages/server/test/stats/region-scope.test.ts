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

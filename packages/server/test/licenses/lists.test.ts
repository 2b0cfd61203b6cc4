import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { BUSINESS, HOUSEHOLD, ID_CARD } from './helpers.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

describe('用证事项清单', () => {
  it('lists, per license type, the service items that accept it', async () => {
    const res = await p.app.inject(`/api/v1/license-usage?type=${HOUSEHOLD}&region=340500`);
    expect(res.statusCode).toBe(200);
    const [t] = res.json().types;
    expect(t.name).toBe('居民户口簿');
    const names = t.serviceItems.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['户口迁移登记', '居民身份证申领', '结婚登记', '义务教育入学登记']));
    expect(t.serviceItems.every((s: { regionCode: string }) => s.regionCode === '340500')).toBe(true);
    expect(t.serviceItems[0].materials[0]).toMatchObject({ name: '户籍证明/户口簿', proofItemId: 'ZM-MAS-HJZM' });
    const all = (await p.app.inject('/api/v1/license-usage')).json();
    expect(all.types).toHaveLength(10);
    expect(all.types.find((x: { code: string }) => x.code === BUSINESS).serviceItems.length).toBe(10); // 2 items × 5 cities
    expect((await p.app.inject('/api/v1/license-usage?type=11100000000013338W098')).statusCode).toBe(404);
  });

  it('exports the list as .xlsx', async () => {
    const res = await p.app.inject(`/api/v1/license-usage/export.xlsx?type=${ID_CARD}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).values).toEqual(expect.arrayContaining(['证照类型', '事项名称', '以电子证照代替的材料']));
    const rows = (await p.app.inject(`/api/v1/license-usage?type=${ID_CARD}`)).json().types[0].serviceItems.length;
    expect(ws.getRow(2 + rows).getCell(2).value).toBe('居民身份证');
  });
});

describe('电子证照关联率', () => {
  it('is 100% where every license-kind proof item is linked, and lower where one is not (池州 户籍证明)', async () => {
    const mas = (await p.app.inject('/api/v1/stats/license-association?region=340500')).json();
    expect(mas.region).toEqual({ code: '340500', name: '马鞍山市' });
    expect(mas.total).toBeGreaterThan(0);
    expect(mas.rate).toBe(1);
    const cz = (await p.app.inject('/api/v1/stats/license-association?region=341700')).json();
    expect(cz.rate).toBeLessThan(1);
    expect(cz.unlinked[0]).toMatchObject({ proofItemId: 'ZM-CZ-HJZM', name: '户籍证明/户口簿' });
    expect(cz.linked / cz.total).toBeCloseTo(cz.rate, 3);
    const province = (await p.app.inject('/api/v1/stats/license-association')).json();
    expect(province.byRegion.map((r: { code: string }) => r.code)).toEqual(['340100', '340500', '340700', '341000', '341700']);
    expect(province.total).toBe(province.byRegion.reduce((n: number, r: { total: number }) => n + r.total, 0));
  });

  it('rises when the data bureau links the missing proof item', async () => {
    const before = (await p.app.inject('/api/v1/stats/license-association?region=341700')).json();
    const type = (await p.app.inject(`/api/v1/license-types/${HOUSEHOLD}`)).json();
    const res = await p.app.inject({ method: 'PUT', url: `/api/v1/admin/license-types/${HOUSEHOLD}/proof-items`, headers: await p.as('dataadmin'), payload: { proofItemIds: [...type.proofItems.map((x: { id: string }) => x.id), 'ZM-CZ-HJZM'] } });
    expect(res.statusCode).toBe(200);
    const after = (await p.app.inject('/api/v1/stats/license-association?region=341700')).json();
    expect(after.linked).toBeGreaterThan(before.linked);
    expect(after.rate).toBe(1);
  });

  it('rejects an unknown region', async () => {
    expect((await p.app.inject('/api/v1/stats/license-association?region=999999')).statusCode).toBe(404);
    expect((await p.app.inject('/api/v1/stats/license-association?region=34')).statusCode).toBe(400);
  });
});

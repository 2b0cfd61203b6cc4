/**
 * The monthly report's year-on-year for a month without cases: the same month a year earlier
 * is still named (its cases), and the change is −100 %, not "—" as if there were nothing to
 * compare with. A month without cases in either year has no year-on-year (no division by zero).
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call } from '../applications/helpers.ts';

let p: TestPlatform;

/** `n` submitted applications of 池州市 first submitted in `month`. */
async function seedCases(month: string, n: number) {
  const db = p.database.db;
  const account = await db.selectFrom('accounts').select('id').where('username', '=', 'citizen').executeTakeFirstOrThrow();
  const version = await db.selectFrom('catalog_versions').select('number').orderBy('number', 'desc').executeTakeFirstOrThrow();
  const dept = await db.selectFrom('departments').select(['id', 'name']).where('region_code', '=', '341700').executeTakeFirstOrThrow();
  const at = new Date(`${month}-15T04:00:00Z`);
  await db.insertInto('applications').values(Array.from({ length: n }, () => ({
    id: randomUUID(), ref: `TEST-${randomUUID()}`, bundle_id: null, service_item_code: '341700-TEST', service_item_name: '测试事项', department_id: dept.id, department_name: dept.name,
    region_code: '341700', catalog_version: version.number, status: 'approved', applicant_account_id: account.id, applicant_kind: 'person' as const, applicant_name: '测试',
    applicant_code_enc: 'x', applicant_code_hash: 'x', applicant_code_mask: 'x', created_by_account_id: account.id, agent_account_id: null, identity_check_id: null,
    form: '{}', created_at: at, submitted_at: at, period_month: month, updated_at: at,
  }))).execute();
}

async function report(month: string): Promise<ExcelJS.Workbook> {
  const res = await call(p, 'supervisor', 'GET', `/api/v1/stats/monthly-report.xlsx?month=${month}&region=341700`);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as never);
  return wb;
}

async function overview(month: string): Promise<Map<string, unknown>> {
  const wb = await report(month);
  const rows = new Map<string, unknown>();
  wb.getWorksheet('概览')!.eachRow((row, i) => { if (i > 1) rows.set(String(row.getCell(1).value), row.getCell(2).value); });
  return rows;
}

beforeAll(async () => {
  p = await createTestPlatform();
  await seedCases('2030-05', 4);
  await seedCases('2031-04', 2);
  await seedCases('2030-04', 1);
});
afterAll(async () => { await p?.close(); });

describe('monthly report year-on-year', () => {
  it('a month with cases against one with cases: the change', async () => {
    const r = await overview('2031-04');
    expect(r.get('办件量')).toBe(2);
    expect(r.get('去年同月办件量')).toBe(1);
    expect(r.get('同比')).toBe(1);
  });

  it('a month without cases against one with cases: the earlier month\'s cases and −100 %', async () => {
    const r = await overview('2031-05');
    expect(r.get('办件量')).toBe(0);
    expect(r.get('去年同月办件量')).toBe(4);
    expect(r.get('同比')).toBe(-1);
    // the 12 months' sheet of a later report says the same of that month
    const trend = new Map<string, unknown>();
    (await report('2031-07')).getWorksheet('近12个月')!.eachRow((row, i) => { if (i > 1) trend.set(String(row.getCell(1).value), row.getCell(3).value); });
    expect(trend.get('2031-05')).toBe(-1);
    expect(trend.get('2031-04')).toBe(1);
    expect(trend.get('2031-06')).toBe('—');
  });

  it('no cases in either year: no year-on-year', async () => {
    const r = await overview('2031-06');
    expect(r.get('办件量')).toBe(0);
    expect(r.get('去年同月办件量')).toBe('—');
    expect(r.get('同比')).toBe('—');
  });
});

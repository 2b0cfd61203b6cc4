/**
 * Credit records (信用记录) are region-scoped: a record belongs to the region of the department
 * that recorded it. A province supervisor (340000) reads all of the province; a city supervisor
 * only the city's — in the list (filtered before the page limit), in the export, and in repair,
 * where another region's record is 404 as if there were none.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { addSupervisor as addStaffSupervisor, call } from '../applications/helpers.ts';

const addSupervisor = (username: string, regionCode: string | null, departmentId: string | null = null) => addStaffSupervisor(p, username, regionCode, departmentId);

let p: TestPlatform;


/** A false-commitment record of a department, recorded `minutesAgo` before now. */
function record(departmentId: string, n: number, minutesAgo: number) {
  const now = Date.now();
  return {
    id: randomUUID(), subject_code_hash: `test-subject-${departmentId}-${n}`, subject_code_mask: '340503********0011', subject_name: `测试主体${departmentId}-${n}`, subject_kind: 'person',
    type: 'false_commitment' as const, source_type: 'post_check', source_id: randomUUID(), source_ref: `TEST-${departmentId}-${n}`, department_id: departmentId,
    detail: '测试记录', recorded_at: new Date(now - minutesAgo * 60_000), valid_until: new Date(now + 300 * 86_400_000), status: 'active' as const,
    repaired_at: null, repaired_by: null, repair_reason: null,
  };
}

type Item = { id: string; departmentName: string; source: { ref: string } };
const ids = (items: Item[]) => new Set(items.map((i) => i.id));

let mas: ReturnType<typeof record>[];
let tl: ReturnType<typeof record>[];
beforeAll(async () => {
  p = await createTestPlatform();
  // 马鞍山 (mas-mz) records are older than 60 of 铜陵 (tl-mz): a first page of 50 is all 铜陵's unless the region is filtered first
  mas = [record('mas-mz', 1, 200), record('mas-mz', 2, 201)];
  tl = Array.from({ length: 60 }, (_, i) => record('tl-mz', i, i + 1));
  await p.database.db.insertInto('credit_records').values([...mas, ...tl]).execute();
  await addSupervisor('sup-mas', '340500');
  await addSupervisor('sup-tl', '340700');
  // no region of its own: the department's (铜陵市民政局)
  await addSupervisor('sup-tl-dept', null, 'tl-mz');
});
afterAll(async () => { await p?.close(); });

describe('credit records by region', () => {
  it('a city supervisor lists only the city\'s records, filtered before the page limit', async () => {
    const res = await call(p, 'sup-mas', 'GET', '/api/v1/credit/records?status=active&pageSize=50');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Item[];
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.every((i) => i.departmentName.startsWith('马鞍山市'))).toBe(true);
    for (const r of mas) expect(ids(items).has(r.id)).toBe(true);
    for (const r of tl) expect(ids(items).has(r.id)).toBe(false);

    const other = (await call(p, 'sup-tl', 'GET', '/api/v1/credit/records?pageSize=200')).json().items as Item[];
    expect(other.every((i) => i.departmentName.startsWith('铜陵市'))).toBe(true);
    for (const r of tl) expect(ids(other).has(r.id)).toBe(true);
    for (const r of mas) expect(ids(other).has(r.id)).toBe(false);
  });

  it('a staff account without a region of its own is scoped to its department\'s region', async () => {
    const items = (await call(p, 'sup-tl-dept', 'GET', '/api/v1/credit/records?pageSize=200')).json().items as Item[];
    expect(items.length).toBeGreaterThanOrEqual(60);
    expect(items.every((i) => i.departmentName.startsWith('铜陵市'))).toBe(true);
  });

  it('the province supervisor lists every city\'s records', async () => {
    const items = (await call(p, 'supervisor', 'GET', '/api/v1/credit/records?pageSize=200')).json().items as Item[];
    for (const r of [...mas, ...tl]) expect(ids(items).has(r.id)).toBe(true);
  });

  it('pages on the server and says how many there are in all, so every record can be reached', async () => {
    const first = (await call(p, 'sup-tl', 'GET', '/api/v1/credit/records?pageSize=20')).json();
    expect(first).toMatchObject({ page: 1, pageSize: 20 });
    expect(first.items).toHaveLength(20);
    const total = first.total as number;
    expect(total).toBeGreaterThanOrEqual(60);
    // page by page, every record once: 铜陵's 60 included, though one answer's default is 50
    const seen: Item[] = [...first.items];
    for (let page = 2; page <= Math.ceil(total / 20); page++) {
      const next = (await call(p, 'sup-tl', 'GET', `/api/v1/credit/records?pageSize=20&page=${page}`)).json();
      expect(next.total).toBe(total);
      seen.push(...next.items);
    }
    expect(seen).toHaveLength(total);
    expect(ids(seen).size).toBe(total);
    for (const r of tl) expect(ids(seen).has(r.id)).toBe(true);
    expect((await call(p, 'sup-tl', 'GET', '/api/v1/credit/records?status=repaired')).json()).toMatchObject({ items: [], total: 0 });
  });

  it('searches the text as typed: % and _ are no wildcards', async () => {
    const search = async (q: string) => (await call(p, 'sup-tl', 'GET', `/api/v1/credit/records?pageSize=200&q=${encodeURIComponent(q)}`)).json();
    expect((await search('测试主体tl-mz-1')).total).toBe(11); // -1 and -10 … -19
    expect((await search('测试主体tl_mz')).total).toBe(0);
    expect((await search('测试主体%')).total).toBe(0);
    expect((await search('\\')).total).toBe(0);
  });

  it('the export holds only the city\'s records', async () => {
    const res = await call(p, 'sup-mas', 'GET', '/api/v1/credit/records/export.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.getWorksheet('信用记录')!;
    const refs: string[] = [];
    const departments: string[] = [];
    ws.eachRow((row, i) => { if (i > 1) { refs.push(String(row.getCell(4).value)); departments.push(String(row.getCell(5).value)); } });
    expect(refs).toEqual(expect.arrayContaining(mas.map((r) => r.source_ref)));
    expect(refs.some((r) => r.startsWith('TEST-tl-mz'))).toBe(false);
    expect(departments.every((d) => d.startsWith('马鞍山市'))).toBe(true);
  });

  it('another region\'s record is 404 to repair, as an unknown one, and stays as it was; the city\'s own supervisor repairs it', async () => {
    const target = tl[0]!;
    const foreign = await call(p, 'sup-mas', 'POST', `/api/v1/credit/records/${target.id}/repair`, { reason: '已履行信用修复承诺' });
    const unknown = await call(p, 'sup-mas', 'POST', `/api/v1/credit/records/${randomUUID()}/repair`, { reason: '已履行信用修复承诺' });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual(unknown.json());
    expect(foreign.json().error).toMatchObject({ code: 'CREDIT.RECORD_NOT_FOUND', field: 'id' });
    const row = await p.database.db.selectFrom('credit_records').select(['status', 'repaired_by']).where('id', '=', target.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'active', repaired_by: null });
    expect((await call(p, 'sup-tl', 'POST', `/api/v1/credit/records/${target.id}/repair`, { reason: '已履行信用修复承诺' })).statusCode).toBe(200);
    // the province supervisor repairs any city's
    expect((await call(p, 'supervisor', 'POST', `/api/v1/credit/records/${mas[0]!.id}/repair`, { reason: '已履行信用修复承诺' })).statusCode).toBe(200);
  });
});

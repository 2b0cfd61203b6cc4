/**
 * Importing a list of service items (政务服务事项清单) into the draft: all or nothing, region-bound,
 * each material linked to the proof item of that name that applies where the item is offered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let p: TestPlatform;
let province: Record<string, string>;
let city: Record<string, string>;

beforeAll(async () => {
  p = await createTestPlatform();
  province = await p.as('catalogadmin');
  city = await p.as('catalogmas');
});
afterAll(async () => { await p?.close(); });

function importFile(headers: Record<string, string>, text: string, filename = '政务服务事项清单.csv') {
  const boundary = '----mz' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(filename)}"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(text), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/service-items/import', headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

async function item(code: string) {
  const res = await p.app.inject({ url: `/api/v1/admin/catalog/service-items?q=${encodeURIComponent(code)}`, headers: province });
  return (res.json().items as Array<{ code: string; name: string; departmentId: string; applicantKinds: string[]; materials: Array<{ id: string; name: string; proofItemId: string | null; required: boolean }> }>).find((i) => i.code === code);
}

async function snapshot() {
  const db = p.database.db;
  return JSON.stringify([
    await db.selectFrom('service_items').selectAll().orderBy('code').execute(),
    await db.selectFrom('service_item_materials').selectAll().orderBy('id').execute(),
    (await db.selectFrom('audit_log').select('seq').execute()).length,
  ]);
}

const HEADER = '马鞍山市政务服务事项清单(2026年版)\n事项编码,事项名称,实施部门,服务对象,申请材料\n';

describe('importing service items', () => {
  it('adds new items and replaces existing ones; materials that name a proof item require it, the others are forms', async () => {
    const before = await item('340500-CSDJ');
    const birth = before!.materials.find((m) => m.proofItemId === 'ZM-MAS-CSYX')!;
    const csv = HEADER +
      '340500-IMP-1,导入测试事项,马鞍山市民政局,"自然人、法人","1.导入测试申请表\n2.婚姻状况证明\n3.户籍证明/户口簿(选填)"\n' +
      `340500-CSDJ,新生儿出生登记,马鞍山市公安局,自然人,出生医学证明;出生登记申请表\n`;
    const res = await importFile(province, csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ total: 2, created: 1, updated: 1, unchanged: 0, proofMaterials: 3, formMaterials: 2 });

    const created = await item('340500-IMP-1');
    expect(created).toMatchObject({ name: '导入测试事项', departmentId: 'mas-mz', applicantKinds: ['person', 'enterprise'] });
    expect(created!.materials.map((m) => [m.name, m.proofItemId, m.required])).toEqual([
      ['导入测试申请表', null, true], ['婚姻状况证明', 'ZM-MAS-HYZK', true], ['户籍证明/户口簿', 'ZM-MAS-HJZM', false],
    ]);
    const updated = await item('340500-CSDJ');
    expect(updated!.materials.map((m) => [m.name, m.proofItemId])).toEqual([['出生医学证明', 'ZM-MAS-CSYX'], ['出生登记申请表', null]]);
    // the same proof item's material keeps its id (applications recorded it)
    expect(updated!.materials[0]!.id).toBe(birth.id);
    const audit = await p.database.db.selectFrom('audit_log').select(['action', 'change_digest']).where('action', '=', 'catalog.service_item.import').execute();
    expect(audit).toHaveLength(1);
    // the draft shows what the next version will change
    const draft = (await p.app.inject({ url: '/api/v1/admin/catalog/draft', headers: province })).json();
    expect(draft.pendingServiceItemChanges.map((c: { kind: string; code: string }) => [c.kind, c.code])).toEqual(expect.arrayContaining([['added', '340500-IMP-1'], ['changed', '340500-CSDJ']]));

    // the same file again changes nothing
    const again = await importFile(province, csv);
    expect(again.json()).toMatchObject({ total: 2, created: 0, updated: 0, unchanged: 2 });
  });

  it('a city\'s administrator: a row of another city\'s department or item refuses the whole file, naming the cells; nothing written', async () => {
    const before = await snapshot();
    const csv = HEADER +
      '340500-IMP-2,本市导入事项,马鞍山市民政局,自然人,导入测试申请表\n' +
      '340100-IMP-3,外市导入事项,合肥市民政局,自然人,导入测试申请表\n' +
      '340100-JHDJ,结婚登记,马鞍山市民政局,自然人,导入测试申请表\n';
    const res = await importFile(city, csv);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('CATALOG.IMPORT_INVALID');
    expect(res.json().error.details.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [4, '实施部门', 'CATALOG.OUT_OF_REGION'],
      [5, '事项编码', 'CATALOG.OUT_OF_REGION'],
    ]);
    expect(await snapshot()).toBe(before);
  });

  it('an unknown department, a bad cell or a repeated code refuses the file with every error; nothing written', async () => {
    const before = await snapshot();
    const csv = HEADER +
      '340500-IMP-4,导入事项四,马鞍山市不存在局,自然人,表\n' +
      '340500-IMP-5,导入事项五,马鞍山市民政局,机器人,表\n' +
      '340500-IMP-5,导入事项五again,马鞍山市民政局,自然人,表\n';
    const res = await importFile(province, csv);
    expect(res.statusCode).toBe(422);
    const codes = res.json().error.details.errors.map((e: { row: number; code: string }) => [e.row, e.code]);
    expect(codes).toEqual(expect.arrayContaining([[3, 'IMPORT.UNKNOWN_DEPARTMENT'], [4, 'IMPORT.BAD_APPLICANT_KIND'], [5, 'IMPORT.DUPLICATE_CODE']]));
    expect(await snapshot()).toBe(before);
  });

  it('a region\'s export imports back unchanged (export, edit, import again)', async () => {
    // an item added in the form, its names with a space between Latin and Chinese (kept) and stray ones (cleaned as an import cleans them)
    const added = await p.app.inject({
      method: 'POST', url: '/api/v1/admin/catalog/service-items', headers: city,
      payload: { code: '340500-T-ICP', name: ' ICP 备案\u3000 核验 ', departmentId: 'mas-mz', applicantKinds: ['enterprise'], materials: [{ name: 'ICP 备案 申请表', required: true }] },
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ name: 'ICP 备案核验', materials: [{ name: 'ICP 备案申请表' }] });
    const exported = await p.app.inject({ url: '/api/v1/admin/catalog/service-items/export.xlsx?regionCode=340500', headers: city });
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    const listed = (await p.app.inject({ url: '/api/v1/admin/catalog/service-items?regionCode=340500', headers: city })).json();
    const before = await snapshot();
    const boundary = '----mzx';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="export.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`),
      exported.rawPayload, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/service-items/import', headers: { ...city, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: listed.total, created: 0, updated: 0, unchanged: listed.total });
    // the import's own audit entry only
    const after = JSON.parse(await snapshot());
    const was = JSON.parse(before);
    expect(after.slice(0, 2)).toEqual(was.slice(0, 2));
    expect(after[2]).toBe(was[2] + 1);
  });

  it('a file that is not a list of service items is a 4xx naming the file', async () => {
    const noHeader = await importFile(province, '甲,乙,丙\n1,2,3\n');
    expect(noHeader.statusCode).toBeGreaterThanOrEqual(400);
    expect(noHeader.statusCode).toBeLessThan(500);
    expect(noHeader.json().error.field).toBe('file');
    const empty = await importFile(province, '');
    expect(empty.json().error.code).toBe('CATALOG.IMPORT_FILE_REQUIRED');
  });
});

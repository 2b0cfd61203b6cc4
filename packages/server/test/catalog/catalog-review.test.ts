/**
 * Defects found in review: an import whose rows name one proof item twice in different words,
 * a changelog blind to which service items require a proof, an export dated in UTC, and an
 * instance taken back to the version before the one it just published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogReadModels, latestVersionNumber } from '../../src/catalog/adapters/published-store.ts';
import { readXlsx } from '../../src/catalog/spreadsheet/xlsx-reader.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let p: TestPlatform;
let admin: Record<string, string>;
// 23:30 UTC is 07:30 the next day in Beijing
const clock = new Date('2026-11-28T23:30:00Z');
beforeAll(async () => {
  p = await createTestPlatform({ now: () => clock });
  admin = await p.as('catalogadmin');
});
afterAll(async () => { await p?.close(); });

function importFile(csv: string) {
  const boundary = '----mz' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="清单.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(csv), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/import', headers: { ...admin, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

const countByName = async (name: string) => (await p.database.db.selectFrom('proof_items').select('id').where('name', '=', name).execute()).length;
const publish = (note: string) => p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/publish', headers: admin, payload: { note } });

describe('an import naming one proof item in two rows, in different words', () => {
  const header = '证明名称,开具单位,设定依据,免提交方式,所属区划\n';

  it('the department by its full name and by its category in the region: 422 IMPORT.DUPLICATE_NAME on the second row, never a 500; nothing written', async () => {
    const res = await importFile(`${header}重复导入证明甲,马鞍山市公安局,依据,数据共享,\n重复导入证明甲,公安,依据,数据共享,马鞍山市\n`);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.code).toBe('CATALOG.IMPORT_INVALID');
    expect(res.json().error.details.errors).toEqual([
      expect.objectContaining({ row: 3, column: '证明名称', code: 'IMPORT.DUPLICATE_NAME', reason: expect.stringContaining('第 2 行') }),
    ]);
    expect(await countByName('重复导入证明甲')).toBe(0);
  });

  it('the region by its name and by its code: the same item, refused likewise', async () => {
    const res = await importFile(`${header}重复导入证明乙,马鞍山市公安局,依据,数据共享,马鞍山市\n重复导入证明乙,马鞍山市公安局,依据,直接取消,340500\n`);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.details.errors).toEqual([expect.objectContaining({ row: 3, code: 'IMPORT.DUPLICATE_NAME' })]);
    expect(await countByName('重复导入证明乙')).toBe(0);
  });

  it('two rows updating one existing item are refused too (one would silently undo the other)', async () => {
    const before = await p.database.db.selectFrom('proof_items').select(['methods', 'legal_basis']).where('id', '=', 'ZM-MAS-HYZK').executeTakeFirstOrThrow();
    const res = await importFile(`${header}婚姻状况证明,马鞍山市民政局,新依据一,数据共享,\n婚姻状况证明,民政,新依据二,直接取消,马鞍山市\n`);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.details.errors).toEqual([expect.objectContaining({ row: 3, code: 'IMPORT.DUPLICATE_NAME' })]);
    const after = await p.database.db.selectFrom('proof_items').select(['methods', 'legal_basis']).where('id', '=', 'ZM-MAS-HYZK').executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('rows repeating each other word for word are reported once, by the parser', async () => {
    const res = await importFile(`${header}重复导入证明丙,马鞍山市公安局,依据,数据共享,\n重复导入证明丙,马鞍山市公安局,依据,数据共享,\n`);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.details.errors).toEqual([expect.objectContaining({ row: 3, code: 'IMPORT.DUPLICATE_NAME' })]);
  });
});

describe('the changelog says which proof items are required by other service items (适用事项)', () => {
  it('a proof item linked to one more service item is a pending change and in the published version\'s changelog', async () => {
    // 无房证明 as it stands (数据共享、部门核验 since version 2, its legal basis), now also for 不动产转移登记
    const linked = await importFile('证明名称,开具单位,设定依据,免提交方式,适用事项\n无房证明,马鞍山市不动产登记中心,《公共租赁住房管理办法》第七条,数据共享、部门核验,340500-BDCZY\n');
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ unchanged: 1, linked: 1 });
    const draft = (await p.app.inject({ url: '/api/v1/admin/catalog/draft', headers: admin })).json();
    expect(draft.pendingChanges).toEqual([expect.objectContaining({ kind: 'changed', proofItemId: 'ZM-MAS-WFZM', fields: ['serviceItems'] })]);
    const pub = await publish('无房证明适用于不动产转移登记');
    expect(pub.statusCode, pub.body).toBe(201);
    const log = (await p.app.inject({ url: `/api/v1/catalog/changelog?to=${pub.json().number}` })).json();
    expect(log.entries).toEqual([expect.objectContaining({ kind: 'changed', proofItemId: 'ZM-MAS-WFZM', fields: ['serviceItems'] })]);
  });

  it('a change of the excluded category (riskCategory) alone is listed too', async () => {
    const patched = await p.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-WFZM', headers: admin, payload: { riskCategory: 'public_security' } });
    expect(patched.statusCode, patched.body).toBe(200);
    const draft = (await p.app.inject({ url: '/api/v1/admin/catalog/draft', headers: admin })).json();
    expect(draft.pendingChanges).toEqual([expect.objectContaining({ kind: 'changed', proofItemId: 'ZM-MAS-WFZM', fields: ['riskCategory'] })]);
  });
});

describe('the exported list is dated in Beijing time', () => {
  it('a version published at 07:30 Beijing (23:30 UTC the day before) says 发布日期：that Beijing day', async () => {
    await p.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-WFZM', headers: admin, payload: { notes: '北京时间测试' } });
    const pub = await publish('北京时间清晨发布');
    expect(pub.statusCode, pub.body).toBe(201);
    const res = await p.app.inject({ url: `/api/v1/catalog/versions/${pub.json().number}/export.xlsx` });
    expect(res.statusCode).toBe(200);
    const [sheet] = await readXlsx(res.rawPayload, 'export.xlsx');
    const rows = [...sheet!.rows()].map((r) => r.cells.join('|'));
    expect(rows[1]).toContain('发布日期：2026-11-29');
    expect(rows[1]).not.toContain('2026-11-28');
    const note = rows.at(-1)!;
    expect(note).toMatch(/^注：本清单由免证平台于 2026-11-29 07:30:00（北京时间）发布/);
  });
});

describe('which version is the latest, on one instance', () => {
  it('a refresh that read the latest number before a publish on this instance committed does not take it back to the older version', async () => {
    const models = new CatalogReadModels(p.database.db, 4, 60_000);
    const current = (await latestVersionNumber(p.database.db))!;
    const refreshing = models.latestNumber(); // its query reads `current`
    models.published(current + 1); // meanwhile this instance published the next version
    await refreshing;
    expect(await models.latestNumber()).toBe(current + 1);
  });
});

/**
 * Catalog administrators are region-bound: a city justice bureau's administrator (马鞍山市司法局,
 * 340500) changes the proof items of its city — by hand or by import — reads the whole draft,
 * and publishes nothing; publishing a version of the one provincial catalog is the province's
 * act (安徽省司法厅, 340000, the root of the regions). A refusal writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let p: TestPlatform;
let province: Record<string, string>;
let city: Record<string, string>;
let cityByDept: Record<string, string>;

async function addCatalogAdmin(username: string, departmentId: string, regionCode: string | null): Promise<void> {
  const model = await p.database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'catalogadmin').executeTakeFirstOrThrow();
  await p.database.db.insertInto('accounts').values({
    id: randomUUID(), username, display_name: username, kind: 'staff', password_hash: model.password_hash, roles: ['catalog_admin'], department_id: departmentId, region_code: regionCode,
    id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, external_subject: null,
  }).execute();
}

beforeAll(async () => {
  p = await createTestPlatform();
  await addCatalogAdmin('catalog-mas', 'mas-sf', '340500');
  // no region of its own: its department's (马鞍山市司法局)
  await addCatalogAdmin('catalog-mas-dept', 'mas-sf', null);
  province = await p.as('catalogadmin');
  city = await p.as('catalog-mas');
  cityByDept = await p.as('catalog-mas-dept');
});
afterAll(async () => { await p?.close(); });

const item = (over: Record<string, unknown> = {}) => ({ name: '区划测试证明', issuingDepartmentId: 'mas-ga', regionCode: '340500', legalBasis: '《测试条例》第一条', methods: ['data_sharing'], ...over });

function post(headers: Record<string, string>, payload: unknown) {
  return p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers, payload: payload as never });
}

async function proofItem(id: string) {
  return p.database.db.selectFrom('proof_items').selectAll().where('id', '=', id).executeTakeFirst();
}

async function countByName(name: string): Promise<number> {
  return (await p.database.db.selectFrom('proof_items').select('id').where('name', '=', name).execute()).length;
}

function importFile(headers: Record<string, string>, csv: string) {
  const boundary = '----mz' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="清单.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(csv), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/import', headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

describe('a city catalog administrator changes the proof items of its city', () => {
  it('adds one of its city or a district within it; one of another city or of the province is 403 CATALOG.OUT_OF_REGION, nothing written', async () => {
    const res = await post(city, item());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: '区划测试证明', regionCode: '340500' });
    const district = await post(city, item({ name: '区划测试证明(花山区)', regionCode: '340503' }));
    expect(district.statusCode, district.body).toBe(201);

    for (const [name, over] of [['铜陵的证明', { issuingDepartmentId: 'tl-ga', regionCode: '340700' }], ['全省的证明', { issuingDepartmentId: 'ah-sf', regionCode: '340000' }]] as const) {
      for (const who of [city, cityByDept]) {
        const res = await post(who, item({ name, ...over }));
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().error).toMatchObject({ code: 'CATALOG.OUT_OF_REGION', field: 'regionCode', message: expect.stringContaining('区划'), messageEn: expect.stringContaining('region') });
      }
      expect(await countByName(name)).toBe(0);
    }
    // the province adds it
    expect((await post(province, item({ name: '铜陵的证明', issuingDepartmentId: 'tl-ga', regionCode: '340700' }))).statusCode).toBe(201);
  });

  it('changes one of its city, but not another city\'s, nor moves its own out of the city', async () => {
    const own = await p.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-HYZK', headers: city, payload: { notes: '马鞍山市修改' } });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().notes).toBe('马鞍山市修改');

    const before = await proofItem('ZM-TL-HYZK');
    expect(before).toBeDefined();
    for (const who of [city, cityByDept]) {
      const other = await p.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-TL-HYZK', headers: who, payload: { notes: '越权修改' } });
      expect(other.statusCode, other.body).toBe(403);
      expect(other.json().error).toMatchObject({ code: 'CATALOG.OUT_OF_REGION', field: 'id' });
      // nor take another city's item into its own
      const takeIn = await p.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-TL-HYZK', headers: who, payload: { regionCode: '340500' } });
      expect(takeIn.statusCode).toBe(403);
    }
    expect(await proofItem('ZM-TL-HYZK')).toEqual(before);

    const moveOut = await p.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-HYZK', headers: city, payload: { regionCode: '340700' } });
    expect(moveOut.statusCode, moveOut.body).toBe(403);
    expect(moveOut.json().error).toMatchObject({ code: 'CATALOG.OUT_OF_REGION', field: 'regionCode' });
    expect((await proofItem('ZM-MAS-HYZK'))?.region_code).toBe('340500');
  });

  it('deletes one of its city, but not another city\'s', async () => {
    const created = (await post(city, item({ name: '待删除的证明' }))).json();
    expect((await p.app.inject({ method: 'DELETE', url: `/api/v1/admin/catalog/proof-items/${created.id}`, headers: city })).statusCode).toBe(204);
    const other = await p.app.inject({ method: 'DELETE', url: '/api/v1/admin/catalog/proof-items/ZM-TL-SWZM?detach=true', headers: city });
    expect(other.statusCode, other.body).toBe(403);
    expect(other.json().error).toMatchObject({ code: 'CATALOG.OUT_OF_REGION', field: 'id' });
    expect(await proofItem('ZM-TL-SWZM')).toBeDefined();
    const links = await p.database.db.selectFrom('service_item_materials').select('id').where('proof_item_id', '=', 'ZM-TL-SWZM').execute();
    expect(links.length).toBeGreaterThan(0);
  });

  it('reads the whole draft, told what it may change and that it may not publish', async () => {
    const mine = (await p.app.inject({ url: '/api/v1/admin/catalog/draft', headers: city })).json();
    const all = (await p.app.inject({ url: '/api/v1/admin/catalog/draft', headers: province })).json();
    expect(mine.proofItems.length).toBe(all.proofItems.length);
    expect(mine.proofItems.some((i: { regionCode: string }) => i.regionCode === '340700')).toBe(true);
    expect(mine.viewer).toEqual({ regionCode: '340500', regionName: '马鞍山市', mayPublish: false });
    expect((await p.app.inject({ url: '/api/v1/admin/catalog/draft', headers: cityByDept })).json().viewer).toEqual({ regionCode: '340500', regionName: '马鞍山市', mayPublish: false });
    expect(all.viewer).toEqual({ regionCode: '340000', regionName: '安徽省', mayPublish: true });
  });
});

describe('a city catalog administrator imports only its city\'s rows', () => {
  const header = '序号,证明名称,开具单位,设定依据,免提交方式,适用事项,所属区划\n';

  it('imports a file of its city; a file with a row of another region is refused as a whole, naming the row and column; nothing written', async () => {
    // rows without a region take the issuing department's
    const own = await importFile(city, header + '1,马鞍山导入的证明,马鞍山市公安局,依据,数据共享,340500-JHDJ,\n2,花山区导入的证明,马鞍山市民政局,依据,数据共享,,花山区\n');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ total: 2, created: 2, linked: 1 });

    const versions = await p.database.db.selectFrom('proof_items').select(['id', 'updated_at']).execute();
    const links = await p.database.db.selectFrom('service_item_materials').select('id').execute();
    const csv = header +
      '1,本市的新证明,马鞍山市公安局,依据,数据共享,,\n' +
      // no region: the issuing department's, 铜陵市
      '2,铜陵的新证明,铜陵市公安局,依据,数据共享,,\n' +
      // a region outside the city, named
      '3,写明省级的证明,马鞍山市公安局,依据,数据共享,,340000\n' +
      // a service item of another city: it would change 铜陵's service item
      '4,链接铜陵事项的证明,马鞍山市民政局,依据,数据共享,340700-JHDJ,\n' +
      // an existing 铜陵 proof item, claimed for the city
      '5,婚姻状况证明,铜陵市民政局,依据,数据共享,,马鞍山市\n';
    const res = await importFile(city, csv);
    expect(res.statusCode, res.body).toBe(422);
    const error = res.json().error;
    expect(error.code).toBe('CATALOG.IMPORT_INVALID');
    const errors = error.details.errors as { row: number; column: string; code: string; reason: string; reasonEn: string }[];
    expect(errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual([
      '3:所属区划:CATALOG.OUT_OF_REGION',
      '4:所属区划:CATALOG.OUT_OF_REGION',
      '5:适用事项:CATALOG.OUT_OF_REGION',
      '6:所属区划:CATALOG.OUT_OF_REGION',
    ]);
    expect(errors[0]!.reason).toContain('铜陵市');
    expect(errors[0]!.reason).toContain('马鞍山市');
    expect(errors[0]!.reasonEn).toContain('outside your region');
    expect(await countByName('本市的新证明')).toBe(0);
    expect(await p.database.db.selectFrom('proof_items').select(['id', 'updated_at']).execute()).toEqual(versions);
    expect((await p.database.db.selectFrom('service_item_materials').select('id').execute()).length).toBe(links.length);

    // the province imports the same file (its region covers every row)
    const ok = await importFile(province, csv);
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('a city catalog administrator deleting its own proof item', () => {
  it('does not detach it from another region\'s service items (that changes them): 403 CATALOG.OUT_OF_REGION, nothing written; the province may', async () => {
    const header = '序号,证明名称,开具单位,设定依据,免提交方式,适用事项,所属区划\n';
    // the province links a proof item of 马鞍山 (its issuing department's region) to a service item of 铜陵
    const linked = await importFile(province, header + '1,铜陵事项所需的马鞍山证明,马鞍山市民政局,依据,数据共享,340700-JHDJ,\n');
    expect(linked.statusCode, linked.body).toBe(200);
    const proof = await p.database.db.selectFrom('proof_items').select(['id', 'region_code']).where('name', '=', '铜陵事项所需的马鞍山证明').executeTakeFirstOrThrow();
    expect(proof.region_code).toBe('340500');
    const links = () => p.database.db.selectFrom('service_item_materials').select(['id', 'service_item_code']).where('proof_item_id', '=', proof.id).execute();
    expect((await links()).map((l) => l.service_item_code)).toEqual(['340700-JHDJ']);

    const plain = await p.app.inject({ method: 'DELETE', url: `/api/v1/admin/catalog/proof-items/${proof.id}`, headers: city });
    expect(plain.statusCode, plain.body).toBe(409);
    for (const who of [city, cityByDept]) {
      const detach = await p.app.inject({ method: 'DELETE', url: `/api/v1/admin/catalog/proof-items/${proof.id}?detach=true`, headers: who });
      expect(detach.statusCode, detach.body).toBe(403);
      expect(detach.json().error).toMatchObject({ code: 'CATALOG.OUT_OF_REGION', field: 'detach' });
    }
    expect(await proofItem(proof.id)).toBeDefined();
    expect((await links()).map((l) => l.service_item_code)).toEqual(['340700-JHDJ']);

    const byProvince = await p.app.inject({ method: 'DELETE', url: `/api/v1/admin/catalog/proof-items/${proof.id}?detach=true`, headers: province });
    expect(byProvince.statusCode, byProvince.body).toBe(204);
    expect(await links()).toEqual([]);
  });

  it('detaches it from the service items of its own region', async () => {
    const header = '序号,证明名称,开具单位,设定依据,免提交方式,适用事项,所属区划\n';
    const linked = await importFile(city, header + '1,本市事项所需的本市证明,马鞍山市民政局,依据,数据共享,340500-JHDJ,\n');
    expect(linked.statusCode, linked.body).toBe(200);
    const proof = await p.database.db.selectFrom('proof_items').select('id').where('name', '=', '本市事项所需的本市证明').executeTakeFirstOrThrow();
    const res = await p.app.inject({ method: 'DELETE', url: `/api/v1/admin/catalog/proof-items/${proof.id}?detach=true`, headers: city });
    expect(res.statusCode, res.body).toBe(204);
    expect(await proofItem(proof.id)).toBeUndefined();
  });
});

describe('publishing is the province\'s act', () => {
  it('a city administrator gets 403 CATALOG.PUBLISH_PROVINCE_ONLY and no version; the province publishes', async () => {
    const before = await p.database.db.selectFrom('catalog_versions').select('number').execute();
    for (const who of [city, cityByDept]) {
      const res = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/publish', headers: who, payload: { note: '市级发布' } });
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'CATALOG.PUBLISH_PROVINCE_ONLY', message: expect.stringContaining('省级'), messageEn: expect.stringContaining('province') });
    }
    expect(await p.database.db.selectFrom('catalog_versions').select('number').execute()).toEqual(before);
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/publish', headers: province, payload: { note: '省级发布' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().number).toBe(before.length + 1);
  });
});

describe('a city catalog administrator gives its proof items only departments of its city', () => {
  const header = '序号,证明名称,开具单位,设定依据,免提交方式,适用事项,所属区划\n';

  it('adds none of its city issued by another city\'s or the province\'s department: 403 CATALOG.OUT_OF_REGION naming issuingDepartmentId, nothing written; the province may', async () => {
    for (const [name, issuingDepartmentId] of [['本市证明铜陵开具', 'tl-ga'], ['本市证明省厅开具', 'ah-sf']] as const) {
      for (const who of [city, cityByDept]) {
        const res = await post(who, item({ name, issuingDepartmentId }));
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().error).toMatchObject({
          code: 'CATALOG.OUT_OF_REGION', field: 'issuingDepartmentId', message: expect.stringContaining('开具单位'), messageEn: expect.stringContaining('issuing department'),
          details: { departmentId: issuingDepartmentId, scopeRegionCode: '340500' },
        });
      }
      expect(await countByName(name)).toBe(0);
    }
    // one of its city or of a district within it is fine
    expect((await post(city, item({ name: '本市证明本市开具', issuingDepartmentId: 'mas-mz' }))).statusCode).toBe(201);
    const byProvince = await post(province, item({ name: '本市证明铜陵开具', issuingDepartmentId: 'tl-ga' }));
    expect(byProvince.statusCode, byProvince.body).toBe(201);
  });

  it('does not change an item of its city to another city\'s department; other changes keep the department the province gave', async () => {
    const created = (await post(city, item({ name: '改开具单位的证明' }))).json();
    for (const who of [city, cityByDept]) {
      const res = await p.app.inject({ method: 'PATCH', url: `/api/v1/admin/catalog/proof-items/${created.id}`, headers: who, payload: { issuingDepartmentId: 'tl-ga' } });
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'CATALOG.OUT_OF_REGION', field: 'issuingDepartmentId' });
    }
    expect((await proofItem(created.id))?.issuing_department_id).toBe('mas-ga');
    const own = await p.app.inject({ method: 'PATCH', url: `/api/v1/admin/catalog/proof-items/${created.id}`, headers: city, payload: { issuingDepartmentId: 'mas-mz' } });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().issuingDepartmentId).toBe('mas-mz');

    // the province gives an item of the city 铜陵's department; the city still edits its notes
    const given = await p.app.inject({ method: 'PATCH', url: `/api/v1/admin/catalog/proof-items/${created.id}`, headers: province, payload: { issuingDepartmentId: 'tl-ga' } });
    expect(given.statusCode, given.body).toBe(200);
    const notes = await p.app.inject({ method: 'PATCH', url: `/api/v1/admin/catalog/proof-items/${created.id}`, headers: city, payload: { notes: '本市备注' } });
    expect(notes.statusCode, notes.body).toBe(200);
    expect(await proofItem(created.id)).toMatchObject({ issuing_department_id: 'tl-ga', notes: '本市备注' });
  });

  it('imports no new row of its city issued by another city\'s department: the row is listed under 开具单位 with CATALOG.OUT_OF_REGION, nothing written; the province imports it', async () => {
    const versions = await p.database.db.selectFrom('proof_items').select(['id', 'updated_at']).execute();
    const csv = header +
      '1,本市导入的本市证明,马鞍山市公安局,依据,数据共享,,\n' +
      // of the city by its region, issued by 铜陵's department
      '2,本市导入的铜陵开具证明,铜陵市公安局,依据,数据共享,,马鞍山市\n' +
      // of a district of the city, issued by the province's department
      '3,花山区导入的省厅开具证明,安徽省司法厅,依据,数据共享,,花山区\n';
    const res = await importFile(city, csv);
    expect(res.statusCode, res.body).toBe(422);
    const errors = res.json().error.details.errors as { row: number; column: string; code: string; reason: string; reasonEn: string }[];
    expect(errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual(['3:开具单位:CATALOG.OUT_OF_REGION', '4:开具单位:CATALOG.OUT_OF_REGION']);
    expect(errors[0]!.reason).toContain('铜陵市公安局');
    expect(errors[0]!.reason).toContain('马鞍山市');
    expect(errors[0]!.reasonEn).toContain('outside your region');
    expect(await countByName('本市导入的本市证明')).toBe(0);
    expect(await p.database.db.selectFrom('proof_items').select(['id', 'updated_at']).execute()).toEqual(versions);

    const ok = await importFile(province, csv);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ created: 3 });
    // a row of an item the province gave that department names it as it is: the city may import it again
    const again = await importFile(city, header + '1,本市导入的铜陵开具证明,铜陵市公安局,依据(修订),数据共享,,马鞍山市\n');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ created: 0, updated: 1 });
  });
});

/**
 * Data administrators are region-bound, as catalog administrators are: a city data bureau's
 * administrator (马鞍山市数据资源管理局, 340500) registers and changes the provider nodes of its
 * city's departments only; the province's (安徽省数据资源管理局, 340000, the root of the regions)
 * those of every department. Every data administrator reads the whole directory, each node
 * telling the caller whether it may change it. A refused write changes nothing and leaves no
 * audit entry. Grants may name consumer departments of any region.
 */
import { randomUUID } from 'node:crypto';
import { getSuite, usccCheckChar } from '@mianzheng/crypto';
import { STANDARD_ITEMS } from '@mianzheng/provider/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let p: TestPlatform;
let province: Record<string, string>;
let city: Record<string, string>;
let cityByDept: Record<string, string>;
let platformWide: Record<string, string>;

/** A data administrator like the demo's `dataadmin`, of the given department and region. */
async function addDataAdmin(username: string, departmentId: string | null, regionCode: string | null): Promise<void> {
  const model = await p.database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'dataadmin').executeTakeFirstOrThrow();
  await p.database.db.insertInto('accounts').values({
    id: randomUUID(), username, display_name: username, kind: 'staff', password_hash: model.password_hash, roles: ['data_admin'], department_id: departmentId, region_code: regionCode,
    id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, external_subject: null,
  }).execute();
}

let keySerial = 0;
function key(id: string) {
  const pair = getSuite('Ed25519').generateKeyPair();
  return { keyId: `${id}#ed25519-${String(++keySerial).padStart(4, '0')}`, suite: 'Ed25519', publicKey: Buffer.from(pair.publicKey).toString('hex') };
}

const node = (id: string, departmentId: string) => ({ id, name: `${id} 共享节点`, departmentId, endpoint: 'http://127.0.0.1:9', requestSuite: 'Ed25519', keys: [key(id)] });

function register(headers: Record<string, string>, payload: unknown) {
  return p.app.inject({ method: 'POST', url: '/api/v1/exchange/providers', headers, payload: payload as never });
}

/** Every directory write on an existing node, as the routes take them. */
function writes(id: string) {
  return [
    { name: 'update', method: 'PATCH' as const, url: `/api/v1/exchange/providers/${id}`, payload: { endpoint: 'http://127.0.0.1:19', status: 'suspended' } },
    { name: 'keys', method: 'PUT' as const, url: `/api/v1/exchange/providers/${id}/keys`, payload: { keys: [key(id)] } },
    { name: 'upsert item', method: 'PUT' as const, url: `/api/v1/exchange/providers/${id}/items/marriage-status`, payload: { definition: { ...STANDARD_ITEMS.marriageStatus, description: '已修改' }, proofItemIds: [] } },
    { name: 'grants', method: 'PUT' as const, url: `/api/v1/exchange/providers/${id}/items/marriage-status/grants`, payload: { grants: [{ consumerDepartmentId: 'mas-ga', purposes: ['application_review'] }] } },
    { name: 'remove item', method: 'DELETE' as const, url: `/api/v1/exchange/providers/${id}/items/marriage-status` },
  ];
}

/** What the directory holds of one node: its row, keys, items and grants. */
async function snapshot(id: string) {
  const db = p.database.db;
  return {
    provider: await db.selectFrom('exchange_providers').selectAll().where('id', '=', id).executeTakeFirst(),
    keys: await db.selectFrom('exchange_provider_keys').selectAll().where('provider_id', '=', id).orderBy('key_id').execute(),
    items: await db.selectFrom('exchange_items').selectAll().where('provider_id', '=', id).orderBy('code').execute(),
    grants: await db.selectFrom('exchange_grants').selectAll().where('provider_id', '=', id).orderBy('item_code').orderBy('consumer_department_id').execute(),
  };
}

async function providerCount(): Promise<number> {
  return (await p.database.db.selectFrom('exchange_providers').select('id').execute()).length;
}

async function exchangeAuditCount(): Promise<number> {
  return (await p.database.db.selectFrom('audit_log').select('seq').where('action', 'like', 'exchange.%').execute()).length;
}

/** A node of 铜陵市民政局 (another city), registered by the province with one item and one grant. */
const TL = 'node-tl-scope';
/** A node of 马鞍山市民政局, the city administrator's own. */
const MAS = 'node-mas-scope';

beforeAll(async () => {
  p = await createTestPlatform();
  // no region of its own: its department's (马鞍山市数据资源管理局)
  await addDataAdmin('data-mas-dept', 'mas-sjzy', null);
  // neither a region nor a department: platform-wide
  await addDataAdmin('data-platform', null, null);
  province = await p.as('dataadmin');
  // the demo's city data administrator (马鞍山市数据资源管理局, region 340500)
  city = await p.as('datamas');
  cityByDept = await p.as('data-mas-dept');
  platformWide = await p.as('data-platform');
  for (const [id, dept] of [[TL, 'tl-mz'], [MAS, 'mas-mz']] as const) {
    expect((await register(province, node(id, dept))).statusCode).toBe(201);
    expect((await p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/${id}/items/marriage-status`, headers: province, payload: { definition: STANDARD_ITEMS.marriageStatus, proofItemIds: [] } })).statusCode).toBe(200);
    expect((await p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/${id}/items/marriage-status/grants`, headers: province, payload: { grants: [{ consumerDepartmentId: `${id === TL ? 'tl' : 'mas'}-ga`, purposes: ['application_review'] }] } })).statusCode).toBe(200);
  }
});
afterAll(async () => { await p?.close(); });

describe('a city data administrator registers nodes of its city\'s departments', () => {
  it('registers a node of a department of its city (201), by its own region or its department\'s', async () => {
    const res = await register(city, node('node-mas-rs-2', 'mas-rs'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ id: 'node-mas-rs-2', departmentId: 'mas-rs', departmentRegionCode: '340500', departmentRegionName: '马鞍山市', mayChange: true });
    expect((await register(cityByDept, node('node-mas-gjj-2', 'mas-gjj'))).statusCode).toBe(201);
  });

  it('refuses a department of another city or of the province: 403 EXCHANGE.OUT_OF_REGION naming departmentId, nothing written', async () => {
    for (const [dept, deptName, regionName, regionCode] of [['tl-rs', '铜陵市人力资源和社会保障局', '铜陵市', '340700'], ['ah-sjzy', '安徽省数据资源管理局', '安徽省', '340000']] as const) {
      for (const who of [city, cityByDept]) {
        const [count, audits] = [await providerCount(), await exchangeAuditCount()];
        const res = await register(who, node(`node-${dept}-x`, dept));
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().error).toMatchObject({
          code: 'EXCHANGE.OUT_OF_REGION', field: 'departmentId',
          message: expect.stringContaining(deptName), messageEn: expect.stringContaining(regionCode),
          details: { departmentId: dept, departmentRegionCode: regionCode, scopeRegionCode: '340500' },
        });
        expect(res.json().error.message).toContain(regionName);
        expect(res.json().error.message).toContain('马鞍山市');
        expect(await providerCount()).toBe(count);
        expect(await exchangeAuditCount()).toBe(audits);
        expect(await p.database.db.selectFrom('audit_log').select('seq').where('subject_id', '=', `node-${dept}-x`).execute()).toEqual([]);
      }
    }
  });

  it('an unknown department is still 404 DEPARTMENT.NOT_FOUND, not a region refusal', async () => {
    const res = await register(city, node('node-nowhere', 'nowhere'));
    expect([res.statusCode, res.json().error.code, res.json().error.field]).toEqual([404, 'DEPARTMENT.NOT_FOUND', 'departmentId']);
  });

  it('the province\'s administrator, and an account with neither region nor department, register a node of any department', async () => {
    expect((await register(province, node('node-tl-rs-2', 'tl-rs'))).statusCode).toBe(201);
    expect((await register(province, node('node-ah-sjzy-2', 'ah-sjzy'))).statusCode).toBe(201);
    expect((await register(platformWide, node('node-hs-mz-2', 'hs-mz'))).statusCode).toBe(201);
  });
});

describe('changing an existing node', () => {
  it('a city administrator\'s every write on another city\'s node is 403 EXCHANGE.OUT_OF_REGION naming id; nothing changes, nothing is audited', async () => {
    const before = await snapshot(TL);
    expect(before.items).toHaveLength(1);
    expect(before.grants).toHaveLength(1);
    const audits = await exchangeAuditCount();
    for (const who of [city, cityByDept]) {
      for (const w of writes(TL)) {
        const res = await p.app.inject({ method: w.method, url: w.url, headers: who, payload: w.payload as never });
        expect(res.statusCode, `${w.name}: ${res.body}`).toBe(403);
        expect(res.json().error, w.name).toMatchObject({
          code: 'EXCHANGE.OUT_OF_REGION', field: 'id',
          message: expect.stringContaining('铜陵市民政局'), messageEn: expect.stringContaining('340700'),
          details: { providerId: TL, departmentId: 'tl-mz', departmentRegionCode: '340700', scopeRegionCode: '340500' },
        });
        expect(res.json().error.message, w.name).toContain('铜陵市');
      }
    }
    expect(await snapshot(TL)).toEqual(before);
    expect(await exchangeAuditCount()).toBe(audits);
  });

  it('the same writes on a node of its own city go through, and are audited', async () => {
    const audits = await exchangeAuditCount();
    for (const w of writes(MAS)) {
      const res = await p.app.inject({ method: w.method, url: w.url, headers: city, payload: w.payload as never });
      expect(res.statusCode, `${w.name}: ${res.body}`).toBeLessThan(300);
    }
    const after = await snapshot(MAS);
    expect(after.provider).toMatchObject({ endpoint: 'http://127.0.0.1:19', status: 'suspended' });
    expect(after.items).toEqual([]);
    expect(await exchangeAuditCount()).toBe(audits + 5);
  });

  it('a grant may name a consumer department of another region: who may ask a node is its department\'s decision', async () => {
    await p.app.inject({ method: 'PUT', url: `/api/v1/exchange/providers/${MAS}/items/marriage-status`, headers: city, payload: { definition: STANDARD_ITEMS.marriageStatus, proofItemIds: [] } });
    const res = await p.app.inject({
      method: 'PUT', url: `/api/v1/exchange/providers/${MAS}/items/marriage-status/grants`, headers: city,
      payload: { grants: [{ consumerDepartmentId: 'tl-ga', purposes: ['application_review'] }, { consumerDepartmentId: 'ah-sf', purposes: ['dept_verification'] }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items[0].grants.map((g: { consumerDepartmentId: string }) => g.consumerDepartmentId).sort()).toEqual(['ah-sf', 'tl-ga']);
  });

  it('the province\'s administrator changes a node of any city', async () => {
    for (const id of [TL, MAS]) {
      for (const w of writes(id)) {
        const res = await p.app.inject({ method: w.method, url: w.url, headers: province, payload: w.payload as never });
        expect(res.statusCode, `${id} ${w.name}: ${res.body}`).toBeLessThan(300);
      }
    }
    expect((await snapshot(TL)).provider).toMatchObject({ endpoint: 'http://127.0.0.1:19', status: 'suspended' });
  });

  it('an unknown node is 404 for a city administrator too', async () => {
    const res = await p.app.inject({ method: 'PATCH', url: '/api/v1/exchange/providers/node-none', headers: city, payload: { status: 'active' } });
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'EXCHANGE.PROVIDER_NOT_FOUND']);
  });
});

describe('the directory tells each caller which nodes it may change', () => {
  type Listed = { id: string; mayChange: boolean; departmentRegionCode: string };
  async function list(headers: Record<string, string>) {
    const res = await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers', headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Listed[]; viewer: { regionCode: string | null; regionName: string | null } | null };
  }

  it('a city administrator reads every node, and may change those of its city\'s departments only', async () => {
    for (const who of [city, cityByDept]) {
      const { items, viewer } = await list(who);
      expect(viewer).toEqual({ regionCode: '340500', regionName: '马鞍山市' });
      const ids = items.map((i) => i.id);
      expect(ids).toEqual(expect.arrayContaining([TL, MAS, 'node-mas-mz', 'node-mas-ga', 'node-tl-rs-2', 'node-ah-sjzy-2']));
      for (const i of items) expect(i.mayChange, i.id).toBe(i.departmentRegionCode.startsWith('3405'));
      expect(items.find((i) => i.id === MAS)?.mayChange).toBe(true);
      expect(items.find((i) => i.id === 'node-mas-mz')?.mayChange).toBe(true);
      expect(items.find((i) => i.id === TL)?.mayChange).toBe(false);
      expect(items.find((i) => i.id === 'node-ah-sjzy-2')?.mayChange).toBe(false);
    }
    const one = await p.app.inject({ method: 'GET', url: `/api/v1/exchange/providers/${TL}`, headers: city });
    expect(one.json()).toMatchObject({ id: TL, mayChange: false, departmentRegionCode: '340700', departmentRegionName: '铜陵市' });
    expect((await p.app.inject({ method: 'GET', url: `/api/v1/exchange/providers/${MAS}`, headers: city })).json().mayChange).toBe(true);
  });

  it('the province\'s administrator may change every node; a supervisor none', async () => {
    const all = await list(province);
    expect(all.viewer).toEqual({ regionCode: null, regionName: null });
    expect(all.items.length).toBeGreaterThan(8);
    expect(all.items.every((i) => i.mayChange)).toBe(true);
    const sup = await list(await p.as('supervisor'));
    expect(sup.viewer).toBeNull();
    expect(sup.items.map((i) => i.id)).toEqual(all.items.map((i) => i.id));
    expect(sup.items.every((i) => !i.mayChange)).toBe(true);
  });
});

describe('departments, which the nodes belong to', () => {
  let serial = 0;
  const registerDept = (headers: Record<string, string>, regionCode: string, suffix: string) => {
    const base = `11340000MB00${String(++serial).padStart(5, '0')}`;
    return p.app.inject({
      method: 'POST', url: '/api/v1/admin/departments', headers,
      payload: { id: `scope-ws-${suffix}`, name: `区划测试外事办公室${suffix}`, uscc: base + usccCheckChar(base), regionCode, category: '外事' },
    });
  };

  it('a city administrator registers a department of its city only: another city\'s or the province\'s region is 403 DEPARTMENT.OUT_OF_REGION naming regionCode, nothing written', async () => {
    for (const [regionCode, suffix] of [['340700', 'tl'], ['340000', 'ah']] as const) {
      const res = await registerDept(city, regionCode, suffix);
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'DEPARTMENT.OUT_OF_REGION', field: 'regionCode', details: { regionCode, scopeRegionCode: '340500' } });
      expect(res.json().error.message).toContain('马鞍山市');
      expect(await p.database.db.selectFrom('departments').select('id').where('id', '=', `scope-ws-${suffix}`).execute()).toEqual([]);
    }
    // a district of the city is within it
    expect((await registerDept(cityByDept, '340503', 'hs')).statusCode).toBe(201);
  });

  it('the province\'s administrator registers a department of any region', async () => {
    expect((await registerDept(province, '340700', 'tl2')).statusCode).toBe(201);
  });
});

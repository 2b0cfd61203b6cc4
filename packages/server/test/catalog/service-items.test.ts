/**
 * 政务服务事项 in the draft: catalog administrators add, change and remove the service items
 * people apply for, with their materials (forms and proof items), region-bound like proof
 * items; a version publishes them. Every refusal writes nothing.
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

const URL = '/api/v1/admin/catalog/service-items';
const item = (code: string, over: Record<string, unknown> = {}) => ({
  code, name: '测试事项', departmentId: 'mas-mz', applicantKinds: ['person'],
  materials: [{ name: '测试申请表', required: true }, { proofItemId: 'ZM-MAS-HYZK', required: true }],
  ...over,
});
const post = (headers: Record<string, string>, payload: unknown) => p.app.inject({ method: 'POST', url: URL, headers, payload: payload as never });
const patch = (headers: Record<string, string>, code: string, payload: unknown) => p.app.inject({ method: 'PATCH', url: `${URL}/${encodeURIComponent(code)}`, headers, payload: payload as never });
const remove = (headers: Record<string, string>, code: string) => p.app.inject({ method: 'DELETE', url: `${URL}/${encodeURIComponent(code)}`, headers });

/** rows that a refused write must leave as they were */
async function snapshot() {
  const db = p.database.db;
  const [items, materials, audit] = await Promise.all([
    db.selectFrom('service_items').selectAll().orderBy('code').execute(),
    db.selectFrom('service_item_materials').selectAll().orderBy('id').execute(),
    db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return JSON.stringify({ items, materials, audit: Number(audit.n) });
}

describe('adding a service item to the draft', () => {
  it('writes it with its materials in order (a proof item\'s material named after it), in its department\'s region, audited', async () => {
    const res = await post(province, item('340500-T-ADD', { applicantKinds: ['enterprise', 'person'] }));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      code: '340500-T-ADD', name: '测试事项', departmentId: 'mas-mz', departmentName: '马鞍山市民政局', regionCode: '340500', regionName: '马鞍山市',
      applicantKinds: ['person', 'enterprise'], mayChange: true,
    });
    expect(body.materials.map((m: Record<string, unknown>) => [m.position, m.name, m.proofItemId, m.proofItemName, m.required])).toEqual([
      [1, '测试申请表', null, null, true],
      [2, '婚姻状况证明', 'ZM-MAS-HYZK', '婚姻状况证明', true],
    ]);
    const audit = await p.database.db.selectFrom('audit_log').select(['action', 'actor_role']).where('subject_type', '=', 'service_item').where('subject_id', '=', '340500-T-ADD').execute();
    expect(audit).toEqual([{ action: 'catalog.service_item.create', actor_role: 'catalog_admin' }]);
    // the proof item now lists it among the service items that require it (the draft's pending changes say so)
    const draft = (await p.app.inject({ url: '/api/v1/admin/catalog/draft', headers: province })).json();
    expect(draft.proofItems.find((x: { id: string }) => x.id === 'ZM-MAS-HYZK').serviceItemCodes).toContain('340500-T-ADD');
    expect(draft.pendingChanges).toContainEqual(expect.objectContaining({ proofItemId: 'ZM-MAS-HYZK', kind: 'changed', fields: ['serviceItems'] }));
  });

  it.each([
    ['a code of another shape', { code: 'x' }, 400, 'REQUEST.INVALID', 'code'],
    ['a code in use', { code: '340500-CSDJ' }, 409, 'CATALOG.SERVICE_ITEM_EXISTS', 'code'],
    ['a blank name', { name: '   ' }, 422, 'CATALOG.SERVICE_ITEM_NAME_REQUIRED', 'name'],
    ['nobody who may apply', { applicantKinds: [] }, 400, 'REQUEST.INVALID', 'applicantKinds'],
    ['a form without a name', { materials: [{ proofItemId: 'ZM-MAS-HYZK', required: true }, { name: ' ', required: false }] }, 422, 'CATALOG.MATERIAL_NAME_REQUIRED', 'materials.1.name'],
    ['a proof item twice', { materials: [{ proofItemId: 'ZM-MAS-HYZK', required: true }, { proofItemId: 'ZM-MAS-HYZK', required: false }] }, 422, 'CATALOG.DUPLICATE_MATERIAL', 'materials.1.proofItemId'],
    ['an unknown proof item', { materials: [{ proofItemId: 'ZM-NOPE', required: true }] }, 404, 'CATALOG.PROOF_ITEM_NOT_FOUND', 'materials.0.proofItemId'],
    ['another city\'s proof item', { materials: [{ proofItemId: 'ZM-HF-HYZK', required: true }] }, 422, 'CATALOG.MATERIAL_OTHER_REGION', 'materials.0.proofItemId'],
    ['an unknown department', { departmentId: 'nowhere' }, 404, 'DEPARTMENT.NOT_FOUND', 'departmentId'],
    ['a material without "required"', { materials: [{ name: '表' }] }, 400, 'REQUEST.INVALID', 'materials/0/required'],
  ])('refuses %s, naming the field, and writes nothing', async (_label, over, status, code, field) => {
    const before = await snapshot();
    const res = await post(province, item('340500-T-BAD', over));
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.field).toContain(field.replace('materials/0/required', 'materials'));
    if (field.startsWith('materials/')) expect(JSON.stringify(res.json().error)).toContain('required');
    expect(await snapshot()).toBe(before);
  });

  it('lets a service item require a proof item of the province\'s list', async () => {
    const provinceProof = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers: province, payload: { name: '省级测试证明', issuingDepartmentId: 'ah-sf', regionCode: '340000', legalBasis: '《测试条例》第一条', methods: ['dept_verification'] } });
    expect(provinceProof.statusCode).toBe(201);
    const res = await post(city, item('340500-T-PROV', { materials: [{ proofItemId: provinceProof.json().id, required: true }] }));
    expect(res.statusCode).toBe(201);
    expect(res.json().materials[0]).toMatchObject({ name: '省级测试证明', proofItemName: '省级测试证明' });
  });
});

describe('a city administrator changes only its city\'s service items', () => {
  it('adds one with a department of its city; another city\'s department is 403 CATALOG.OUT_OF_REGION, nothing written', async () => {
    expect((await post(city, item('340500-T-CITY'))).statusCode).toBe(201);
    const before = await snapshot();
    const res = await post(city, item('340100-T-CITY', { departmentId: 'hf-mz', materials: [] }));
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'CATALOG.OUT_OF_REGION', field: 'departmentId' });
    expect(res.json().error.message).toContain('实施部门');
    expect(await snapshot()).toBe(before);
  });

  it('reads every region\'s items, each saying whether it may change them; changing or removing another city\'s is 403', async () => {
    const list = (await p.app.inject({ url: `${URL}?q=CSDJ`, headers: city })).json();
    expect(list.viewer).toMatchObject({ regionCode: '340500', mayPublish: false });
    const byCode = new Map(list.items.map((i: { code: string; mayChange: boolean }) => [i.code, i.mayChange]));
    expect(byCode.get('340500-CSDJ')).toBe(true);
    expect(byCode.get('340100-CSDJ')).toBe(false);
    const before = await snapshot();
    const changed = await patch(city, '340100-SYDJX', { name: '改名' });
    expect(changed.statusCode).toBe(403);
    expect(changed.json().error).toMatchObject({ code: 'CATALOG.OUT_OF_REGION', field: 'code' });
    expect((await remove(city, '340100-SYDJX')).statusCode).toBe(403);
    // moving its own item to another city's department is refused too
    const moved = await patch(city, '340500-T-CITY', { departmentId: 'hf-mz', materials: [] });
    expect(moved.statusCode).toBe(403);
    expect(moved.json().error.field).toBe('departmentId');
    expect(await snapshot()).toBe(before);
  });
});

describe('changing a service item', () => {
  it('renames it, reorders its materials keeping their ids, gives a changed material a new id, and moves it with its department', async () => {
    const created = (await post(province, item('340500-T-EDIT'))).json();
    const [form, proof] = created.materials as Array<{ id: string }>;
    const res = await patch(province, '340500-T-EDIT', {
      name: '测试事项(改)', applicantKinds: ['enterprise'],
      materials: [{ id: proof!.id, proofItemId: 'ZM-MAS-HYZK', required: false }, { id: form!.id, name: '新申请表', required: true }, { id: form!.id, proofItemId: 'ZM-MAS-HJZM', required: true }],
    });
    expect(res.statusCode).toBe(200);
    const after = res.json();
    // the name as an import would write it: parentheses in Chinese text are full-width
    expect(after).toMatchObject({ name: '测试事项（改）', applicantKinds: ['enterprise'] });
    expect(after.materials.map((m: Record<string, unknown>) => [m.position, m.name, m.required])).toEqual([[1, '婚姻状况证明', false], [2, '新申请表', true], [3, '户籍证明/户口簿', true]]);
    expect(after.materials[0].id).toBe(proof!.id);
    expect(after.materials[1].id).toBe(form!.id);
    // the same id given to another material (a proof item instead of the form) is a new material
    expect(after.materials[2].id).not.toBe(form!.id);
    expect(new Set(after.materials.map((m: { id: string }) => m.id)).size).toBe(3);

    const moved = await patch(province, '340500-T-EDIT', { departmentId: 'hf-mz', materials: [{ name: '表', required: true }] });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ departmentId: 'hf-mz', regionCode: '340100', regionName: '合肥市' });
    // its old proof materials would not apply in the new region: refused when kept
    const kept = await patch(province, '340500-T-EDIT', { materials: [{ proofItemId: 'ZM-MAS-HYZK', required: true }] });
    expect(kept.statusCode).toBe(422);
    expect(kept.json().error.code).toBe('CATALOG.MATERIAL_OTHER_REGION');
  });

  it('an existing material\'s id given to two forms keeps it for the first only (no clash)', async () => {
    const created = (await post(province, item('340500-T-TWICE'))).json();
    const formId = created.materials[0].id as string;
    const res = await patch(province, '340500-T-TWICE', { materials: [{ id: formId, name: '表一', required: true }, { id: formId, name: '表二', required: true }] });
    expect(res.statusCode, res.body).toBe(200);
    const ids = res.json().materials.map((m: { id: string }) => m.id);
    expect(ids[0]).toBe(formId);
    expect(ids[1]).not.toBe(formId);
    expect((await remove(province, '340500-T-TWICE')).statusCode).toBe(204);
  });

  it('answers 404 for an unknown item and 400 for an empty change', async () => {
    expect((await patch(province, 'NO-SUCH', { name: '名' })).json().error.code).toBe('CATALOG.SERVICE_ITEM_NOT_FOUND');
    expect((await patch(province, '340500-CSDJ', {})).statusCode).toBe(400);
  });
});

describe('removing a service item', () => {
  it('removes it with its materials; one a 一件事 bundles is 409; an unknown one 404', async () => {
    expect((await post(province, item('340500-T-DEL'))).statusCode).toBe(201);
    const res = await remove(province, '340500-T-DEL');
    expect(res.statusCode).toBe(204);
    expect(await p.database.db.selectFrom('service_items').select('code').where('code', '=', '340500-T-DEL').executeTakeFirst()).toBeUndefined();
    expect(await p.database.db.selectFrom('service_item_materials').select('id').where('service_item_code', '=', '340500-T-DEL').execute()).toEqual([]);
    const audit = await p.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', '340500-T-DEL').orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toContain('catalog.service_item.delete');

    const before = await snapshot();
    const bundled = await remove(province, '340500-CSDJ');
    expect(bundled.statusCode).toBe(409);
    expect(bundled.json().error).toMatchObject({ code: 'CATALOG.SERVICE_ITEM_IN_BUNDLE', details: { bundleCode: 'XSECS' } });
    expect((await remove(province, 'NO-SUCH')).statusCode).toBe(404);
    expect(await snapshot()).toBe(before);
  });
});

describe('the list and the published version', () => {
  it('filters by text and region, a page at a time with the total; a published version carries the new item to applicants', async () => {
    const all = (await p.app.inject({ url: URL, headers: province })).json();
    expect(all.items.length).toBe(Math.min(200, all.total));
    expect(all).toMatchObject({ page: 1, pageSize: 200 });
    // pages of 7 cover every item once, in the same order
    const pages = [];
    for (let page = 1; (page - 1) * 7 < all.total; page++) {
      const res = (await p.app.inject({ url: `${URL}?pageSize=7&page=${page}`, headers: province })).json();
      expect(res.total).toBe(all.total);
      pages.push(...res.items.map((i: { code: string }) => i.code));
    }
    expect(pages).toEqual(all.items.map((i: { code: string }) => i.code));
    expect((await p.app.inject({ url: `${URL}?pageSize=201`, headers: province })).statusCode).toBe(400);
    const hf = (await p.app.inject({ url: `${URL}?regionCode=340100`, headers: province })).json();
    expect(hf.items.length).toBeGreaterThan(0);
    expect(hf.items.every((i: { regionCode: string }) => i.regionCode === '340100')).toBe(true);
    const byName = (await p.app.inject({ url: `${URL}?q=${encodeURIComponent('测试事项')}`, headers: province })).json();
    expect(byName.items.map((i: { code: string }) => i.code)).toEqual(expect.arrayContaining(['340500-T-ADD', '340500-T-CITY']));
    expect(byName.total).toBe(byName.items.length);
    // a LIKE wildcard in the text is taken literally
    expect((await p.app.inject({ url: `${URL}?q=%25`, headers: province })).json().total).toBe(0);

    const published = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/publish', headers: province, payload: { note: '新增测试事项' } });
    expect(published.statusCode).toBe(201);
    const pub = await p.app.inject({ url: '/api/v1/service-items/340500-T-ADD' });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().materials.map((m: { name: string }) => m.name)).toEqual(['测试申请表', '婚姻状况证明']);
    expect(pub.json().applicantKinds).toEqual(['person', 'enterprise']);
    // a citizen applying for it is told, per material, how it is met — the form to fill in, the proof by its methods
    const plan = await p.app.inject({ url: '/api/v1/applications/preview?serviceItemCode=340500-T-ADD', headers: await p.as('citizen') });
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json().forms.map((f: { name: string }) => f.name)).toEqual(['测试申请表']);
    expect(plan.json().materials).toEqual([expect.objectContaining({ proofItemId: 'ZM-MAS-HYZK', method: 'data_sharing', mustProvide: false })]);
    // the version's changelog names the service items it added (created and removed within the draft: not there)
    const log = (await p.app.inject({ url: '/api/v1/catalog/changelog' })).json();
    const added = log.serviceItemEntries.filter((e: { kind: string }) => e.kind === 'added').map((e: { code: string }) => e.code);
    expect(added).toEqual(expect.arrayContaining(['340500-T-ADD', '340500-T-CITY', '340500-T-EDIT', '340500-T-PROV']));
    expect(added).not.toContain('340500-T-DEL');
    expect(log.serviceItemEntries.find((e: { code: string }) => e.code === '340500-T-ADD')).toEqual({ kind: 'added', code: '340500-T-ADD', name: '测试事项', departmentName: '马鞍山市民政局', regionName: '马鞍山市' });
    expect((await p.app.inject({ url: '/api/v1/admin/catalog/draft', headers: province })).json().pendingServiceItemChanges).toEqual([]);
  });

  it('the draft lists the service items the next version adds, removes or changes, and which of their fields', async () => {
    const current = (await p.app.inject({ url: `${URL}?q=340500-T-ADD`, headers: province })).json().items[0];
    const materials = current.materials.map((m: { id: string; proofItemId: string | null; name: string }) => ({ id: m.id, proofItemId: m.proofItemId, name: m.name, required: false }));
    expect((await patch(province, '340500-T-ADD', { name: '测试事项(新名)', materials })).statusCode).toBe(200);
    expect((await remove(province, '340500-T-CITY')).statusCode).toBe(204);
    expect((await post(province, item('340500-T-NEW'))).statusCode).toBe(201);
    const draft = (await p.app.inject({ url: '/api/v1/admin/catalog/draft', headers: province })).json();
    expect(draft.pendingServiceItemChanges.map((e: { kind: string; code: string; fields?: string[] }) => [e.kind, e.code, e.fields])).toEqual([
      ['added', '340500-T-NEW', undefined],
      ['removed', '340500-T-CITY', undefined],
      ['changed', '340500-T-ADD', ['name', 'materials']],
    ]);
  });
});

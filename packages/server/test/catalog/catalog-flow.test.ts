import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let p: TestPlatform;
let admin: Record<string, string>;
beforeAll(async () => {
  p = await createTestPlatform();
  admin = await p.as('catalogadmin');
});
afterAll(async () => { await p?.close(); });

function multipart(filename: string, content: Buffer | string, contentType = 'text/csv') {
  const boundary = '----mz' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const body = Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function importFile(filename: string, content: Buffer | string, contentType?: string) {
  const m = multipart(filename, content, contentType);
  return p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/import', headers: { ...admin, ...m.headers }, payload: m.payload });
}

describe('the public list', () => {
  it('serves the latest published version with search and filters', async () => {
    const res = await p.app.inject({ url: `/api/v1/proof-items?q=${encodeURIComponent('无犯罪')}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.version.number).toBe(2);
    expect(body.total).toBeGreaterThan(0);
    expect(body.items.every((i: { name: string }) => i.name === '无犯罪记录证明')).toBe(true);
    const mas = (await p.app.inject({ url: `/api/v1/proof-items?q=${encodeURIComponent('马鞍山 户籍')}` })).json();
    expect(mas.items.length).toBeGreaterThan(0);
    expect(mas.items.every((i: { regionName: string; name: string }) => i.regionName === '马鞍山市' && i.name.includes('户籍'))).toBe(true);
    const exactFirst = (await p.app.inject({ url: `/api/v1/proof-items?q=${encodeURIComponent('婚姻状况证明')}&region=340500` })).json();
    expect(exactFirst.items[0].name).toBe('婚姻状况证明');
    const byMethod = (await p.app.inject({ url: '/api/v1/proof-items?method=cancelled&region=340500&pageSize=100' })).json();
    expect(byMethod.items.length).toBeGreaterThan(0);
    expect(byMethod.items.every((i: { methods: string[]; regionCode: string }) => i.methods.includes('cancelled') && i.regionCode.startsWith('3405'))).toBe(true);
    const byDept = (await p.app.inject({ url: '/api/v1/proof-items?department=tl-ga&pageSize=100' })).json();
    expect(byDept.items.every((i: { issuingDepartment: { id: string } }) => i.issuingDepartment.id === 'tl-ga')).toBe(true);
  });

  it('explains every material of a service item', async () => {
    const res = await p.app.inject({ url: '/api/v1/service-items/340500-JHDJ' });
    expect(res.statusCode).toBe(200);
    const item = res.json();
    expect(item.name).toBe('结婚登记');
    const marriage = item.materials.find((m: { proofItemName: string }) => m.proofItemName === '婚姻状况证明');
    expect(marriage).toMatchObject({ mustProvide: false, method: 'data_sharing', legalBasis: '《婚姻登记条例》第五条' });
    expect(marriage.explanation).toContain('马鞍山市民政局');
    const form = item.materials.find((m: { proofItemId: string | null }) => m.proofItemId === null);
    expect(form).toMatchObject({ mustProvide: true, method: 'form' });
    const list = (await p.app.inject({ url: `/api/v1/service-items?q=${encodeURIComponent('结婚')}&region=340500` })).json();
    expect(list.items[0]).toMatchObject({ code: '340500-JHDJ', proofFreeCount: 3, materialCount: 4 });
  });

  it('shows the proof item with the service items that require it', async () => {
    const res = await p.app.inject({ url: '/api/v1/proof-items/ZM-MAS-HYZK' });
    const item = res.json();
    expect(item.serviceItems.map((s: { code: string }) => s.code)).toContain('340500-JHDJ');
    expect(item.commitment.postCheck).toMatchObject({ samplingRate: expect.any(Number), withinDays: expect.any(Number) });
  });
});

describe('draft, publish and changelog (动态调整)', () => {
  it('refuses to publish an unchanged draft', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/publish', headers: admin, payload: { note: '无变化' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CATALOG.NOTHING_TO_PUBLISH');
  });

  it('edits the draft, publishes a new immutable version and reports the changes', async () => {
    const created = await p.app.inject({
      method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers: admin,
      payload: { name: '居住证明', issuingDepartmentId: 'mas-ga', regionCode: '340500', legalBasis: '《居住证暂行条例》第九条', methods: ['data_sharing', 'commitment'], commitment: { conditions: '申请人在本市居住。', consequence: '记入信用记录。', postCheck: { samplingRate: 0.1, withinDays: 60 } } },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const patched = await p.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-HYZK', headers: admin, payload: { legalBasis: '《婚姻登记条例》第五条(2026年修订)' } });
    expect(patched.statusCode).toBe(200);
    const inUse = await p.app.inject({ method: 'DELETE', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-SWZM', headers: admin });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.code).toBe('CATALOG.IN_USE');
    const removed = await p.app.inject({ method: 'DELETE', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-SWZM?detach=true', headers: admin });
    expect(removed.statusCode).toBe(204);

    const draft = (await p.app.inject({ url: '/api/v1/admin/catalog/draft', headers: admin })).json();
    expect(draft.basedOn).toBe(2);
    expect(draft.pendingChanges.map((c: { kind: string; proofItemId: string }) => `${c.kind}:${c.proofItemId}`).sort()).toEqual(
      [`added:${id}`, 'legal_basis_changed:ZM-MAS-HYZK', 'removed:ZM-MAS-SWZM'].sort(),
    );
    // the public still sees version 2
    expect((await p.app.inject({ url: `/api/v1/proof-items/${id}` })).statusCode).toBe(404);

    const pub = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/publish', headers: admin, payload: { note: '测试调整' } });
    expect(pub.statusCode).toBe(201);
    expect(pub.json()).toMatchObject({ number: 3, note: '测试调整', publishedBy: '陈清单' });
    expect((await p.app.inject({ url: `/api/v1/proof-items/${id}` })).json().name).toBe('居住证明');
    expect((await p.app.inject({ url: '/api/v1/proof-items/ZM-MAS-SWZM' })).statusCode).toBe(404);
    expect((await p.app.inject({ url: '/api/v1/proof-items/ZM-MAS-SWZM?version=2' })).statusCode).toBe(200);

    const log = (await p.app.inject({ url: '/api/v1/catalog/changelog?from=2&to=3' })).json();
    expect(log.entries.map((e: { kind: string }) => e.kind).sort()).toEqual(['added', 'legal_basis_changed', 'removed']);
    const older = (await p.app.inject({ url: '/api/v1/catalog/changelog?from=1&to=3' })).json();
    expect(older.entries.length).toBeGreaterThan(log.entries.length);
    const versions = (await p.app.inject({ url: '/api/v1/catalog/versions' })).json();
    expect(versions.items.map((v: { number: number }) => v.number)).toEqual([3, 2, 1]);
  });

  it('published versions cannot be changed, even in the database', async () => {
    await expect(sql`UPDATE published_proof_items SET name = 'x' WHERE version_number = 1`.execute(p.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM catalog_versions WHERE number = 1`.execute(p.database.db)).rejects.toThrow(/append-only/);
  });
});

describe('import and export', () => {
  const header = '序号,证明名称,开具单位,设定依据,免提交方式,适用事项\n';
  it('rejects a file with errors as a whole, listing row, column and reason', async () => {
    const before = await p.database.db.selectFrom('proof_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const csv = '马鞍山市证明事项清单\n' + header +
      '1,社区居住证明,马鞍山市公安局,《居住证暂行条例》,数据共享,结婚登记\n' +
      '2,工作证明,马鞍山市人力资源和社会保障局,,保留,失业登记\n' +
      '3,不存在部门的证明,马鞍山市魔法局,依据,直接取消,\n' +
      '4,纸质证明,马鞍山市民政局,依据,邮寄,\n' +
      '注:本清单自发布之日起施行\n';
    const res = await importFile('清单.csv', csv);
    expect(res.statusCode).toBe(422);
    const errors = res.json().error.details.errors as { row: number; column: string; code: string }[];
    expect(errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ row: 4, column: '设定依据', code: 'CATALOG.LEGAL_BASIS_REQUIRED' }),
      expect.objectContaining({ row: 5, column: '开具单位', code: 'IMPORT.UNKNOWN_DEPARTMENT' }),
      expect.objectContaining({ row: 6, column: '免提交方式', code: 'IMPORT.UNKNOWN_METHOD' }),
    ]));
    const after = await p.database.db.selectFrom('proof_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('an imported name is held to the editor\'s 200 characters', async () => {
    const long = '居住'.repeat(101);
    const res = await importFile('清单.csv', header + `1,${long},马鞍山市公安局,依据,数据共享,\n`);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors).toEqual([expect.objectContaining({ row: 2, column: '证明名称', code: 'CATALOG.NAME_TOO_LONG' })]);
    const editor = await p.app.inject({
      method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers: admin,
      payload: { name: long, issuingDepartmentId: 'mas-ga', regionCode: '340500', legalBasis: '依据', methods: ['data_sharing'] },
    });
    expect(editor.statusCode).toBe(400);
    expect(editor.json().error.field).toBe('name');
  });

  it('imports a corrected file and links the service items', async () => {
    const csv = header + '1,社区居住证明,马鞍山市公安局,《居住证暂行条例》第九条,数据共享、告知承诺,结婚登记\n2,婚姻状况证明,马鞍山市民政局,《婚姻登记条例》第五条,数据共享、告知承诺,\n';
    const res = await importFile('清单.csv', csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 2, created: 1, linked: 1 });
    const draft = (await p.app.inject({ url: '/api/v1/admin/catalog/draft', headers: admin })).json();
    const created = draft.proofItems.find((i: { name: string }) => i.name === '社区居住证明');
    expect(created).toMatchObject({ methods: ['data_sharing', 'commitment'], serviceItemCodes: ['340500-JHDJ'] });
    expect(created.commitment.conditions).toContain('社区居住证明');
  });

  it('rejects files that are not spreadsheets and empty uploads', async () => {
    const pdf = await importFile('清单.pdf', Buffer.from('%PDF-1.7\n...'), 'application/pdf');
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().error).toMatchObject({ code: 'IMPORT.UNSUPPORTED_FILE', field: 'file' });
    const noHeader = await importFile('清单.csv', '甲,乙\n1,2\n');
    expect(noHeader.statusCode).toBe(422);
    expect(noHeader.json().error.code).toBe('IMPORT.NO_HEADER');
    const empty = await importFile('清单.csv', '');
    expect(empty.statusCode).toBe(400);
    const notMultipart = await p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/import', headers: admin, payload: { file: 'x' } });
    expect(notMultipart.statusCode).toBe(400);
  });

  it('exports a published version that imports back unchanged', async () => {
    const latest = (await p.app.inject({ url: '/api/v1/catalog/versions' })).json().items[0].number;
    const res = await p.app.inject({ url: `/api/v1/catalog/versions/${latest}/export.xlsx` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const again = await importFile('v1.xlsx', res.rawPayload, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(again.statusCode, again.body.slice(0, 500)).toBe(200);
    expect(again.json().created).toBe(0);
  });
});

// PGlite has one connection, so only PostgreSQL can run two transactions at once.
describe.skipIf(process.env.MZ_TEST_DB !== 'postgres')('draft changes and publishing at once (PostgreSQL)', () => {
  it('a draft change waits while a version is being published from the draft', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let locked!: () => void;
    const holding = new Promise<void>((r) => { locked = r; });
    // a publish in progress: it holds the draft's lock while it reads the draft in several statements
    const publishing = p.database.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(72010003)`.execute(trx);
      locked();
      await gate;
    });
    await holding;
    let done = false;
    const change = p.app.inject({
      method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers: admin,
      payload: { name: '发布期间新增的证明', issuingDepartmentId: 'mas-ga', regionCode: '340500', legalBasis: '依据', methods: ['data_sharing'] },
    }).then((res) => { done = true; return res; });
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    release();
    await publishing;
    expect((await change).statusCode).toBe(201);
  });

  it('an import whose draft changed while the file was checked writes nothing: 409 CATALOG.DRAFT_CHANGED, never a 500', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let locked!: () => void;
    const holding = new Promise<void>((r) => { locked = r; });
    // another administrator's change in progress: it holds the draft's lock and adds the very item the file adds
    const other = p.database.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(72010003)`.execute(trx);
      locked();
      await gate;
      await trx.insertInto('proof_items').values({ name: '导入期间新增的证明', issuing_department_id: 'mas-ga', region_code: '340500', legal_basis: '依据', methods: ['data_sharing'], commitment: 'null', notes: '' } as never).execute();
    });
    await holding;
    const header = '序号,证明名称,开具单位,设定依据,免提交方式,适用事项\n';
    const importing = importFile('清单.csv', `${header}1,导入期间新增的证明,马鞍山市公安局,依据,数据共享,\n`);
    await new Promise((r) => setTimeout(r, 300)); // the file is checked against the draft as it was, then waits for the lock
    release();
    await other;
    const res = await importing;
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CATALOG.DRAFT_CHANGED', field: 'file' });
    const rows = await p.database.db.selectFrom('proof_items').select('id').where('name', '=', '导入期间新增的证明').execute();
    expect(rows).toHaveLength(1);
  });

  it('two administrators adding the same proof item at once: one 201, the other 409, never a 500', async () => {
    for (let i = 0; i < 5; i++) {
      const payload = { name: `同时新增的证明${i}`, issuingDepartmentId: 'mas-ga', regionCode: '340500', legalBasis: '依据', methods: ['data_sharing'] };
      const both = await Promise.all([0, 1].map(() => p.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/proof-items', headers: admin, payload })));
      expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    }
  });
});

/**
 * Two data administrators change license types at the same moment (PostgreSQL: PGlite has one
 * connection, so nothing runs at once there). The one that loses gets the 409 it would have got
 * had the other committed before it looked — never a 500 — and nothing of it is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { settle, untilBlockedOrSettled } from '../applications/helpers.ts';
import { HOUSEHOLD, MARRIAGE } from './helpers.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

/** Runs `write` in another transaction that stays open (holding its row locks) until release(). */
function otherTransaction(p: TestPlatform, write: (db: TestPlatform['database']['db']) => Promise<unknown>): { written: Promise<void>; release: () => void; done: Promise<unknown> } {
  let written!: () => void;
  let release!: () => void;
  const w = new Promise<void>((r) => { written = r; });
  const held = new Promise<void>((r) => { release = r; });
  const done = p.database.db.transaction().execute(async (trx) => {
    await write(trx as unknown as TestPlatform['database']['db']);
    written();
    await held;
  });
  return { written: w, release, done };
}

describe.skipIf(process.env.MZ_TEST_DB !== 'postgres')('license types changed at once (PostgreSQL)', () => {
  it('linking a proof item that another type is linking right now is 409 PROOF_ITEM_LINKED_ELSEWHERE, and the type keeps its links', async () => {
    const h = await p.as('dataadmin');
    const before = (await p.app.inject(`/api/v1/license-types/${MARRIAGE}`)).json().proofItems.map((x: { id: string }) => x.id);
    const other = otherTransaction(p, (db) => db.insertInto('license_type_proof_items').values({ proof_item_id: 'ZM-CZ-HJZM', license_type_code: HOUSEHOLD, linked_at: new Date(), linked_by: 'other-admin' }).execute());
    await other.written;
    const putting = settle(p.app.inject({ method: 'PUT', url: `/api/v1/admin/license-types/${MARRIAGE}/proof-items`, headers: h, payload: { proofItemIds: ['ZM-CZ-HJZM'] } }));
    expect(await untilBlockedOrSettled(p, putting.done)).toBe('blocked');
    other.release();
    await other.done;
    const res = await putting.value();
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'LICENSE.PROOF_ITEM_LINKED_ELSEWHERE', field: 'proofItemIds', details: { proofItemId: 'ZM-CZ-HJZM', licenseTypeCode: HOUSEHOLD } });
    expect((await p.app.inject(`/api/v1/license-types/${MARRIAGE}`)).json().proofItems.map((x: { id: string }) => x.id)).toEqual(before);
    expect(await p.database.db.selectFrom('audit_log').select('action').where('action', '=', 'license.type.link_proof_items').where('subject_id', '=', MARRIAGE).execute()).toEqual([]);
  });

  const type = (code: string, name: string) => ({
    code, name, definingAgencyName: '公安部', holderKind: '111', legalBasis: '《居住证暂行条例》第二条', validity: { kind: 'none' }, issuingDepartmentIds: ['mas-ga'],
    fields: [{ name: 'residenceAddress', label: '居住地址', type: 'string', required: true, disclosable: true }],
  });
  const row = (code: string, name: string) => ({
    code, name, defining_agency_name: '公安部', holder_kind: '111' as const, fields: JSON.stringify([]), issuing_department_ids: ['mas-ga'], validity: JSON.stringify({ kind: 'none' }), legal_basis: 'x', description: '',
  });

  for (const [what, code, name, field] of [['code', '11100000000013338W097', '另一个名称', 'code'], ['name', '11100000000013338W096', '居住证(同名)', 'name']] as const) {
    it(`registering a type whose ${what} another registration is writing right now is 409 TYPE_EXISTS naming ${field}`, async () => {
      const other = otherTransaction(p, (db) => db.insertInto('license_types').values(row(what === 'code' ? code : '11100000000013338W095', what === 'name' ? name : '先登记的类型')).execute());
      await other.written;
      const posting = settle(p.app.inject({ method: 'POST', url: '/api/v1/admin/license-types', headers: await p.as('dataadmin'), payload: type(code, name) }));
      expect(await untilBlockedOrSettled(p, posting.done)).toBe('blocked');
      other.release();
      await other.done;
      const res = await posting.value();
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'LICENSE.TYPE_EXISTS', field });
      expect(await p.database.db.selectFrom('audit_log').select('action').where('action', '=', 'license.type.register').where('subject_id', '=', code).execute()).toEqual([]);
    });
  }

  it('renaming a type to the name another registration is writing right now is 409 TYPE_EXISTS naming name, and the type keeps its name', async () => {
    const other = otherTransaction(p, (db) => db.insertInto('license_types').values(row('11100000000013338W094', '婚姻状况证明')).execute());
    await other.written;
    const patching = settle(p.app.inject({ method: 'PATCH', url: `/api/v1/admin/license-types/${MARRIAGE}`, headers: await p.as('dataadmin'), payload: { name: '婚姻状况证明' } }));
    expect(await untilBlockedOrSettled(p, patching.done)).toBe('blocked');
    other.release();
    await other.done;
    const res = await patching.value();
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'LICENSE.TYPE_EXISTS', field: 'name' });
    expect((await p.app.inject(`/api/v1/license-types/${MARRIAGE}`)).json().name).toBe('结婚证');
  });
});

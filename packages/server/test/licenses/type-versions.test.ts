/**
 * A license issued while a data admin changes its type. Issuance checks the fields against the
 * type, numbers and signs, and only then stores: a change of the type committed in between must
 * not leave a license signed against a field set its type (version) no longer has. Every license
 * records the type version it was checked against, and whoever reads it later interprets its
 * fields with that version.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { findActorByToken } from '../../src/identity/use-cases/authenticate-session.ts';
import { issueLicense } from '../../src/licenses/use-cases/issue-license.ts';
import { issueLicensesFromXlsx } from '../../src/licenses/use-cases/issue-licenses-from-xlsx.ts';
import { updateLicenseType } from '../../src/licenses/use-cases/update-license-type.ts';
import type { Actor } from '../../src/identity/domain/roles.ts';
import type { Deps } from '../../src/shared/deps.ts';
import { depsWithGatedTransaction, settle, untilBlockedOrSettled } from '../applications/helpers.ts';
import { CITIZEN_ID, CITIZEN_NAME, holderDocument, verifyDoc } from './helpers.ts';

let p: TestPlatform;
let issuer: Actor;
beforeAll(async () => {
  p = await createTestPlatform();
  issuer = (await findActorByToken(await p.tokenOf('issuer'), p.app.deps))!;
});
afterAll(async () => { await p?.close(); });

const FIELDS = [
  { name: 'alpha', label: '甲项', type: 'string', required: true, disclosable: true },
  { name: 'beta', label: '乙项', type: 'string', required: false, disclosable: false },
];
let seq = 60;
/** A new type of 马鞍山市民政局 (the demo issuer's department), with no license yet. */
async function newType(): Promise<string> {
  const code = `11100000000013338W0${seq++}`;
  const res = await p.app.inject({
    method: 'POST', url: '/api/v1/admin/license-types', headers: await p.as('dataadmin'),
    payload: { code, name: `版本测试证${code.slice(-2)}`, definingAgencyName: '民政部', holderKind: '111', legalBasis: '测试依据', fields: FIELDS, issuingDepartmentIds: ['mas-mz'], validity: { kind: 'none' } },
  });
  if (res.statusCode !== 201) throw new Error(`type: ${res.statusCode} ${res.body}`);
  return code;
}
const patchType = async (code: string, body: Record<string, unknown>) =>
  p.app.inject({ method: 'PATCH', url: `/api/v1/admin/license-types/${code}`, headers: await p.as('dataadmin'), payload: body });
const input = (typeCode: string, fields: Record<string, unknown>) => ({ typeCode, holder: { code: CITIZEN_ID, name: CITIZEN_NAME }, fields });
const licensesOf = (code: string) => p.database.db.selectFrom('licenses').selectAll().where('type_code', '=', code).execute();
const versionOf = async (licenseId: string) => (await p.database.db.selectFrom('licenses').select('type_version').where('id', '=', licenseId).executeTakeFirstOrThrow()).type_version;
const fieldsOfVersion = async (code: string, version: number) =>
  (await p.database.db.selectFrom('license_type_versions').select('fields').where('type_code', '=', code).where('version', '=', version).executeTakeFirstOrThrow()).fields;

/** Issues as the demo issuer with the first transaction (after the type was read and the fields checked) held until the admin's change is committed. */
async function issueAcross(change: () => Promise<{ statusCode: number; body: string }>, typeCode: string, fields: Record<string, unknown>) {
  const gated = depsWithGatedTransaction(p);
  const issuing = settle(issueLicense(input(typeCode, fields), issuer, gated.deps as Deps));
  await gated.reached;
  const changed = await change();
  expect(changed.statusCode, changed.body).toBe(200);
  gated.open();
  return issuing.result;
}

describe('a license issued while its type changes', () => {
  it('fields removed and renamed meanwhile (no license yet): the issuance is refused as 409 LICENSE.TYPE_CHANGED, nothing stored', async () => {
    const code = await newType();
    const out = await issueAcross(() => patchType(code, { fields: [{ name: 'gamma', label: '丙项', type: 'string', required: true, disclosable: true }] }), code, { alpha: '甲', beta: '乙' });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error).toMatchObject({ code: 'LICENSE.TYPE_CHANGED', field: 'fields.alpha', details: { version: 2 } });
    expect(await licensesOf(code)).toEqual([]);
  });

  it('an optional field made required meanwhile: refused when the input lacks it', async () => {
    const code = await newType();
    const out = await issueAcross(() => patchType(code, { fields: [FIELDS[0], { ...FIELDS[1], required: true }] }), code, { alpha: '甲' });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error).toMatchObject({ code: 'LICENSE.TYPE_CHANGED', field: 'fields.beta' });
    expect(await licensesOf(code)).toEqual([]);
  });

  it('a change the input still fits (relabel, optional field, identifies): issued, checked against and stamped with the new version', async () => {
    const code = await newType();
    const first = await issueLicense(input(code, { alpha: '先', beta: '颁发' }), issuer, p.app.deps);
    expect(await versionOf(first.id)).toBe(1);
    const fields = [{ ...FIELDS[0], label: '甲项(新)' }, { ...FIELDS[1], identifies: 'none' }, { name: 'delta', label: '丁项', type: 'string', required: false, disclosable: true }];
    const out = await issueAcross(() => patchType(code, { fields }), code, { alpha: '后', beta: '颁发' });
    if (!out.ok) throw out.error;
    const version = await versionOf(out.value.id);
    expect(version).toBe(2);
    expect(await fieldsOfVersion(code, 2)).toEqual(fields);
    // the access log of the issuance (named persons) and every later reading use version 2's definition
    const doc = await holderDocument(p, out.value.id);
    expect((await verifyDoc(p, doc)).verified).toBe(true);
  });

  it('the issuing department dropped from the type meanwhile: 403 LICENSE.ISSUER_NOT_AUTHORISED, nothing stored', async () => {
    const code = await newType();
    const out = await issueAcross(() => patchType(code, { issuingDepartmentIds: ['mas-ga'] }), code, { alpha: '甲' });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error).toMatchObject({ code: 'LICENSE.ISSUER_NOT_AUTHORISED' });
    expect(await licensesOf(code)).toEqual([]);
  });

  it('a batch across a change: all or nothing against the version that stores it', async () => {
    const code = await newType();
    const tpl = await p.app.inject({ url: `/api/v1/license-types/${code}/batch-template.xlsx`, headers: await p.as('issuer') });
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const row = headers.map((h) => (h.startsWith('持证主体代码') ? CITIZEN_ID : h.startsWith('持证主体名称') ? CITIZEN_NAME : h.startsWith('甲项') ? '甲' : h.startsWith('乙项') ? '乙' : ''));
    sheet.addRow(row);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const gated = depsWithGatedTransaction(p);
    const issuing = settle(issueLicensesFromXlsx({ typeCode: code, data, filename: 'batch.xlsx' }, issuer, gated.deps as Deps));
    await gated.reached;
    expect((await patchType(code, { fields: [FIELDS[0]] })).statusCode).toBe(200); // 乙项 removed
    gated.open();
    const out = await issuing.result;
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error).toMatchObject({ code: 'LICENSE.TYPE_CHANGED', field: 'file' });
    expect(await licensesOf(code)).toEqual([]);
  });
});

describe('a license read later is interpreted with its own type version', () => {
  it('a relabelled field keeps the label the license was issued with, in the wallet, the issuer\'s view and verification', async () => {
    const code = await newType();
    const old = await issueLicense(input(code, { alpha: '旧证', beta: '乙' }), issuer, p.app.deps);
    expect((await patchType(code, { fields: [{ ...FIELDS[0], label: '甲项(改)' }, FIELDS[1]] })).statusCode).toBe(200);
    const renewed = await issueLicense(input(code, { alpha: '新证', beta: '乙' }), issuer, p.app.deps);
    const labelIn = (fields: { name: string; label: string }[]) => fields.find((f) => f.name === 'alpha')!.label;
    const wallet = (await p.app.inject({ url: '/api/v1/me/licenses', headers: await p.as('citizen') })).json().items as { id: string; fields: { name: string; label: string }[] }[];
    expect(labelIn(wallet.find((l) => l.id === old.id)!.fields)).toBe('甲项');
    expect(labelIn(wallet.find((l) => l.id === renewed.id)!.fields)).toBe('甲项(改)');
    const view = (await p.app.inject({ url: `/api/v1/licenses/${old.id}`, headers: await p.as('issuer') })).json();
    expect(labelIn(view.fields)).toBe('甲项');
    const verified = await verifyDoc(p, await holderDocument(p, old.id));
    expect(verified.verified).toBe(true);
    expect(labelIn(verified.fields as unknown as { name: string; label: string }[])).toBe('甲项');
  });

  it('the type\'s versions are kept: v1 as registered, v2 after the change', async () => {
    const code = await newType();
    expect(await fieldsOfVersion(code, 1)).toEqual(FIELDS);
    expect((await patchType(code, { description: '说明已改' })).statusCode).toBe(200);
    const versions = await p.database.db.selectFrom('license_type_versions').select('version').where('type_code', '=', code).orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect((await p.app.inject(`/api/v1/license-types/${code}`)).json()).toMatchObject({ version: 2, description: '说明已改' });
  });
});

/** Runs `change` through the platform with its transaction held open, after its work and before its commit, until release(). */
function depsHoldingCommit(nth: number): { deps: Deps; holding: Promise<void>; release: () => void } {
  let arrive!: () => void;
  let release!: () => void;
  const holding = new Promise<void>((r) => { arrive = r; });
  const gate = new Promise<void>((r) => { release = r; });
  let count = 0;
  const base = p.app.deps.db;
  const bound = <T extends object>(target: T, key: string | symbol) => {
    const v = Reflect.get(target, key, target) as unknown;
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  };
  const db = new Proxy(base, {
    get(target, key) {
      if (key !== 'transaction') return bound(target, key);
      return () => new Proxy(target.transaction(), {
        get(builder, k) {
          if (k !== 'execute') return bound(builder, k);
          return (fn: (trx: unknown) => Promise<unknown>) => builder.execute(async (trx) => {
            const out = await fn(trx);
            if (++count === nth) { arrive(); await gate; }
            return out;
          });
        },
      });
    },
  });
  return { deps: { ...p.app.deps, db } as Deps, holding, release };
}

describe.skipIf(process.env.MZ_TEST_DB !== 'postgres')('issuance and a type change at the same moment (PostgreSQL)', () => {
  it('an issuance reaching its insert while the change is uncommitted waits for it, then answers by the new version', async () => {
    const code = await newType();
    const admin = (await findActorByToken(await p.tokenOf('dataadmin'), p.app.deps))!;
    const held = depsHoldingCommit(1);
    const changing = settle(updateLicenseType(code, { fields: [{ name: 'gamma', label: '丙项', type: 'string', required: true, disclosable: true }] }, admin, held.deps));
    await held.holding;
    const issuing = settle(p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: await p.as('issuer'), payload: input(code, { alpha: '甲', beta: '乙' }) }));
    expect(await untilBlockedOrSettled(p, issuing.done)).toBe('blocked');
    held.release();
    await changing.value();
    const res = await issuing.value();
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'LICENSE.TYPE_CHANGED', field: 'fields.alpha' });
    expect(await licensesOf(code)).toEqual([]);
  });

  it('a change reaching the type while an issuance is uncommitted waits for it, then treats the type as in use', async () => {
    const code = await newType();
    const held = depsHoldingCommit(2); // allocateNumbers, then the insert
    const issuing = settle(issueLicense(input(code, { alpha: '甲', beta: '乙' }), issuer, held.deps));
    await held.holding;
    const patching = settle(patchType(code, { fields: [FIELDS[0]] }));
    expect(await untilBlockedOrSettled(p, patching.done)).toBe('blocked');
    held.release();
    const issued = await issuing.value();
    const res = await patching.value();
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'LICENSE.TYPE_IN_USE' });
    expect(await versionOf(issued.id)).toBe(1);
  });
});

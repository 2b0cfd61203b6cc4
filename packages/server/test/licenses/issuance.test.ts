import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLicenseIdentifier } from '@mianzheng/crypto';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { BUSINESS, CITIZEN_ID, CITIZEN_NAME, HOUSEHOLD, holderDocument, idNumber, issueMarriage, MARRIAGE, marriageInput, SPOUSE_ID, verifyDoc } from './helpers.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

describe('license types (data_admin)', () => {
  it('lists the ten seeded types with fields, issuing departments and linked proof items', async () => {
    const res = await p.app.inject('/api/v1/license-types');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { name: string; code: string; fields: unknown[]; issuingDepartments: { id: string }[]; proofItems: { id: string }[] }[];
    expect(items.map((t) => t.name).sort()).toEqual(['不动产权证书', '出生医学证明', '学历证书', '居民户口簿', '居民身份证', '残疾人证', '社会保障卡', '结婚证', '营业执照', '退役军人优待证'].sort());
    const marriage = items.find((t) => t.code === MARRIAGE)!;
    expect(marriage.issuingDepartments.map((d) => d.id)).toContain('mas-mz');
    expect(items.find((t) => t.code === HOUSEHOLD)!.proofItems.map((x) => x.id)).toContain('ZM-MAS-HJZM');
    expect(items.find((t) => t.code === HOUSEHOLD)!.proofItems.map((x) => x.id)).not.toContain('ZM-CZ-HJZM');
  });

  const newType = {
    code: '11100000000013338W099', name: '居住证', definingAgencyName: '公安部', holderKind: '111', legalBasis: '《居住证暂行条例》第二条',
    fields: [{ name: 'residenceAddress', label: '居住地址', type: 'string', required: true, disclosable: true }, { name: 'issuingAuthority', label: '签发机关', type: 'string', required: true, disclosable: false }],
    issuingDepartmentIds: ['mas-ga'], validity: { kind: 'years', years: 1 },
  };

  it('registers a type, rejects a bad USCC in the code, a duplicate and unknown departments', async () => {
    const h = await p.as('dataadmin');
    const bad = await p.app.inject({ method: 'POST', url: '/api/v1/admin/license-types', headers: h, payload: { ...newType, code: '11100000000013338X099' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({ code: 'LICENSE.TYPE_CODE_INVALID', field: 'code' });
    const dept = await p.app.inject({ method: 'POST', url: '/api/v1/admin/license-types', headers: h, payload: { ...newType, issuingDepartmentIds: ['nowhere'] } });
    expect(dept.statusCode).toBe(404);
    const ok = await p.app.inject({ method: 'POST', url: '/api/v1/admin/license-types', headers: h, payload: newType });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ code: newType.code, name: '居住证', licenseCount: 0 });
    const dup = await p.app.inject({ method: 'POST', url: '/api/v1/admin/license-types', headers: h, payload: newType });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('LICENSE.TYPE_EXISTS');
  });

  it('once licenses exist, only additive field changes', async () => {
    const h = await p.as('dataadmin');
    await issueMarriage(p);
    const removed = await p.app.inject({ method: 'PATCH', url: `/api/v1/admin/license-types/${MARRIAGE}`, headers: h, payload: { fields: [{ name: 'registrationDate', label: '登记日期', type: 'date', required: true, disclosable: true }] } });
    expect(removed.statusCode).toBe(409);
    expect(removed.json().error.code).toBe('LICENSE.TYPE_IN_USE');
    const type = (await p.app.inject(`/api/v1/license-types/${MARRIAGE}`)).json();
    const added = await p.app.inject({ method: 'PATCH', url: `/api/v1/admin/license-types/${MARRIAGE}`, headers: h, payload: { fields: [...type.fields, { name: 'remark', label: '备注', type: 'string', required: false, disclosable: true }] } });
    expect(added.statusCode).toBe(200);
    expect(added.json().fields).toHaveLength(type.fields.length + 1);
    const holderKind = await p.app.inject({ method: 'PATCH', url: `/api/v1/admin/license-types/${MARRIAGE}`, headers: h, payload: { holderKind: '001' } });
    expect(holderKind.statusCode).toBe(409);
  });

  it('refuses a field named like a built-in object member (toString, constructor …): its licenses would break the wallet', async () => {
    const h = await p.as('dataadmin');
    for (const name of ['toString', 'constructor', 'valueOf', 'hasOwnProperty']) {
      const code = `11100000000013338W0${name === 'toString' ? '91' : name === 'constructor' ? '92' : name === 'valueOf' ? '93' : '94'}`;
      const res = await p.app.inject({ method: 'POST', url: '/api/v1/admin/license-types', headers: h, payload: {
        ...newType, code, name: `原型字段证-${name}`,
        fields: [...newType.fields, { name, label: '备注', type: 'string', required: false, disclosable: true }],
      } });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'LICENSE.TYPE_INVALID', field: 'fields.2.name' });
    }
    // nor by a later change of an existing type
    const type = (await p.app.inject(`/api/v1/license-types/${HOUSEHOLD}`)).json();
    const patched = await p.app.inject({ method: 'PATCH', url: `/api/v1/admin/license-types/${HOUSEHOLD}`, headers: h, payload: { fields: [...type.fields, { name: 'toString', label: '备注', type: 'string', required: false, disclosable: false }] } });
    expect(patched.statusCode).toBe(422);
  });

  it('links proof items that accept e-licenses, and refuses others', async () => {
    const h = await p.as('dataadmin');
    const notLicense = await p.app.inject({ method: 'PUT', url: `/api/v1/admin/license-types/11100000000013338W099/proof-items`, headers: h, payload: { proofItemIds: ['ZM-MAS-HYZK'] } });
    expect(notLicense.statusCode).toBe(422);
    expect(notLicense.json().error.code).toBe('LICENSE.PROOF_ITEM_NOT_LICENSE_KIND');
    const elsewhere = await p.app.inject({ method: 'PUT', url: `/api/v1/admin/license-types/11100000000013338W099/proof-items`, headers: h, payload: { proofItemIds: ['ZM-MAS-HJZM'] } });
    expect(elsewhere.statusCode).toBe(409);
    const ok = await p.app.inject({ method: 'PUT', url: `/api/v1/admin/license-types/11100000000013338W099/proof-items`, headers: h, payload: { proofItemIds: ['ZM-MAS-JSZ'] } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().proofItemIds).toEqual(['ZM-MAS-JSZ']);
  });
});

describe('issuing one license', () => {
  it('assigns a GB/T 36904 identifier with a valid check character and signs with SM2-SM3', async () => {
    const issued = await issueMarriage(p);
    const id = parseLicenseIdentifier(issued.identifier);
    expect(id.wellFormed && id.checkCharValid).toBe(true);
    if (id.wellFormed) {
      expect(id.parts.licenseTypeCode).toBe(MARRIAGE);
      expect(id.parts.version).toBe('001');
    }
    expect(issued.suite).toBe('SM2-SM3');
    expect(issued).toMatchObject({ holderMask: `${CITIZEN_ID.slice(0, 6)}********${CITIZEN_ID.slice(-4)}`, holderNameMask: '张*梅', status: 'valid' });
    const doc = await holderDocument(p, issued.id);
    expect(doc.proof.suite).toBe('SM2-SM3');
    expect(JSON.stringify({ ...doc, disclosures: [] })).not.toContain(CITIZEN_ID); // only inside disclosures
    expect((await verifyDoc(p, doc)).verified).toBe(true);
  });

  it('signs with Ed25519 when asked', async () => {
    const issued = await issueMarriage(p, { suite: 'Ed25519' });
    expect(issued.suite).toBe('Ed25519');
    expect((await verifyDoc(p, await holderDocument(p, issued.id))).verified).toBe(true);
  });

  it('never stores the holder code or the document in clear', async () => {
    const issued = await issueMarriage(p);
    const row = await p.database.db.selectFrom('licenses').selectAll().where('id', '=', issued.id).executeTakeFirstOrThrow();
    const text = JSON.stringify(row);
    expect(text).not.toContain(CITIZEN_ID);
    expect(text).not.toContain(SPOUSE_ID);
    expect(text).not.toContain('刘明');
  });

  it('checks the holder code check digit by holder kind', async () => {
    const h = await p.as('issuer');
    const wrong = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: h, payload: marriageInput({ holder: { code: `${CITIZEN_ID.slice(0, 17)}${CITIZEN_ID[17] === '1' ? '2' : '1'}`, name: CITIZEN_NAME } }) });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error).toMatchObject({ code: 'LICENSE.HOLDER_CODE_INVALID', field: 'holder.code' });
    const uscc = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: h, payload: marriageInput({ holder: { code: '91340500MA2N0X1B3X', name: '公司' } }) });
    expect(uscc.statusCode).toBe(422);
  });

  it('validates fields against the type and names the field', async () => {
    const h = await p.as('issuer');
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: h, payload: marriageInput({ fields: { registrationDate: '2026-02-30', spouseName: '刘明', spouseIdNumber: SPOUSE_ID } }) });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('LICENSE.FIELDS_INVALID');
    expect(res.json().error.details.map((d: { field: string }) => d.field).sort()).toEqual(['fields.registrationAuthority', 'fields.registrationDate']);
    const extra = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: h, payload: marriageInput({ fields: { ...marriageInput().fields, nickname: 'x' } }) });
    expect(extra.json().error.field).toBe('fields.nickname');
    const until = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: h, payload: marriageInput({ validFrom: '2026-01-10', validUntil: '2026-01-01' }) });
    expect(until.json().error).toMatchObject({ code: 'LICENSE.VALIDITY_INVALID', field: 'validUntil' });
  });

  it('lets an issuer issue only the types its department is registered for', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: await p.as('issuer'), payload: { typeCode: BUSINESS, holder: { code: '91340500MA2N0X1B3X', name: 'x' }, fields: {} } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('LICENSE.ISSUER_NOT_AUTHORISED');
    const unknown = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: await p.as('issuer'), payload: marriageInput({ typeCode: '11100000000013338W098' }) });
    expect(unknown.statusCode).toBe(404);
  });

  it('is idempotent with an Idempotency-Key', async () => {
    const h = { ...(await p.as('issuer')), 'idempotency-key': 'issue-test-0001' };
    const a = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: h, payload: marriageInput() });
    const b = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: h, payload: marriageInput() });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const c = await p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: h, payload: marriageInput({ licenseNumber: 'OTHER' }) });
    expect(c.statusCode).toBe(409);
    expect(c.json().error.code).toBe('REQUEST.IDEMPOTENCY_CONFLICT');
  });

  it('writes an audit entry and an access-log entry the holder reads', async () => {
    const issued = await issueMarriage(p);
    const audit = await p.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'license.issue').where('subject_id', '=', issued.identifier).execute();
    expect(audit).toHaveLength(1);
    const log = await p.app.inject({ url: '/api/v1/me/access-log?pageSize=100', headers: await p.as('citizen') });
    expect(log.json().items.some((e: { outcome: string; accessorName: string; dataItemLabel: string }) => e.outcome === 'issued' && e.accessorName === '马鞍山市民政局' && e.dataItemLabel === '结婚证')).toBe(true);
  });

  it('lists and shows licenses of the issuer\'s own department only', async () => {
    const issued = await issueMarriage(p);
    const list = await p.app.inject({ url: `/api/v1/licenses?q=${CITIZEN_ID}&type=${MARRIAGE}`, headers: await p.as('issuer') });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(issued.id);
    expect(JSON.stringify(list.json())).not.toContain(CITIZEN_ID);
    const one = await p.app.inject({ url: `/api/v1/licenses/${issued.id}`, headers: await p.as('issuer') });
    expect(one.statusCode).toBe(200);
    expect(one.json().fields.find((f: { name: string }) => f.name === 'holderCode').value).not.toBe(CITIZEN_ID);
    const seededByGa = (await p.database.db.selectFrom('licenses').select('id').where('issuer_department_id', '=', 'mas-ga').executeTakeFirstOrThrow()).id;
    const other = await p.app.inject({ url: `/api/v1/licenses/${seededByGa}`, headers: await p.as('issuer') });
    expect(other.statusCode).toBe(403);
  });

  it('masks every identity number the issuer\'s view shows, not only the holder code (配偶身份证件号)', async () => {
    const issued = await issueMarriage(p);
    const res = await p.app.inject({ url: `/api/v1/licenses/${issued.id}`, headers: await p.as('issuer') });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(CITIZEN_ID);
    expect(res.body).not.toContain(SPOUSE_ID);
    const field = (name: string) => res.json().fields.find((f: { name: string }) => f.name === name).value;
    expect(field('spouseIdNumber')).toBe(`${SPOUSE_ID.slice(0, 6)}********${SPOUSE_ID.slice(-4)}`);
    expect(field('spouseName')).toBe('刘明'); // other fields as issued
  });
});

async function workbook(headers: string[], rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('导入');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function multipart(data: Buffer, filename = 'batch.xlsx') {
  const boundary = '----mzlicense';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`);
  return { payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('batch issuance from .xlsx (all or nothing)', () => {
  const headers = ['持证主体名称', '持证主体代码', '有效期起始', '证照编号', '登记日期', '配偶姓名', '配偶身份证件号', '登记机关'];
  const good = (i: number) => [`持证人${i}`, idNumber(`34050319850101${String(i).padStart(3, '0')}`), '2015-06-01', `J340500-2015-${String(i).padStart(6, '0')}`, '2015-06-01', `配偶${i}`, SPOUSE_ID, '马鞍山市民政局'];

  it('offers a template', async () => {
    const res = await p.app.inject({ url: `/api/v1/license-types/${MARRIAGE}/batch-template.xlsx`, headers: await p.as('issuer') });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).values).toEqual(expect.arrayContaining(['持证主体名称*', '持证主体代码*', '登记日期*', '登记机关*']));
  });

  it('rejects the whole file with row/column errors and issues nothing', async () => {
    const before = (await p.database.db.selectFrom('licenses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const rows = [good(1), good(2), good(3)];
    rows[1]![1] = '340503198501010000'; // wrong check digit
    rows[2]![4] = '2015-13-01'; // not a date
    const { payload, headers: h } = multipart(await workbook(headers, rows));
    const res = await p.app.inject({ method: 'POST', url: `/api/v1/licenses/batch?type=${MARRIAGE}`, headers: { ...(await p.as('issuer')), ...h }, payload });
    expect(res.statusCode).toBe(422);
    const err = res.json().error;
    expect(err.code).toBe('LICENSE.BATCH_INVALID');
    expect(err.details.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ row: 3, column: '持证主体代码' }),
      expect.objectContaining({ row: 4, column: '登记日期' }),
    ]));
    const after = (await p.database.db.selectFrom('licenses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(Number(after)).toBe(Number(before));
  });

  it('rejects unknown and missing columns', async () => {
    const { payload, headers: h } = multipart(await workbook(['持证主体名称', '持证主体代码', '昵称'], [['a', CITIZEN_ID, 'x']]));
    const res = await p.app.inject({ method: 'POST', url: `/api/v1/licenses/batch?type=${MARRIAGE}`, headers: { ...(await p.as('issuer')), ...h }, payload });
    expect(res.statusCode).toBe(422);
    const cols = res.json().error.details.errors.map((e: { column: string }) => e.column);
    expect(cols).toEqual(expect.arrayContaining(['昵称', '登记日期', '配偶姓名', '登记机关']));
  });

  it('issues every row of a good file, keeping legacy license numbers', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => good(i + 10));
    const { payload, headers: h } = multipart(await workbook(headers, rows));
    const res = await p.app.inject({ method: 'POST', url: `/api/v1/licenses/batch?type=${MARRIAGE}`, headers: { ...(await p.as('issuer')), ...h }, payload });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.issued).toBe(25);
    expect(body.licenses[0].licenseNumber).toBe('J340500-2015-000010');
    const identifiers = new Set(body.licenses.map((l: { identifier: string }) => l.identifier));
    expect(identifiers.size).toBe(25);
    const rowsInDb = await p.database.db.selectFrom('licenses').select(['status_index']).where('batch_id', '=', body.batchId).execute();
    expect(new Set(rowsInDb.map((r) => r.status_index)).size).toBe(25);
  });

  it('a retried batch with the same Idempotency-Key issues once', async () => {
    const { payload, headers: h } = multipart(await workbook(headers, [good(90), good(91)]));
    const hh = { ...(await p.as('issuer')), ...h, 'idempotency-key': 'batch-retry-0001' };
    const a = await p.app.inject({ method: 'POST', url: `/api/v1/licenses/batch?type=${MARRIAGE}`, headers: hh, payload });
    const b = await p.app.inject({ method: 'POST', url: `/api/v1/licenses/batch?type=${MARRIAGE}`, headers: hh, payload });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().batchId).toBe(a.json().batchId);
    expect(b.headers['idempotent-replayed']).toBe('true');
  });

  it('refuses a non-xlsx upload without issuing', async () => {
    const { payload, headers: h } = multipart(Buffer.from('not a workbook'), 'x.xlsx');
    const res = await p.app.inject({ method: 'POST', url: `/api/v1/licenses/batch?type=${MARRIAGE}`, headers: { ...(await p.as('issuer')), ...h }, payload });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('LICENSE.BATCH_INVALID');
  });
});

/**
 * Input the licenses context must answer with a 4xx naming the field — never a 500, and never a
 * license that is issued but can never be verified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { CITIZEN_ID, CITIZEN_NAME, holderDocument, issueMarriage, marriageInput, present, verifyDoc, verifyPresentationAs } from './helpers.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

// a type of 马鞍山市民政局 (the demo issuer's department) with a long selectively disclosable text field and a validity in years
const NOTE_TYPE = '11100000000013338W098';
const FIELD = 'noteWithTheLongestNameAFieldMayHaveAbcde'; // 40 characters, the most a field name may have
beforeAll(async () => {
  const res = await p.app.inject({
    method: 'POST', url: '/api/v1/admin/license-types', headers: await p.as('dataadmin'),
    payload: {
      code: NOTE_TYPE, name: '测试备案证', definingAgencyName: '民政部', holderKind: '111', legalBasis: '测试依据',
      fields: [{ name: FIELD, label: '备注', type: 'string', required: true, disclosable: true, maxLength: 1000 }],
      issuingDepartmentIds: ['mas-mz'], validity: { kind: 'years', years: 20 },
    },
  });
  if (res.statusCode !== 201) throw new Error(`type: ${res.statusCode} ${res.body}`);
});

const issue = async (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => p.app.inject({
  method: 'POST', url: '/api/v1/licenses', headers: await p.as('issuer'),
  payload: { typeCode: NOTE_TYPE, holder: { code: CITIZEN_ID, name: CITIZEN_NAME }, fields, ...extra },
});

describe('field values that would make an unverifiable license', () => {
  it('a text value with control characters is 422 naming the field, and nothing is issued', async () => {
    const before = await p.database.db.selectFrom('licenses').select('id').where('type_code', '=', NOTE_TYPE).execute();
    // within maxLength, but each \u0001 takes six bytes in the signed disclosure: the document would be too large to parse
    const res = await issue({ [FIELD]: 'a\u0001'.repeat(500) });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'LICENSE.FIELDS_INVALID', field: `fields.${FIELD}` });
    const bell = await issue({ [FIELD]: '备注\u0007' });
    expect(bell.statusCode, bell.body).toBe(422);
    expect(bell.json().error).toMatchObject({ code: 'LICENSE.FIELDS_INVALID', field: `fields.${FIELD}` });
    expect(await p.database.db.selectFrom('licenses').select('id').where('type_code', '=', NOTE_TYPE).execute()).toEqual(before);
  });

  it('the longest value the type allows (line breaks included) is issued and its document verifies', async () => {
    const res = await issue({ [FIELD]: `${'登'.repeat(499)}\n${'记'.repeat(499)}\t` });
    expect(res.statusCode, res.body).toBe(201);
    const v = await verifyDoc(p, await holderDocument(p, res.json().id));
    expect(v.errors).toEqual([]);
    expect(v.verified).toBe(true);
  });
});

describe('dates past the year 9999', () => {
  it('a start date whose default end falls after 9999-12-31 is 422 naming validFrom, not a 500', async () => {
    const res = await issue({ [FIELD]: '备注' }, { validFrom: '9990-06-01' });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'LICENSE.VALIDITY_INVALID', field: 'validFrom' });
    // with an explicit end date it is a (strange but) well-formed license
    expect((await issue({ [FIELD]: '备注' }, { validFrom: '9990-06-01', validUntil: '9999-12-31' })).statusCode).toBe(201);
  });
});

describe('ids that are not UUIDs', () => {
  const NOT_A_UUID = '0123456789abcdef0123456789abcdef0123'; // 36 hexadecimal digits

  it('revoking a grant by such an id is 404 LICENSE.GRANT_NOT_FOUND', async () => {
    const res = await p.app.inject({ method: 'POST', url: `/api/v1/me/license-grants/${NOT_A_UUID}/revoke`, headers: await p.as('citizen') });
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'LICENSE.GRANT_NOT_FOUND', field: 'id' });
  });

  it('a presentation addressed to such an account id is 422 naming audience.id', async () => {
    const l = await issueMarriage(p);
    const res = await p.app.inject({
      method: 'POST', url: `/api/v1/me/licenses/${l.id}/presentations`, headers: await p.as('citizen'),
      payload: { fields: ['holderName'], audience: { kind: 'account', id: NOT_A_UUID } },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'LICENSE.PRESENTATION_INVALID', field: 'audience.id' });
  });
});

describe('a presentation too large to verify', () => {
  /** Seeded text of `n` CJK characters that compresses about as badly as real prose. */
  const prose = (n: number, seed: number) => {
    let x = seed;
    let out = '';
    for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) % 2147483648; out += String.fromCharCode(0x4e00 + (x % 2000)); }
    return out;
  };
  const LONG_TYPE = '11100000000013338W093';
  const clear = ['scope', 'address', 'history', 'remarks'];

  it('is 422 naming fields when created (its verification would refuse it as malformed), and nothing is recorded', async () => {
    const t = await p.app.inject({
      method: 'POST', url: '/api/v1/admin/license-types', headers: await p.as('dataadmin'),
      payload: {
        code: LONG_TYPE, name: '长文本测试证', definingAgencyName: '民政部', holderKind: '111', legalBasis: '测试依据', issuingDepartmentIds: ['mas-mz'], validity: { kind: 'none' },
        fields: [{ name: 'grade', label: '等级', type: 'string', required: true, disclosable: true }, ...clear.map((name) => ({ name, label: name, type: 'string', required: true, disclosable: false, maxLength: 1000 }))],
      },
    });
    expect(t.statusCode, t.body).toBe(201);
    const issue = async (length: number) => {
      const res = await p.app.inject({
        method: 'POST', url: '/api/v1/licenses', headers: await p.as('issuer'),
        payload: { typeCode: LONG_TYPE, holder: { code: CITIZEN_ID, name: CITIZEN_NAME }, fields: { grade: '一级', ...Object.fromEntries(clear.map((name, i) => [name, prose(length, i + 1)])) } },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    // four always-shown fields of 1000 characters each: the QR text would exceed what a verifier decodes
    const long = await issue(1000);
    const res = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${long}/presentations`, headers: await p.as('citizen'), payload: { fields: ['grade'] } });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'LICENSE.PRESENTATION_INVALID', field: 'fields' });
    expect(await p.database.db.selectFrom('license_presentations').select('nonce').where('license_id', '=', long).execute()).toEqual([]);
    // the same type with shorter texts presents and verifies
    const short = await issue(300);
    const shown = await present(p, short, { fields: ['grade'] });
    expect((await verifyPresentationAs(p, 'bank', shown.text)).verified).toBe(true);
  });
});

describe('odd input on the license routes: a 4xx naming the field, never a 500, nothing written', () => {
  const NOT_UUIDS = ['x', '00000000-0000-0000-0000-00000000000g', 'a'.repeat(64), encodeURIComponent('中文')];

  it('ids that are not UUIDs on every route taking a license or grant id', async () => {
    for (const id of NOT_UUIDS) {
      for (const [user, method, url, payload, status] of [
        ['issuer', 'GET', `/api/v1/licenses/${id}`, undefined, 404],
        ['issuer', 'POST', `/api/v1/licenses/${id}/status`, { action: 'suspend', reason: '测试原因' }, 404],
        ['citizen', 'GET', `/api/v1/me/licenses/${id}/document`, undefined, 404],
        ['citizen', 'POST', `/api/v1/me/licenses/${id}/grants`, { departmentId: 'mas-ga', serviceItemCode: '340500-HKQY', validUntil: new Date(Date.now() + 86_400_000).toISOString() }, 404],
        ['citizen', 'POST', `/api/v1/me/licenses/${id}/presentations`, { fields: ['holderName'] }, 404],
        ['citizen', 'POST', `/api/v1/me/license-grants/${id}/revoke`, undefined, 404],
      ] as const) {
        const res = await p.app.inject({ method, url, headers: await p.as(user), ...(payload ? { payload } : {}) });
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
        expect(res.json().error.field, url).toBe('id');
      }
    }
  });

  it('grants: a time without offset, a date alone, wrong types, control characters — each named', async () => {
    const l = await issueMarriage(p);
    const before = await p.database.db.selectFrom('license_grants').select('id').execute();
    const grant = async (body: Record<string, unknown>) => p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${l.id}/grants`, headers: await p.as('citizen'), payload: body });
    const base = { departmentId: 'mas-mz', serviceItemCode: '340500-JHDJ', validUntil: new Date(Date.now() + 86_400_000).toISOString() };
    for (const [body, status, field] of [
      [{ ...base, validUntil: '2030-01-01T00:00:00' }, 400, 'validUntil'],
      [{ ...base, validUntil: '2030-01-01' }, 400, 'validUntil'],
      [{ ...base, validUntil: '2030-02-30T00:00:00Z' }, 400, 'validUntil'],
      [{ ...base, validUntil: 1 }, 400, 'validUntil'],
      [{ ...base, departmentId: 42 }, 400, 'departmentId'],
      [{ ...base, departmentId: 'x'.repeat(65) }, 400, 'departmentId'],
      [{ ...base, purpose: '证'.repeat(201) }, 400, 'purpose'],
      [{ ...base, purpose: '办理\u0007结婚登记' }, 422, 'purpose'],
      [{ ...base, purpose: '办理\n结婚登记' }, 422, 'purpose'],
      [{ ...base, serviceItemCode: undefined, applicationRef: 'BJ\u00011' }, 422, 'applicationRef'],
    ] as const) {
      const res = await grant(body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(status);
      expect(res.json().error.field, JSON.stringify(body)).toBe(field);
    }
    expect(await p.database.db.selectFrom('license_grants').select('id').execute()).toEqual(before);
  });

  it('issuance: dates that are no calendar dates, wrong types, huge strings — each named, nothing issued', async () => {
    const before = await p.database.db.selectFrom('licenses').select('id').execute();
    const post = async (over: Record<string, unknown>) => p.app.inject({ method: 'POST', url: '/api/v1/licenses', headers: await p.as('issuer'), payload: { ...marriageInput(), ...over } });
    for (const [over, status, field] of [
      [{ validFrom: '2026-02-30' }, 422, 'validFrom'],
      [{ validFrom: '0050-01-01' }, 422, 'validFrom'],
      [{ validFrom: '2026-1-1' }, 422, 'validFrom'],
      [{ validFrom: 20260101 }, 400, 'validFrom'],
      [{ validUntil: '2026-13-01' }, 422, 'validUntil'],
      [{ fields: { ...marriageInput().fields, registrationDate: '2026-02-30' } }, 422, 'fields.registrationDate'],
      [{ fields: { ...marriageInput().fields, registrationDate: ['2026-02-14'] } }, 400, 'fields.registrationDate'],
      [{ fields: { ...marriageInput().fields, spouseName: '刘'.repeat(1001) } }, 400, 'fields.spouseName'],
      [{ holder: { code: CITIZEN_ID, name: '张'.repeat(101) } }, 400, 'holder.name'],
      [{ holder: { code: 340503199003070027, name: CITIZEN_NAME } }, 400, 'holder.code'],
      [{ typeCode: '11100000000014071H00X' }, 404, 'typeCode'],
      [{ suite: 'RSA' }, 400, 'suite'],
    ] as const) {
      const res = await post(over);
      expect(res.statusCode, `${JSON.stringify(over).slice(0, 120)}: ${res.body}`).toBe(status);
      expect(res.json().error.field, JSON.stringify(over).slice(0, 120)).toBe(field);
    }
    expect(await p.database.db.selectFrom('licenses').select('id').execute()).toEqual(before);
  });
});

import { describe, expect, it } from 'vitest';
import { getSuite, identityNumberCheckChar, usccCheckChar } from '@mianzheng/crypto';
import {
  canonicalRequest, canonicalResponse, checkAnswer, checkItemDefinition, decodeHeaderText, encodeHeaderText, isFresh, readRequestHeaders, signText,
  STANDARD_ITEM_LIST, STANDARD_ITEMS, validateParams, verifyText, type ItemDefinition, type RequestFields,
} from '../src/protocol/index.ts';
import { prepareRequest, signedHeaders } from '../src/protocol/client.ts';

const ID = '34050319900307002' + identityNumberCheckChar('34050319900307002');
const fields: RequestFields = {
  method: 'POST', path: '/v1/items/marriage-status/query', contentSm3: 'a'.repeat(64), timestamp: '2026-03-01T08:00:00.000Z', nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
  consumer: 'mas-ga', keyId: 'mas-ga#sm2-0123456789ab', suite: 'SM2-SM3', purpose: 'application_review', application: encodeHeaderText('BJ-2026-000001'), legalBasis: encodeHeaderText('《婚姻登记条例》第五条'),
};

describe('MZX1 canonical strings', () => {
  it('a request is signed over twelve LF-separated lines in a fixed order', () => {
    expect(canonicalRequest(fields)).toBe([
      'MZX1-REQUEST', 'POST', '/v1/items/marriage-status/query', 'a'.repeat(64), '2026-03-01T08:00:00.000Z', 'AAAAAAAAAAAAAAAAAAAAAA', 'mas-ga', 'mas-ga#sm2-0123456789ab',
      'SM2-SM3', 'application_review', 'BJ-2026-000001', '%E3%80%8A%E5%A9%9A%E5%A7%BB%E7%99%BB%E8%AE%B0%E6%9D%A1%E4%BE%8B%E3%80%8B%E7%AC%AC%E4%BA%94%E6%9D%A1',
    ].join('\n'));
    expect(decodeHeaderText(fields.legalBasis)).toBe('《婚姻登记条例》第五条');
  });

  it('a response is signed over eight lines binding it to the request digest', () => {
    expect(canonicalResponse({ status: 200, requestSm3: 'b'.repeat(64), contentSm3: 'c'.repeat(64), timestamp: '2026-03-01T08:00:01.000Z', node: 'node-mas-mz', keyId: 'k', suite: 'Ed25519' }))
      .toBe(['MZX1-RESPONSE', '200', 'b'.repeat(64), 'c'.repeat(64), '2026-03-01T08:00:01.000Z', 'node-mas-mz', 'k', 'Ed25519'].join('\n'));
  });

  it('free text cannot inject a line: it travels percent-encoded, and a decoded control character is refused', () => {
    const encoded = encodeHeaderText('a\nMZX1-REQUEST');
    expect(encoded).not.toContain('\n');
    const prepared = prepareRequest({ node: 'n', itemCode: 'marriage-status', params: {}, consumer: 'c', keyId: 'k', suite: 'Ed25519', purpose: 'application_review', applicationRef: 'x\ny', legalBasis: 'z' });
    expect(readRequestHeaders(signedHeaders(prepared, 'A'.repeat(88)))).toEqual({ ok: false, invalid: 'x-mz-application' });
  });

  it('freshness is ±5 minutes, both ways', () => {
    const now = Date.parse('2026-03-01T08:00:00.000Z');
    expect(isFresh('2026-03-01T07:55:00.000Z', now)).toBe(true);
    expect(isFresh('2026-03-01T08:05:00.000Z', now)).toBe(true);
    expect(isFresh('2026-03-01T07:54:59.999Z', now)).toBe(false);
    expect(isFresh('2026-03-01T08:05:00.001Z', now)).toBe(false);
    expect(isFresh('2026-03-01T08:00:00Z', now)).toBe(false); // milliseconds are part of the format
  });

  it.each(['SM2-SM3', 'Ed25519'] as const)('signs and verifies with %s; a changed line does not verify', (suite) => {
    const pair = getSuite(suite).generateKeyPair();
    const text = canonicalRequest({ ...fields, suite });
    const sig = signText(suite, pair.privateKey, text);
    const pub = Buffer.from(pair.publicKey).toString('hex');
    expect(verifyText(suite, pub, text, sig)).toBe(true);
    expect(verifyText(suite, pub, canonicalRequest({ ...fields, suite, purpose: 'post_check' }), sig)).toBe(false);
    expect(verifyText(suite, pub, text, 'not base64!')).toBe(false);
    expect(verifyText(suite, 'zz', text, sig)).toBe(false);
  });
});

describe('item definitions, parameters and answers', () => {
  it('every standard item definition is valid', () => {
    for (const def of STANDARD_ITEM_LIST) expect(checkItemDefinition(def), def.code).toEqual([]);
  });

  it('parameters: types by check character, bounds, required, and nothing undeclared', () => {
    const si = STANDARD_ITEMS.socialInsurance as unknown as ItemDefinition;
    expect(validateParams(si, { idNumber: ID.toLowerCase(), months: '12' })).toEqual({ ok: true, params: { idNumber: ID, months: 12 } });
    expect(validateParams(si, { idNumber: ID, months: 61 })).toMatchObject({ ok: false, issue: { field: 'params.months' } });
    expect(validateParams(si, { idNumber: ID, months: 1.5 })).toMatchObject({ ok: false, issue: { field: 'params.months' } });
    expect(validateParams(si, { idNumber: ID })).toMatchObject({ ok: false, issue: { field: 'params.months' } });
    expect(validateParams(si, { idNumber: ID, months: 3, employer: 'x' })).toMatchObject({ ok: false, issue: { field: 'params.employer' } });
    expect(validateParams(si, [ID])).toMatchObject({ ok: false, issue: { field: 'params' } });
    const tax = STANDARD_ITEMS.enterpriseTaxStatus as unknown as ItemDefinition;
    const uscc = '91340500MA2N0X1B3' + usccCheckChar('91340500MA2N0X1B3');
    expect(validateParams(tax, { uscc })).toMatchObject({ ok: true });
    expect(validateParams(tax, { uscc: uscc.slice(0, 17) + (uscc[17] === 'A' ? 'B' : 'A') })).toMatchObject({ ok: false, issue: { field: 'params.uscc', problemEn: 'Invalid unified social credit code' } });
  });

  it('integers: a JSON number is held to what a digit string may be — a safe integer of at most nine digits', () => {
    const si = STANDARD_ITEMS.socialInsurance as unknown as ItemDefinition;
    // an integer parameter without bounds (a year, a number of months a department did not cap)
    const def: ItemDefinition = { ...si, params: [si.params[0]!, { name: 'year', type: 'integer', label: '年度', required: true }] };
    expect(validateParams(def, { idNumber: ID, year: 2026 })).toEqual({ ok: true, params: { idNumber: ID, year: 2026 } });
    expect(validateParams(def, { idNumber: ID, year: -999_999_999 })).toMatchObject({ ok: true });
    expect(validateParams(def, { idNumber: ID, year: '999999999' })).toMatchObject({ ok: true });
    // would bind as a different number (2^53 + 1 parses as 2^53), or overflow the source's integer column: 503 for a typo
    for (const year of [2 ** 53 + 2, 1e300, 1_000_000_000, -1_000_000_000, JSON.parse('9007199254740993')]) {
      expect(validateParams(def, { idNumber: ID, year }), String(year)).toMatchObject({ ok: false, issue: { field: 'params.year' } });
    }
  });

  it('answers: declared fields of their types only; many-record items as { records }', () => {
    const m = STANDARD_ITEMS.marriageStatus as unknown as ItemDefinition;
    expect(checkAnswer(m, { married: true })).toBeUndefined();
    expect(checkAnswer(m, { married: 'yes' })).toMatch(/boolean/);
    expect(checkAnswer(m, { married: true, spouse: '王伟' })).toMatch(/not a declared/);
    const r = STANDARD_ITEMS.realEstateOwnership as unknown as ItemDefinition;
    const property = { certificateNo: 'x', location: '花山区湖东中路1号', area: 90.5, usage: '住宅', registeredOn: '2020-01-02' };
    expect(checkAnswer(r, { records: [property] })).toBeUndefined();
    expect(checkAnswer(r, { records: [] })).toBeUndefined();
    expect(checkAnswer(r, { records: [{ ...property, area: '90' }] })).toMatch(/records\[0\]\.area is not a number/);
    expect(checkAnswer(r, { records: [property, { certificateNo: 'y', area: 90.5, registeredOn: '2020-01-02' }] })).toBe('answer.records[1].location is missing');
    expect(checkAnswer(r, [{}])).toBeDefined();
  });

  it('a record item\'s answer carries every declared field, of its type (null allowed), and nothing else', () => {
    const edu = STANDARD_ITEMS.education as unknown as ItemDefinition;
    const full = { level: '本科', school: '安徽工业大学', major: '冶金工程', graduationYear: 2002, certificateNo: '103601200200001' };
    expect(checkAnswer(edu, full)).toBeUndefined();
    expect(checkAnswer(edu, { ...full, major: null, graduationYear: null })).toBeUndefined(); // null: the record has no value there
    const { major: _, ...withoutMajor } = full;
    expect(checkAnswer(edu, withoutMajor)).toBe('answer.major is missing'); // absent is not null
    expect(checkAnswer(edu, { ...full, major: undefined })).toBe('answer.major is not a string'); // (what a JavaScript caller may pass)
    expect(checkAnswer(edu, {})).toBe('answer.level is missing');
    expect(checkAnswer(edu, { ...full, graduationYear: '2002' })).toBe('answer.graduationYear is not a integer');
    expect(checkAnswer(edu, { ...full, graduationYear: 2002.5 })).toBe('answer.graduationYear is not a integer');
    expect(checkAnswer(edu, { ...full, school: { name: '安徽工业大学' } })).toBe('answer.school is not a string');
    expect(checkAnswer(edu, { ...full, idNumber: '340503198001010011' })).toBe('answer.idNumber is not a declared answer field');
    expect(checkAnswer(edu, JSON.parse(`{"level":"本科","school":"安徽工业大学","major":"冶金工程","graduationYear":2002,"certificateNo":"1","__proto__":{"x":1}}`))).toBe('answer.__proto__ is not a declared answer field');
    // a question's answer too: { } is not "not married"
    const m = STANDARD_ITEMS.marriageStatus as unknown as ItemDefinition;
    expect(checkAnswer(m, {})).toBe('answer.married is missing');
    expect(checkAnswer(m, { married: null })).toBeUndefined();
  });

  it('rejects malformed definitions with a reason each', () => {
    expect(checkItemDefinition({ ...STANDARD_ITEMS.marriageStatus, code: 'Bad Code' })).toContain('code must be kebab-case, 2–48 characters');
    expect(checkItemDefinition({ ...STANDARD_ITEMS.marriageStatus, many: true })).toContain('many applies to record items only');
    expect(checkItemDefinition({ ...STANDARD_ITEMS.marriageStatus, subjectKind: 'enterprise' })).toContain('the subject parameter must be an identity_number (person) or uscc (enterprise)');
    expect(checkItemDefinition({ ...STANDARD_ITEMS.marriageStatus, answer: [] })).toContain('answer: 1–24 fields');
    // a parameter's default must be a value the parameter accepts, and the subject has none
    const months = (d: number | string) => ({ ...STANDARD_ITEMS.socialInsurance, params: STANDARD_ITEMS.socialInsurance.params.map((x) => (x.name === 'months' ? { ...x, default: d } : x)) });
    expect(checkItemDefinition(months(61))).toEqual([expect.stringMatching(/^param months: default 61 is not a valid value \(Must be between 1 and 60\)/)]);
    expect(checkItemDefinition(months('x'))).toEqual([expect.stringMatching(/^param months: default "x" is not a valid value/)]);
    expect(checkItemDefinition(months(24))).toEqual([]);
    const subjectDefault = { ...STANDARD_ITEMS.marriageStatus, params: STANDARD_ITEMS.marriageStatus.params.map((x) => ({ ...x, default: ID })) };
    expect(checkItemDefinition(subjectDefault)).toContain('param idNumber: the subject parameter has no default');
  });
});

/**
 * Every date-time the API takes states its offset (Z or ±hh:mm): one read without an offset
 * would be taken in the server's time zone, and a use grant or an agent's mandate would end hours
 * earlier or later than its holder meant. A value without one, or with an offset written
 * otherwise (+08, +0800), is 400 REQUEST.INVALID naming the field, the reason in details —
 * in a body (use grants, agent authorizations) and in a query string (the exchange log's from/to).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { dateTimeInputProblem } from '../../src/shared/date-time-input.ts';
import { HOUSEHOLD } from '../licenses/helpers.ts';

let p: TestPlatform;
let householdId: string;
/** the date a week ahead, YYYY-MM-DD */
const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  p = await createTestPlatform();
  const wallet = (await p.app.inject({ url: '/api/v1/me/licenses', headers: await p.as('citizen') })).json();
  householdId = wallet.items.find((l: { licenseType: { code: string } }) => l.licenseType.code === HOUSEHOLD).id;
});
afterAll(async () => { await p?.close(); });

const grant = async (validUntil: unknown) => p.app.inject({
  method: 'POST', url: `/api/v1/me/licenses/${householdId}/grants`, headers: await p.as('citizen'),
  payload: { departmentId: 'mas-ga', serviceItemCode: '340500-SBK', validUntil } as never,
});
const authorize = async (times: { validFrom?: string; validUntil: string }) => p.app.inject({
  method: 'POST', url: '/api/v1/agent-authorizations', headers: await p.as('citizen'),
  payload: { agentUsername: 'agent', serviceItemCodes: ['340500-JHDJ'], ...times },
});
const grantCount = async () => (await p.database.db.selectFrom('license_grants').select('id').execute()).length;

describe('use grants: validUntil', () => {
  it('without an offset is 400 REQUEST.INVALID naming validUntil, reason offset_required; no grant made', async () => {
    const before = await grantCount();
    for (const naive of [`${day}T18:00:00`, `${day}T18:00`, `${day} 18:00:00`, `${day}T18:00:00.500`]) {
      const res = await grant(naive);
      expect(res.statusCode, naive).toBe(400);
      expect(res.json().error, naive).toMatchObject({
        code: 'REQUEST.INVALID', field: 'validUntil', message: expect.stringContaining('时区'), messageEn: expect.stringContaining('offset'),
        details: { reason: 'offset_required' },
      });
    }
    expect(await grantCount()).toBe(before);
  });

  it('with an offset written otherwise (+08, +0800, lower-case z), or no such date, says so', async () => {
    for (const [value, reason] of [[`${day}T18:00:00+08`, 'offset_invalid'], [`${day}T18:00:00+0800`, 'offset_invalid'], [`${day}T18:00:00z`, 'offset_invalid'], ['2027-02-30T18:00:00Z', 'invalid_date'], ['next week', 'malformed']] as const) {
      const res = await grant(value);
      expect(res.statusCode, value).toBe(400);
      expect(res.json().error, value).toMatchObject({ code: 'REQUEST.INVALID', field: 'validUntil', details: { reason } });
    }
  });

  it('with Z or ±hh:mm ends at that instant', async () => {
    const beijing = await grant(`${day}T18:00:00+08:00`);
    expect(beijing.statusCode, beijing.body).toBe(201);
    expect(beijing.json().validUntil).toBe(`${day}T10:00:00.000Z`);
    const utc = await grant(`${day}T10:00:00.250Z`);
    expect(utc.statusCode, utc.body).toBe(201);
    expect(utc.json().validUntil).toBe(`${day}T10:00:00.250Z`);
  });
});

describe('agent authorizations: validFrom and validUntil', () => {
  it('without an offset are 400 naming the field; with one the mandate is given', async () => {
    const rows = async () => (await p.database.db.selectFrom('agent_authorizations').select('id').execute()).length;
    const before = await rows();
    const until = await authorize({ validUntil: `${day}T18:00:00` });
    expect(until.statusCode, until.body).toBe(400);
    expect(until.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'validUntil', details: { reason: 'offset_required' } });
    const from = await authorize({ validFrom: `${new Date().toISOString().slice(0, 10)}T00:00:00`, validUntil: `${day}T18:00:00+08:00` });
    expect(from.statusCode, from.body).toBe(400);
    expect(from.json().error).toMatchObject({ code: 'REQUEST.INVALID', field: 'validFrom', details: { reason: 'offset_required' } });
    expect(await rows()).toBe(before);
    const ok = await authorize({ validUntil: `${day}T18:00:00+08:00` });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().validUntil).toBe(`${day}T10:00:00.000Z`);
  });
});

describe('the exchange log: from and to in the query string', () => {
  it('without an offset, or with +08 (which no parser reads), are 400 naming querystring.from / .to; with one they filter', async () => {
    const h = await p.as('supervisor');
    for (const [query, field, reason] of [
      ['from=2026-03-01T00:00:00', 'querystring.from', 'offset_required'],
      ['to=2026-03-01T00:00:00', 'querystring.to', 'offset_required'],
      ['from=2026-03-01T00:00:00%2B08', 'querystring.from', 'offset_invalid'],
    ] as const) {
      const res = await p.app.inject({ url: `/api/v1/exchange/log?${query}`, headers: h });
      expect(res.statusCode, `${query} ${res.body}`).toBe(400);
      expect(res.json().error, query).toMatchObject({ code: 'REQUEST.INVALID', field, details: { reason } });
    }
    const ok = await p.app.inject({ url: '/api/v1/exchange/log?from=2026-03-01T00:00:00%2B08:00&to=2099-01-01T00:00:00Z', headers: h });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('dateTimeInputProblem', () => {
  it('tells each refused form from an accepted one', () => {
    expect(dateTimeInputProblem('2026-03-01T18:00:00+08:00')).toBeUndefined();
    expect(dateTimeInputProblem('2026-03-01T18:00:00.123456Z')).toBeUndefined();
    expect(dateTimeInputProblem('2026-03-01T18:00:00-05:30')).toBeUndefined();
    expect(dateTimeInputProblem('2026-03-01T18:00:00')).toBe('offset_required');
    expect(dateTimeInputProblem('2026-03-01T18:00:00+08')).toBe('offset_invalid');
    expect(dateTimeInputProblem('2026-03-01T18:00:00+24:00')).toBe('offset_invalid');
    expect(dateTimeInputProblem('2026-06-30T23:59:60Z')).toBe('malformed');
    expect(dateTimeInputProblem('2026-02-29T00:00:00Z')).toBe('invalid_date');
    expect(dateTimeInputProblem('2028-02-29T00:00:00Z')).toBeUndefined();
    expect(dateTimeInputProblem('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(dateTimeInputProblem('2026-03-01')).toBe('malformed');
    expect(dateTimeInputProblem(20260301)).toBe('malformed');
  });
});

/**
 * A signed answer is still checked against the directory's definition of the item before
 * the platform uses it: a record missing a declared field, or with a field of the wrong
 * type, is `unavailable / bad_response` (logged with the problem), never an answer; a field
 * the node sends as null is an answer (the record has no value there); a field the
 * directory does not declare never reaches the caller. The nodes here are real provider
 * nodes whose own definition of household-registration differs from the directory's — as
 * when a department deploys an outdated or edited configuration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_ITEMS } from '@mianzheng/provider';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { CITIZEN_ID, openCase, register, startInProcess, writeHouseholdNode, type RunningNode } from './support.ts';

let p: TestPlatform;
const REF = 'BJ-2026-HOUSEHOLD-0001';
const QUERY = { itemCode: 'household-registration', params: { idNumber: CITIZEN_ID }, purpose: 'application_review', applicationRef: REF, legalBasis: '《中华人民共和国户口登记条例》' };
type Field = { name: string; type: string; label: string };
const DECLARED: Field[] = STANDARD_ITEMS.householdRegistration.answer.map((f) => ({ ...f }));
const COLUMNS = ['name', 'region_code', 'address', 'relation', 'ethnicity'];
const FIELDS = { name: { column: 'name' }, registeredRegion: { column: 'region_code' }, householdAddress: { column: 'address' }, relationToHead: { column: 'relation' } };
const CITIZEN_ROW = [CITIZEN_ID, '张晓梅', '340503', '马鞍山市花山区湖东中路1号', '户主', '汉族'];

beforeAll(async () => {
  p = await createTestPlatform();
  await openCase(p, { ref: REF, subjectCode: CITIZEN_ID });
});
afterAll(async () => {
  await p?.close();
});

/** Runs `fn` with a node-mas-ga that declares `answer` (the directory declares the standard four fields). */
async function withNode(node: { answer: Field[]; fields: Record<string, unknown>; rows?: Array<Array<string | number | null>> }, fn: () => Promise<void>): Promise<void> {
  const setup = await writeHouseholdNode(p, { ...node, columns: COLUMNS, rows: node.rows ?? [CITIZEN_ROW] });
  const running: RunningNode = await startInProcess(setup);
  try {
    await register(p, running, 'node-mas-ga');
    await fn();
  } finally {
    await running.stop();
  }
}

async function query() {
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: await p.as('clerk'), payload: QUERY });
  expect(res.statusCode, res.body).toBe(200);
  return { json: res.json(), text: res.body };
}

async function logRow(exchangeId: string) {
  return p.database.db.selectFrom('exchange_log').select(['outcome', 'reason', 'detail', 'sent']).where('id', '=', exchangeId).executeTakeFirstOrThrow();
}

describe('a record item\'s answer against the directory\'s definition', () => {
  it('every declared field answered: used', async () => {
    await withNode({ answer: DECLARED, fields: FIELDS }, async () => {
      const { json } = await query();
      expect(json).toMatchObject({ outcome: 'answered', answer: { name: '张晓梅', registeredRegion: '340503', householdAddress: '马鞍山市花山区湖东中路1号', relationToHead: '户主' } });
    });
  });

  it('a declared field the node leaves out → unavailable / bad_response, logged with the field; the answer is not used', async () => {
    await withNode({ answer: DECLARED.filter((f) => f.name !== 'relationToHead'), fields: { ...FIELDS, relationToHead: undefined } }, async () => {
      const { json, text } = await query();
      expect(json).toMatchObject({ outcome: 'unavailable', reason: 'bad_response', attempts: 1 });
      expect(json.answer).toBeUndefined();
      expect(json.evidence).toBeUndefined();
      expect(text).not.toContain('张晓梅');
      expect(await logRow(json.exchangeId)).toEqual({ outcome: 'unavailable', reason: 'bad_response', detail: 'answer.relationToHead is missing', sent: true });
    });
  });

  it('a field of the wrong type → unavailable / bad_response', async () => {
    await withNode({ answer: DECLARED.map((f) => (f.name === 'registeredRegion' ? { ...f, type: 'integer' } : f)), fields: FIELDS }, async () => {
      const { json } = await query();
      expect(json).toMatchObject({ outcome: 'unavailable', reason: 'bad_response' });
      expect(json.answer).toBeUndefined();
      expect((await logRow(json.exchangeId)).detail).toBe('answer.registeredRegion is not a string');
    });
  });

  it('a field the node answers as null (the registry has no value) is an answer', async () => {
    await withNode({ answer: DECLARED, fields: FIELDS, rows: [[CITIZEN_ID, '张晓梅', '340503', '马鞍山市花山区湖东中路1号', '', '汉族']] }, async () => {
      const { json } = await query();
      expect(json).toMatchObject({ outcome: 'answered', answer: { name: '张晓梅', relationToHead: null } });
      expect(Object.keys(json.answer).sort()).toEqual(['householdAddress', 'name', 'registeredRegion', 'relationToHead']);
    });
  });

  it('a field the directory does not declare never reaches the caller: the whole answer is refused', async () => {
    const answer = [...DECLARED, { name: 'ethnicity', type: 'string', label: '民族' }];
    await withNode({ answer, fields: { ...FIELDS, ethnicity: { column: 'ethnicity' } } }, async () => {
      const { json, text } = await query();
      expect(json).toMatchObject({ outcome: 'unavailable', reason: 'bad_response' });
      expect(json.answer).toBeUndefined();
      expect(text).not.toContain('汉族');
      expect((await logRow(json.exchangeId)).detail).toBe('answer.ethnicity is not a declared answer field');
    });
  });
});

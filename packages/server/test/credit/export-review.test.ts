/**
 * The credit-record export (信用记录导出), each case failing before its fix:
 * - its times are Beijing times, as every date a credit record is told by: a record written at
 *   04:00 Beijing on 2 March, valid a year, is 记录时间 2026-03-02 04:00 and 有效期至 2027-03-02 04:00 —
 *   the sheet used to say 2026-03-01T20:00:00.000Z and 2027-03-01T20:00:00.000Z, a day earlier than
 *   the notice the applicant got;
 * - handing out a file of named persons' credit records is a use of their data: it is audited, with
 *   the purpose and the legal basis (it was not audited at all);
 * - more matching records than one file holds are refused with the reason, not cut short at the
 *   limit without a word (the file used to end silently at 50,000 rows).
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call } from '../applications/helpers.ts';
import { sql } from 'kysely';

let p: TestPlatform;
/** CREDIT_EXPORT_MAX_ROWS of this platform (50,000 by default): small, so the limit is reached with a few rows */
const MAX_ROWS = 40;
const id = randomUUID();

beforeAll(async () => {
  p = await createTestPlatform({ env: { CREDIT_EXPORT_MAX_ROWS: String(MAX_ROWS) } });
  await p.database.db.insertInto('credit_records').values({
    id, subject_code_hash: 'test-export-subject', subject_code_mask: '340503********0011', subject_name: '导出测试主体', subject_kind: 'person',
    type: 'false_commitment', source_type: 'post_check', source_id: randomUUID(), source_ref: 'TEST-EXPORT-1', department_id: 'mas-mz', detail: '测试记录',
    recorded_at: new Date('2026-03-01T20:00:00Z'), valid_until: new Date('2027-03-01T20:00:00Z'), status: 'active', repaired_at: null, repaired_by: null, repair_reason: null,
  }).execute();
});
afterAll(async () => { await p?.close(); });

async function exportRows(user: string, query: string): Promise<Map<string, unknown>[]> {
  const res = await call(p, user, 'GET', `/api/v1/credit/records/export.xlsx?${query}`);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as never);
  const ws = wb.getWorksheet('信用记录')!;
  const headers: string[] = [];
  const rows: Map<string, unknown>[] = [];
  ws.eachRow((row, i) => {
    if (i === 1) row.eachCell((c, n) => { headers[n] = String(c.value); });
    else rows.push(new Map(headers.flatMap((h, n) => (h === undefined ? [] : [[h, row.getCell(n).value] as const]))));
  });
  return rows;
}

describe('credit record export', () => {
  it('gives the record\'s times in Beijing time', async () => {
    const rows = await exportRows('supervisor', 'q=导出测试主体');
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.get('来源办件')).toBe('TEST-EXPORT-1');
    expect(r.get('记录时间（北京时间）')).toBe('2026-03-02 04:00:00');
    expect(r.get('有效期至（北京时间）')).toBe('2027-03-02 04:00:00');
  });

  it('is audited: who exported, how many records, the purpose and the legal basis', async () => {
    const sup = await p.database.db.selectFrom('accounts').select('id').where('username', '=', 'supervisor').executeTakeFirstOrThrow();
    const before = await p.database.db.selectFrom('audit_log').select('seq').where('action', '=', 'credit.export').execute();
    await exportRows('supervisor', 'status=active');
    const entries = await p.database.db.selectFrom('audit_log').select(['actor_id', 'actor_role', 'subject_type', 'purpose', 'legal_basis'])
      .where('action', '=', 'credit.export').execute();
    expect(entries).toHaveLength(before.length + 1);
    const e = entries[entries.length - 1]!;
    expect(e).toMatchObject({ actor_id: sup.id, actor_role: 'supervisor', subject_type: 'credit_records' });
    expect(e.purpose).toBeTruthy();
    expect(e.legal_basis).toEqual(expect.stringMatching(/《.+》/));
  });

  it('refuses more matching records than one file holds, naming the limit, and audits nothing', async () => {
    // MAX_ROWS records of one subject, and the one above the limit
    const bulk = (n: number, from: number) => sql`
      INSERT INTO credit_records (id, subject_code_hash, subject_code_mask, subject_name, subject_kind, type, source_type, source_id, source_ref,
        department_id, detail, recorded_at, valid_until, status)
      SELECT gen_random_uuid(), 'test-bulk-subject', '340503********0033', '批量导出主体', 'person', 'false_commitment', 'post_check', gen_random_uuid(),
        'TEST-BULK-' || g, 'mas-mz', '测试记录', now() - g * interval '1 second', now() + interval '300 days', 'active'
      FROM generate_series(${from}::int, ${from + n - 1}::int) AS g`.execute(p.database.db);
    await bulk(MAX_ROWS, 1);
    const audited = async () => (await p.database.db.selectFrom('audit_log').select('seq').where('action', '=', 'credit.export').execute()).length;
    const before = await audited();
    // exactly the limit: one file with all of them
    expect(await exportRows('supervisor', `q=${encodeURIComponent('批量导出主体')}`)).toHaveLength(MAX_ROWS);
    expect(await audited()).toBe(before + 1);

    await bulk(1, MAX_ROWS + 1);
    const res = await call(p, 'supervisor', 'GET', `/api/v1/credit/records/export.xlsx?q=${encodeURIComponent('批量导出主体')}`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'CREDIT.EXPORT_TOO_LARGE', field: 'q', details: { maxRows: MAX_ROWS } });
    expect(res.json().error.message).toContain(`${MAX_ROWS} 条`);
    expect(await audited()).toBe(before + 1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call, fileApplication, material, scriptPorts } from '../applications/helpers.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform();
  scriptPorts(p);
});
afterAll(async () => { await p?.close(); });

/**
 * Every request received on one day falls due at the same instant (the end of the 3rd working
 * day), so the inbox's order must break ties, or a page boundary repeats one request and loses another.
 */
describe('the issuer inbox, page by page', () => {
  it('lists every open request once when many share a deadline', async () => {
    const app = await fileApplication(p, 'citizen', '340500-LSJZ');
    const requestId = material(app, 'dbzm').resolution.verification!.id as string;
    const template = await p.database.db.selectFrom('verification_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
    const rows = Array.from({ length: 90 }, (_, i) => ({ ...template, id: `00000000-0000-4000-8000-${String(i * 7919 % 1000).padStart(12, '0')}` }));
    await p.database.db.insertInto('verification_requests').values(rows).execute();
    const open = await p.database.db.selectFrom('verification_requests').select('id')
      .where('issuing_department_id', '=', template.issuing_department_id).where('status', 'in', ['pending', 'escalated']).execute();
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(open.length / 7); page++) {
      const res = await call(p, 'issuer', 'GET', `/api/v1/verifications/inbox?status=open&pageSize=7&page=${page}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().total).toBe(open.length);
      seen.push(...res.json().items.map((i: { id: string }) => i.id));
    }
    expect(seen).toHaveLength(open.length);
    expect(new Set(seen).size).toBe(open.length);
    await p.database.db.deleteFrom('verification_requests').where('id', 'in', rows.map((r) => r.id)).execute();
  });
});

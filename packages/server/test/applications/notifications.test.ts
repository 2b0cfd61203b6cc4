/**
 * In-app notifications (我的消息): read a page at a time with the total, newest first, each
 * notice on exactly one page even when many share their time; the notices about one
 * application (linking to it or naming its reference), the recipient's own only.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountId, createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call, fileApplication, scriptPorts } from './helpers.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform();
  scriptPorts(p);
});
afterAll(async () => { await p?.close(); });

describe('my notifications', () => {
  it('pages through every notice once, with the total, though they share one time', async () => {
    const enterprise = await accountId(p, 'enterprise');
    const at = new Date('2026-03-02T01:00:00Z');
    await p.database.db.insertInto('notifications').values(Array.from({ length: 45 }, (_, i) => ({
      id: randomUUID(), recipient_account_id: enterprise, kind: 'test.paging', title: `通知 ${i}`, body: '正文', link: null, created_at: at,
    }))).execute();
    const first = (await call(p, 'enterprise', 'GET', '/api/v1/me/notifications?limit=20')).json();
    expect(first.total).toBeGreaterThanOrEqual(45);
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(first.total / 20); page++) {
      const res = await call(p, 'enterprise', 'GET', `/api/v1/me/notifications?limit=20&page=${page}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((n: { id: string }) => n.id));
    }
    expect(seen.length).toBe(first.total);
    expect(new Set(seen).size).toBe(first.total);
    expect((await call(p, 'enterprise', 'GET', '/api/v1/me/notifications?page=0')).statusCode).toBe(400);
  });

  it('lists the notices about one application: linking to it or naming its reference, the recipient\'s own only', async () => {
    const app = await fileApplication(p, 'citizen', '340500-SBK');
    const citizen = await accountId(p, 'citizen');
    const other = await accountId(p, 'enterprise');
    const note = (recipient: string, title: string, body: string, link: string | null) => ({ id: randomUUID(), recipient_account_id: recipient, kind: 'test.about', title, body, link, created_at: new Date() });
    const linked = note(citizen, '办件进展', '请查看', `/applications/${app.id}`);
    const named = note(citizen, '承诺书待签', `办件 ${app.ref} 中的事项可以告知承诺方式办理`, '/commitments/x');
    const unrelated = note(citizen, '其他', '与本件无关', '/applications/00000000-0000-4000-8000-000000000000');
    const someoneElses = note(other, '办件进展', `办件 ${app.ref}`, `/applications/${app.id}`);
    await p.database.db.insertInto('notifications').values([linked, named, unrelated, someoneElses]).execute();
    const res = await call(p, 'citizen', 'GET', `/api/v1/me/notifications?applicationId=${app.id}&limit=100`);
    expect(res.statusCode, res.body).toBe(200);
    const ids = res.json().items.map((n: { id: string }) => n.id);
    expect(ids).toContain(linked.id);
    expect(ids).toContain(named.id);
    expect(ids).not.toContain(unrelated.id);
    expect(ids).not.toContain(someoneElses.id);
    expect(res.json().items.every((n: { title: string; body: string; link: string | null }) => n.link === `/applications/${app.id}` || `${n.title}${n.body}`.includes(app.ref))).toBe(true);
    expect((await call(p, 'citizen', 'GET', '/api/v1/me/notifications?applicationId=nope')).statusCode).toBe(400);
  });
});

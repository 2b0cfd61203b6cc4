/**
 * In-app notifications (我的消息): read a page at a time with the total, newest first, each
 * notice on exactly one page even when many share their time; the notices about one
 * application (linking to it or naming its reference), the recipient's own only; every notice
 * in zh-CN and English, those written before English was kept in Chinese only (titleEn null).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountId, createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call, fileApplication, material, postCheckEveryCommitmentOfCitizen, scriptPorts } from './helpers.ts';

let p: TestPlatform;
let ports: ReturnType<typeof scriptPorts>;
beforeAll(async () => {
  p = await createTestPlatform();
  ports = scriptPorts(p);
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

type Note = { id: string; kind: string; title: string; body: string; titleEn: string | null; bodyEn: string | null; link: string | null };

/** The recipient's notices of one kind about one application (by link or reference), newest first. */
async function notes(user: string, kind: string, ref: string): Promise<Note[]> {
  const res = await call(p, user, 'GET', '/api/v1/me/notifications?limit=100');
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Note[]).filter((n) => n.kind === kind && `${n.title}${n.body}`.includes(ref));
}

describe('notifications in both languages', () => {
  it('a decision is told in zh-CN and in English: approved, rejected with the reason, returned for correction', async () => {
    ports.licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
    ports.licenses.outcomes.set('ZM-MAS-HJZM', 'verified');
    ports.dataSharing.outcomes.set('ZM-MAS-QSGX', 'answered');
    const [approved, rejected, returned] = [await fileApplication(p, 'citizen', '340500-HKQY'), await fileApplication(p, 'citizen', '340500-HKQY'), await fileApplication(p, 'citizen', '340500-HKQY')];
    expect([approved.status, rejected.status, returned.status]).toEqual(['under_review', 'under_review', 'under_review']);
    expect((await call(p, 'clerk', 'POST', `/api/v1/applications/${approved.id}/approve`, {})).statusCode).toBe(200);
    expect((await call(p, 'clerk', 'POST', `/api/v1/applications/${rejected.id}/reject`, { reason: '迁入地址不在本辖区' })).statusCode).toBe(200);
    expect((await call(p, 'clerk', 'POST', `/api/v1/applications/${returned.id}/return`, { reason: '申请表联系电话缺失' })).statusCode).toBe(200);

    expect(await notes('citizen', 'application.decided', approved.ref)).toEqual([expect.objectContaining({
      title: `办件 ${approved.ref} 已准予`, body: '“户口迁移登记”：已准予。',
      titleEn: `Application ${approved.ref} approved`, bodyEn: '"户口迁移登记": Approved.', link: `/applications/${approved.id}`,
    })]);
    expect(await notes('citizen', 'application.decided', rejected.ref)).toEqual([expect.objectContaining({
      title: `办件 ${rejected.ref} 不予许可`, body: '“户口迁移登记”：不予许可。理由：迁入地址不在本辖区',
      titleEn: `Application ${rejected.ref} rejected`, bodyEn: '"户口迁移登记": Rejected. Reason: 迁入地址不在本辖区',
    })]);
    expect(await notes('citizen', 'application.returned', returned.ref)).toEqual([expect.objectContaining({
      titleEn: `Application ${returned.ref} returned for correction`, bodyEn: '"户口迁移登记": Returned for correction. Reason: 申请表联系电话缺失',
    })]);
  });

  it('a commitment to sign, what the applicant must still do, the post-check task and the credit record: each in both languages', async () => {
    await postCheckEveryCommitmentOfCitizen(p); // every commitment of the citizen's is post-checked
    ports.dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
    const app = await fileApplication(p, 'citizen', '340500-JHDJ');
    expect(app.status).toBe('awaiting');
    const c = material(app, 'hyzk').resolution.commitment!;

    const [toSign] = await notes('citizen', 'commitment.to_sign', app.ref);
    expect(toSign).toMatchObject({
      title: '请签署告知承诺书', titleEn: 'Please sign a commitment', link: `/commitments/${c.id}`,
      bodyEn: `In application ${app.ref} (结婚登记), "婚姻状况证明" may be satisfied by your commitment (告知承诺): please read and sign it yourself.`,
    });
    const [awaiting] = await notes('citizen', 'application.awaiting', app.ref);
    expect(awaiting).toMatchObject({ title: `办件 ${app.ref} 需要您处理`, titleEn: `Application ${app.ref} needs your action` });
    expect(awaiting!.body).toContain('签署告知承诺书');
    expect(awaiting!.bodyEn).toMatch(/^"结婚登记" still needs the applicant to .*sign the commitment.*\.$/);

    expect((await call(p, 'citizen', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true })).json().postCheckScheduled).toBe(true);
    const [task] = await notes('issuer', 'post_check.assigned', app.ref);
    expect(task).toMatchObject({ title: '事后核查任务：婚姻状况证明', titleEn: 'Post-check task: 婚姻状况证明' });
    expect(task!.bodyEn).toMatch(new RegExp(`^"婚姻状况证明", which the applicant replaced by a commitment in application ${app.ref}, was drawn for a post-check: please verify it and enter the result by \\d{4}-\\d{2}-\\d{2}\\.$`));

    const postCheck = (await call(p, 'issuer', 'GET', '/api/v1/post-checks?status=open')).json().items.find((t: { commitmentId: string }) => t.commitmentId === c.id);
    expect((await call(p, 'issuer', 'POST', `/api/v1/post-checks/${postCheck.id}/result`, { truthful: false, note: '经查已有婚姻登记记录' })).statusCode).toBe(200);
    const [credit] = await notes('citizen', 'credit.recorded', app.ref);
    expect(credit).toMatchObject({ title: '告知承诺核查不实，已记入信用记录', titleEn: 'Commitment found untrue: entered in your credit record' });
    expect(credit!.bodyEn).toMatch(new RegExp(`^Your commitment for "婚姻状况证明" in application ${app.ref} was found untrue by 马鞍山市民政局 \\(经查已有婚姻登记记录\\)\\. Until \\d{4}-\\d{2}-\\d{2}, or until your credit is repaired, you cannot choose the commitment route when you apply\\.$`));
  });

  it('a notice written before English was kept is still listed, in Chinese, with titleEn and bodyEn null', async () => {
    const citizen = await accountId(p, 'citizen');
    const old = { id: randomUUID(), recipient_account_id: citizen, kind: 'application.decided', title: '办件 OLD-1 已准予', body: '“结婚登记”：已准予。', link: null, created_at: new Date() };
    await p.database.db.insertInto('notifications').values(old).execute();
    const listed = (await call(p, 'citizen', 'GET', '/api/v1/me/notifications?limit=100')).json().items.find((n: Note) => n.id === old.id);
    expect(listed).toMatchObject({ title: old.title, body: old.body, titleEn: null, bodyEn: null });
  });
});

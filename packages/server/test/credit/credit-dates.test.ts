/**
 * The dates a credit record is told by are Beijing dates (Asia/Shanghai), wherever they are
 * shown: the notice to the applicant that a false commitment was recorded names the same
 * "valid until" day as the reason the commitment route is withheld — also for a record
 * written between 00:00 and 08:00 Beijing time, when the UTC date is the day before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { setResolutionPorts } from '../../src/applications/adapters/resolution-ports.ts';
import { call, fileApplication, material, postCheckEveryCommitmentOfCitizen, ScriptedDataSharing } from '../applications/helpers.ts';

// 2026-03-02 04:00 in Beijing is 2026-03-01 20:00 UTC; the record runs 365 days, to 2027-03-02 04:00 Beijing
let clock = new Date('2026-03-01T20:00:00Z');
let p: TestPlatform;

beforeAll(async () => {
  p = await createTestPlatform({ now: () => clock });
  const dataSharing = new ScriptedDataSharing();
  dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
  setResolutionPorts(p.app.deps, { dataSharing });
});
afterAll(async () => { await p?.close(); });

describe('credit record dates', () => {
  it('the credit.recorded notice names the Beijing date the route-withdrawal reason names', async () => {
    // an earlier, repaired record: every commitment of this applicant is post-checked (credit history)
    await postCheckEveryCommitmentOfCitizen(p);
    const app = await fileApplication(p, 'citizen', '340500-JHDJ');
    const c = material(app, 'hyzk').resolution.commitment!;
    expect((await call(p, 'citizen', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true })).json().postCheckScheduled).toBe(true);
    const task = (await call(p, 'issuer', 'GET', '/api/v1/post-checks?status=open')).json().items.find((t: { commitmentId: string }) => t.commitmentId === c.id);
    const res = await call(p, 'issuer', 'POST', `/api/v1/post-checks/${task.id}/result`, { truthful: false, note: '经查申请人已有婚姻登记记录' });
    expect(res.statusCode, res.body).toBe(200);

    const plan = (await call(p, 'citizen', 'GET', '/api/v1/applications/preview?serviceItemCode=340500-JHDJ')).json();
    expect(plan.commitmentRoute.reason).toContain('有效期至 2027-03-02');
    const notice = (await call(p, 'citizen', 'GET', '/api/v1/me/notifications')).json().items.find((n: { kind: string }) => n.kind === 'credit.recorded');
    expect(notice.body).toContain('在 2027-03-02 前');
  });
});

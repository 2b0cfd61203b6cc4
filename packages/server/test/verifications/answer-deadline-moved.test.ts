/**
 * An answer and a calendar change at once. The issuer's answer reads the request before its
 * transaction; a calendar change committed meanwhile may move the request's deadline. Whether the
 * answer came on time is compared with the deadline as it stands when the answer is written (the
 * answer's transaction holds the calendar, so none changes after that): the material's evidence,
 * the answer's view and the statistics (answered_at <= due_at) say the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { depsWithGatedTransaction, fileApplication, material, scriptPorts, settle } from '../applications/helpers.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';
import { findActorByToken } from '../../src/identity/use-cases/authenticate-session.ts';
import { answerVerification } from '../../src/verifications/use-cases/verification-requests.ts';

/** 10:00 Beijing on Tuesday 2026-12-29: a 3-working-day deadline reaches into 2027. */
let now = new Date('2026-12-29T02:00:00Z');
let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform({ now: () => now });
  scriptPorts(p);
});
afterAll(async () => { await p?.close(); });

/** Sessions expire by the injected clock, so each call signs in afresh. */
async function login(user: string): Promise<string> {
  return (await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: DEMO_PASSWORD } })).json().token;
}
async function call(user: string, method: 'GET' | 'PUT', url: string, payload?: unknown) {
  return p.app.inject({ method, url, payload: payload as never, headers: { authorization: `Bearer ${await login(user)}` } });
}

describe('an answer racing a calendar change that moves its deadline', () => {
  it('is on time by the deadline as the change left it, in the evidence as in the view', async () => {
    // a make-up Saturday 2027-01-02: due at its end (Dec 30, Dec 31, Jan 2)
    expect((await call('dataadmin', 'PUT', '/api/v1/calendar/2027', { days: [{ date: '2027-01-02', work: true, name: '元旦调休上班' }] })).statusCode).toBe(200);
    const app = await fileApplication(p, 'citizen', '340500-LSJZ');
    const dbzm = material(app, 'dbzm');
    expect(dbzm.resolution.verification).toMatchObject({ dueAt: '2027-01-02T15:59:59.999Z' });
    const requestId = dbzm.resolution.verification!.id as string;

    // Sunday Jan 3: the issuer answers (the request read, the transaction not begun yet) …
    now = new Date('2027-01-03T02:00:00Z');
    const issuer = (await findActorByToken(await login('issuer'), p.app.deps))!;
    const gate = depsWithGatedTransaction(p);
    const answering = settle(answerVerification({ id: requestId, confirmed: true, reason: '经核实属实' }, issuer, gate.deps));
    await gate.reached;
    // … as the make-up workday is taken back: the deadline is Monday Jan 4 again
    const put = await call('dataadmin', 'PUT', '/api/v1/calendar/2027', { days: [] });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().recomputed.verificationRequests).toBeGreaterThanOrEqual(1);
    gate.open();
    const answered = await answering.result;
    expect(answered.ok ? answered.value : answered.error).toMatchObject({ status: 'confirmed', dueAt: '2027-01-04T15:59:59.999Z', onTime: true });

    const view = (await call('citizen', 'GET', `/api/v1/applications/${app.id}`)).json();
    expect(material(view, 'dbzm').resolution.evidence).toMatchObject({ verificationRequestId: requestId, onTime: true });
  });
});

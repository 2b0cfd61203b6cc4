/**
 * Entering (or correcting) the State Council's notice recomputes the working-day deadlines
 * already set and still running — department verification requests not yet answered, the
 * clerk's review of applications under review — from their start with the new calendar, in
 * the calendar's own transaction, each change audited. Answered, withdrawn and decided items
 * keep theirs. An escalated request whose new deadline has not passed is pending again (the
 * escalation stays on record) and is escalated again only if the new deadline passes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { fileApplication, gatedDeps, locksRowsOf, material, scriptPorts, settle, StatementGate, untilBlockedOrSettled, type ScriptedDataSharing, type ScriptedLicenses } from '../applications/helpers.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';
import { findActorByToken } from '../../src/identity/use-cases/authenticate-session.ts';
import { resolveMaterials } from '../../src/applications/use-cases/resolve-materials.ts';
import { resolutionPorts } from '../../src/applications/adapters/resolution-ports.ts';
import { officialCalendarOf } from '../../src/calendar/adapters/official-calendar.ts';

/** 10:00 Beijing on Tuesday 2026-12-29: deadlines of a few working days reach into 2027, whose notice is not entered yet. */
let now = new Date('2026-12-29T02:00:00Z');
let p: TestPlatform;
let licenses: ScriptedLicenses;
let dataSharing: ScriptedDataSharing;
beforeAll(async () => {
  p = await createTestPlatform({ now: () => now });
  ({ licenses, dataSharing } = scriptPorts(p));
});
afterAll(async () => { await p?.close(); });

/** Sessions expire by the injected clock, so each call signs in afresh. */
async function call(user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const login = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: DEMO_PASSWORD } });
  return p.app.inject({ method, url, payload: payload as never, headers: { authorization: `Bearer ${login.json().token}` } });
}
const putYear = (days: unknown[]) => call('dataadmin', 'PUT', '/api/v1/calendar/2027', { days });
const request = (id: string) => p.database.db.selectFrom('verification_requests').select(['status', 'due_at', 'escalated_at']).where('id', '=', id).executeTakeFirstOrThrow();
const application = (id: string) => p.database.db.selectFrom('applications').select(['status', 'review_due_at']).where('id', '=', id).executeTakeFirstOrThrow();
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const auditOf = (subjectId: string, action: string) => p.database.db.selectFrom('audit_log').select(['actor_role', 'action']).where('subject_id', '=', subjectId).where('action', '=', action).execute();

/** Verification requests filed on 2026-12-29 and still open (the demo history's are due long before 2027). */
async function openRequestsOfToday(): Promise<number> {
  const rows = await p.database.db.selectFrom('verification_requests').select('id').where('status', 'in', ['pending', 'escalated'])
    .where('requested_at', '>=', new Date('2026-12-28T16:00:00Z')).where('requested_at', '<', new Date('2026-12-29T16:00:00Z')).execute();
  return rows.length;
}

/** 结婚登记 with every proof answered at once: under review from the start. */
async function underReview() {
  licenses.outcomes.set('ZM-MAS-SFXX', 'verified');
  dataSharing.outcomes.set('ZM-MAS-HJZM', 'answered');
  dataSharing.outcomes.set('ZM-MAS-HYZK', 'answered');
  const app = await fileApplication(p, 'citizen', '340500-JHDJ');
  ({ licenses, dataSharing } = scriptPorts(p));
  expect(app.status).toBe('under_review');
  return app as { id: string; reviewDueAt: string };
}

/** 临时救助: 低保证明 by department verification (马鞍山市民政局), due in 3 working days. */
async function verificationRequested() {
  const app = await fileApplication(p, 'citizen', '340500-LSJZ');
  const dbzm = material(app, 'dbzm');
  expect(dbzm.resolution.status).toBe('awaiting_verification');
  return { appId: app.id as string, materialId: dbzm.materialId, id: dbzm.resolution.verification!.id, dueAt: (dbzm.resolution.verification as unknown as { dueAt: string }).dueAt };
}

describe('a notice entered while deadlines run into its year', () => {
  let open: { appId: string; materialId: string; id: string; dueAt: string };
  let answered: { id: string; dueAt: string };
  let withdrawn: { id: string; dueAt: string };
  let reviewing: { id: string; reviewDueAt: string };
  let decided: { id: string; reviewDueAt: string };

  it('sets them by the calendar as it stands: 元旦 2027 off, no make-up workday yet', async () => {
    open = await verificationRequested();
    answered = await verificationRequested();
    // Dec 30, Dec 31, (元旦, weekend), Monday Jan 4
    expect([open.dueAt, answered.dueAt]).toEqual(['2027-01-04T15:59:59.999Z', '2027-01-04T15:59:59.999Z']);
    expect((await call('issuer', 'POST', `/api/v1/verifications/${answered.id}/answer`, { confirmed: true, reason: '经核实属实' })).statusCode).toBe(200);
    const w = await fileApplication(p, 'citizen', '340500-LSJZ');
    withdrawn = { id: material(w, 'dbzm').resolution.verification!.id, dueAt: '2027-01-04T15:59:59.999Z' };
    expect((await call('citizen', 'POST', `/api/v1/applications/${w.id}/withdraw`)).statusCode).toBe(200);

    reviewing = await underReview();
    decided = await underReview();
    // Dec 30, Dec 31, Jan 4, 5, 6
    expect([reviewing.reviewDueAt, decided.reviewDueAt]).toEqual(['2027-01-06T15:59:59.999Z', '2027-01-06T15:59:59.999Z']);
    const dept = (await p.database.db.selectFrom('applications').select('department_id').where('id', '=', decided.id).executeTakeFirstOrThrow()).department_id;
    const clerk = await p.database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'clerk').executeTakeFirstOrThrow();
    await p.database.db.insertInto('accounts').values({
      id: randomUUID(), username: 'clerk-jhdj', display_name: 'clerk-jhdj', kind: 'staff', password_hash: clerk.password_hash, roles: ['clerk'], department_id: dept, region_code: '340500',
      id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, external_subject: null,
    }).execute();
    expect((await call('clerk-jhdj', 'POST', `/api/v1/applications/${decided.id}/approve`, {})).statusCode).toBe(200);
  });

  it('recomputes the open ones from their start in the new calendar, in the same transaction, each change audited', async () => {
    const running = await openRequestsOfToday();
    const res = await putYear([{ date: '2027-01-02', work: true, name: '元旦调休上班' }]);
    expect(res.statusCode, res.body).toBe(200);
    // every request still open from today (临时救助 asks for more than one proof this way), and the one review
    expect(running).toBeGreaterThanOrEqual(1);
    expect(res.json().recomputed).toEqual({ verificationRequests: running, reviewDeadlines: 1 });
    // Dec 30, Dec 31, Saturday Jan 2 made a working day
    expect(iso((await request(open.id)).due_at)).toBe('2027-01-02T15:59:59.999Z');
    const view = (await call('citizen', 'GET', `/api/v1/applications/${open.appId}`)).json();
    expect(material(view, 'dbzm').resolution.verification).toMatchObject({ dueAt: '2027-01-02T15:59:59.999Z', status: 'pending' });
    expect(material(view, 'dbzm').resolution.evidence).toMatchObject({ dueAt: '2027-01-02T15:59:59.999Z' });
    // Dec 30, Dec 31, Jan 2, 4, 5
    expect(iso((await application(reviewing.id)).review_due_at)).toBe('2027-01-05T15:59:59.999Z');
    // answered, withdrawn and decided items keep theirs
    expect(iso((await request(answered.id)).due_at)).toBe(answered.dueAt);
    expect(iso((await request(withdrawn.id)).due_at)).toBe(withdrawn.dueAt);
    expect(iso((await application(decided.id)).review_due_at)).toBe(decided.reviewDueAt);

    expect(await auditOf(open.id, 'verification.deadline.recompute')).toEqual([{ actor_role: 'data_admin', action: 'verification.deadline.recompute' }]);
    expect(await auditOf(reviewing.id, 'application.review_deadline.recompute')).toHaveLength(1);
    for (const id of [answered.id, withdrawn.id]) expect(await auditOf(id, 'verification.deadline.recompute')).toEqual([]);
    expect(await auditOf(decided.id, 'application.review_deadline.recompute')).toEqual([]);
    expect((await call('supervisor', 'GET', '/api/v1/audit/verify')).json().ok).toBe(true);
  });

  it('saving the same notice again changes nothing and audits no deadline', async () => {
    const res = await putYear([{ date: '2027-01-02', work: true, name: '元旦调休上班(更正名称)' }]);
    expect(res.json().recomputed).toEqual({ verificationRequests: 0, reviewDeadlines: 0 });
    expect(await auditOf(open.id, 'verification.deadline.recompute')).toHaveLength(1);
  });

  it('an escalated request whose corrected deadline has not passed is pending again, its escalation kept on record; it is escalated again only when the new deadline passes', async () => {
    now = new Date('2027-01-03T02:00:00Z'); // Sunday 10:00: past the end of Saturday Jan 2
    expect((await call('issuer', 'GET', '/api/v1/verifications/inbox?status=open&pageSize=100')).json().items.find((i: { id: string }) => i.id === open.id))
      .toMatchObject({ status: 'escalated', overdue: true });
    const escalatedAt = (await request(open.id)).escalated_at;
    expect(escalatedAt).not.toBeNull();
    const escalations = (await call('supervisor', 'GET', '/api/v1/verifications/escalated')).json().items;
    expect(escalations.some((i: { id: string }) => i.id === open.id)).toBe(true);

    // the make-up workday was entered by mistake: without it the deadline is Monday Jan 4 again
    const running = await openRequestsOfToday();
    const res = await putYear([]);
    expect(res.json().recomputed).toEqual({ verificationRequests: running, reviewDeadlines: 1 });
    const r = await request(open.id);
    expect({ status: r.status, dueAt: iso(r.due_at), escalatedAt: iso(r.escalated_at) }).toEqual({ status: 'pending', dueAt: '2027-01-04T15:59:59.999Z', escalatedAt: iso(escalatedAt) });
    expect(iso((await application(reviewing.id)).review_due_at)).toBe('2027-01-06T15:59:59.999Z');
    expect((await call('supervisor', 'GET', '/api/v1/verifications/escalated')).json().items.some((i: { id: string }) => i.id === open.id)).toBe(false);
    const notes = (await call('supervisor', 'GET', '/api/v1/me/notifications')).json().items as Array<{ kind: string; body: string; bodyEn: string | null }>;
    expect(notes.some((n) => n.kind === 'verification.deadline_extended' && n.body.includes('2027-01-04'))).toBe(true);
    expect(notes.some((n) => n.kind === 'verification.deadline_extended' && n.bodyEn?.includes('is now due on 2027-01-04'))).toBe(true);

    // the sweep does not escalate it again before its new deadline …
    const inbox = (await call('issuer', 'GET', '/api/v1/verifications/inbox?status=open&pageSize=100')).json();
    expect(inbox.items.find((i: { id: string }) => i.id === open.id)).toMatchObject({ status: 'pending', overdue: false });
    expect(await auditOf(open.id, 'verification.escalate')).toHaveLength(1);
    // … and does once it has passed
    now = new Date('2027-01-05T01:00:00Z');
    await call('issuer', 'GET', '/api/v1/verifications/inbox?status=open');
    expect((await request(open.id)).status).toBe('escalated');
    expect(await auditOf(open.id, 'verification.escalate')).toHaveLength(2);
    expect((await call('supervisor', 'GET', '/api/v1/audit/verify')).json().ok).toBe(true);
  });
});

describe.skipIf(process.env.MZ_TEST_DB !== 'postgres')('a notice entered while the engine writes a deadline (PostgreSQL)', () => {
  it('the request the engine was writing is counted in the new calendar, though its instance\'s copy was of the old one', async () => {
    now = new Date('2026-12-29T02:00:00Z');
    await putYear([]);
    const draft = await fileApplication(p, 'citizen', '340500-LSJZ', { submit: false });
    const login = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'citizen', password: DEMO_PASSWORD } });
    const actor = (await findActorByToken(login.json().token, p.app.deps))!;
    const gate = new StatementGate(locksRowsOf('applications', 'material_resolutions', 'verification_requests'));
    const deps = gatedDeps(p, gate);
    // the engine's instance has a copy of the calendar well within its refresh minute (like another instance's)
    await officialCalendarOf(deps.db).reload();
    // the engine has decided to ask 民政局 and is writing its outcome …
    const resolving = settle(resolveMaterials([draft.id], actor, deps, resolutionPorts(p.app.deps)));
    await gate.reached;
    // … when the notice is entered: the change waits for the deadline being written, then recomputes it
    const entering = settle(putYear([{ date: '2027-01-02', work: true, name: '元旦调休上班' }]));
    expect(await untilBlockedOrSettled(p, entering.done)).toBe('blocked');
    gate.open();
    const [resolved, entered] = await Promise.all([resolving.result, entering.result]);
    expect(resolved.ok).toBe(true);
    expect(entered.ok && entered.value.statusCode).toBe(200);
    const v = await p.database.db.selectFrom('verification_requests').select('due_at').where('application_id', '=', draft.id).executeTakeFirstOrThrow();
    expect(iso(v.due_at)).toBe('2027-01-02T15:59:59.999Z');
  });
});

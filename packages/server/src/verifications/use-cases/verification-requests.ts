import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { appendAudit, appendAuditEntries } from '../../audit/use-cases/append-audit.ts';
import { recordDataAccess } from '../../audit/use-cases/record-data-access.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import { hasRole, regionPrefix, regionWithin } from '../../identity/domain/roles.ts';
import { staffRegion } from '../../identity/use-cases/staff-region.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { lockApplicationsUsing } from '../../applications/adapters/application-store.ts';
import { holdCalendar } from '../../calendar/adapters/official-calendar.ts';
import type { Attempt } from '../../applications/domain/resolution.ts';
import { notifierOf, settleApplications } from '../../applications/use-cases/settle-application.ts';
import { answeredOnTime, isOverdue, nextVerificationStatus, type VerificationStatus } from '../domain/verification-state.ts';

type Row = Awaited<ReturnType<typeof load>>;
async function load(deps: Deps, id: string) {
  const r = await deps.db.selectFrom('verification_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('VERIFICATION.NOT_FOUND', { field: 'id' });
  return r;
}

export function verificationView(r: NonNullable<Row>, now: Date) {
  const due = new Date(r.due_at);
  return {
    id: r.id, applicationId: r.application_id, applicationRef: r.application_ref, proofItemId: r.proof_item_id, proofItemName: r.proof_item_name,
    requestingDepartmentName: r.requesting_department_name, issuingDepartmentId: r.issuing_department_id, subjectName: r.subject_name, subjectCodeMask: r.subject_code_mask,
    question: r.question, status: r.status, requestedAt: new Date(r.requested_at).toISOString(), dueAt: due.toISOString(), workingDays: r.working_days,
    overdue: (r.status === 'pending' || r.status === 'escalated') && now.getTime() > due.getTime(),
    escalatedAt: r.escalated_at ? new Date(r.escalated_at).toISOString() : null, answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : null,
    reason: r.reason, onTime: answeredOnTime(due, r.answered_at ? new Date(r.answered_at) : null),
  };
}

/**
 * Issuer inbox: requests addressed to the actor's department, open ones first by deadline, then by id
 * (the requests of one day share a deadline: without it a page boundary repeats one and loses another).
 */
export async function listInbox(query: { status?: 'open' | 'answered'; page: number; pageSize: number }, actor: Actor, deps: Deps) {
  if (!actor.departmentId) throw new AppError('AUTH.OUT_OF_SCOPE');
  await escalateOverdue(deps);
  let q = deps.db.selectFrom('verification_requests').where('issuing_department_id', '=', actor.departmentId);
  if (query.status === 'open') q = q.where('status', 'in', ['pending', 'escalated']);
  if (query.status === 'answered') q = q.where('status', 'in', ['confirmed', 'denied']);
  const [{ n }, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.selectAll().orderBy('answered_at', (ob) => ob.desc().nullsFirst()).orderBy('due_at').orderBy('id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
  ]);
  const now = deps.now();
  return { total: Number(n), items: rows.map((r) => verificationView(r, now)) };
}

/**
 * Supervisors: escalated (overdue) requests in their region (the account's, else its department's, as for
 * credit records), oldest deadline first, a page at a time with the total.
 */
export async function listEscalated(query: { page: number; pageSize: number }, actor: Actor, deps: Deps) {
  await escalateOverdue(deps);
  // the region is filtered in the query, before the page: a city supervisor's pages hold only its own requests
  const scope = await staffRegion(actor, deps);
  let q = deps.db.selectFrom('verification_requests').innerJoin('departments', 'departments.id', 'verification_requests.issuing_department_id')
    .where('verification_requests.status', '=', 'escalated');
  if (scope) q = q.where('departments.region_code', 'like', `${regionPrefix(scope)}%`);
  const [{ n }, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.selectAll('verification_requests').select('departments.name as issuing_department_name')
      .orderBy('verification_requests.due_at').orderBy('verification_requests.id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
  ]);
  const now = deps.now();
  return { total: Number(n), items: rows.map((r) => ({ ...verificationView(r, now), issuingDepartmentName: r.issuing_department_name })) };
}

/**
 * Escalates every pending request past its deadline to the supervisors (in-app notice),
 * once. Runs on a timer and before inboxes are read.
 */
export async function escalateOverdue(deps: Deps): Promise<number> {
  const now = deps.now();
  const overdue = await deps.db.selectFrom('verification_requests').select(['id', 'due_at', 'status']).where('status', '=', 'pending').where('due_at', '<', now).limit(1000).execute();
  if (overdue.length === 0) return 0;
  let n = 0;
  await deps.db.transaction().execute(async (trx) => {
    // The requests are locked first, in id order, skipping any another transaction holds (an answer,
    // a withdrawal, a calendar change recomputing the deadline: the next sweep sees the outcome);
    // the sweep never waits for a row, and appends to the audit chain only after its row locks.
    // Still pending and overdue as the rows are now (a calendar change may have moved the deadline).
    const locked = await trx.selectFrom('verification_requests').select(['id', 'due_at', 'status'])
      .where('id', 'in', overdue.map((o) => o.id)).where('status', '=', 'pending').where('due_at', '<', now)
      .orderBy('id').forUpdate().skipLocked().execute();
    const escalated = [];
    for (const o of locked) {
      if (!isOverdue(o.status as VerificationStatus, new Date(o.due_at), now)) continue;
      const to = nextVerificationStatus('pending', 'escalate')!;
      const r = await trx.updateTable('verification_requests').set({ status: to, escalated_at: now }).where('id', '=', o.id).returningAll().executeTakeFirstOrThrow();
      escalated.push(r);
    }
    if (escalated.length === 0) return;
    n = escalated.length;
    const supervisors = await regionSupervisors(trx, escalated.map((r) => r.issuing_department_id));
    for (const r of escalated) {
      for (const s of supervisors.of(r.issuing_department_id)) {
        await notifierOf(deps).notify(trx, {
          recipientAccountId: s, kind: 'verification.escalated', title: `部门核验超期：${supervisors.departmentName(r.issuing_department_id)}`,
          body: `办件 ${r.application_ref} 的“${r.proof_item_name}”核验请求已超过 ${r.working_days} 个工作日时限未答复。`,
          titleEn: `Verification overdue: ${supervisors.departmentName(r.issuing_department_id)}`,
          bodyEn: `The verification request for "${r.proof_item_name}" in application ${r.application_ref} has had no answer within its limit of ${r.working_days} working days.`,
          link: '/supervision/escalations',
        });
      }
    }
    await appendAuditEntries(trx, escalated.map((r) => ({
      actorId: null, actorRole: 'system', action: 'verification.escalate', subjectType: 'verification_request', subjectId: r.id, change: { dueAt: new Date(r.due_at).toISOString() },
    })));
  });
  return n;
}

/**
 * The supervisors told about issuing departments' requests: those of each department's region
 * (a province supervisor for all its cities; a supervisor's region is the account's, else its
 * department's, as staffRegion()), and platform-wide ones (neither).
 */
export async function regionSupervisors(trx: Transaction<DB>, departmentIds: readonly string[]): Promise<{ of: (departmentId: string) => string[]; departmentName: (departmentId: string) => string }> {
  const supervisors = await trx.selectFrom('accounts').leftJoin('departments', 'departments.id', 'accounts.department_id')
    .select(['accounts.id', (eb) => eb.fn.coalesce('accounts.region_code', 'departments.region_code').as('region_code')])
    .where(sql<boolean>`'supervisor' = ANY(accounts.roles)`).where('accounts.disabled', '=', false).execute();
  const departments = new Map((departmentIds.length === 0 ? [] : await trx.selectFrom('departments').select(['id', 'name', 'region_code']).where('id', 'in', [...new Set(departmentIds)]).execute()).map((d) => [d.id, d]));
  return {
    of: (id) => {
      const d = departments.get(id);
      return d ? supervisors.filter((s) => !s.region_code || regionWithin(d.region_code, s.region_code)).map((s) => s.id) : [];
    },
    departmentName: (id) => departments.get(id)?.name ?? id,
  };
}

/** The issuing department confirms or denies, with a reason; the material is satisfied (or fails) and the use of the data is logged. */
export async function answerVerification(input: { id: string; confirmed: boolean; reason: string }, actor: Actor, deps: Deps) {
  const reason = input.reason.trim();
  if (reason.length < 2) throw new AppError('VERIFICATION.REASON_REQUIRED', { field: 'reason' });
  const v = await load(deps, input.id);
  if (!hasRole(actor, 'issuer') || actor.departmentId !== v.issuing_department_id) throw new AppError('AUTH.OUT_OF_SCOPE', { field: 'id' });
  if (v.status === 'withdrawn') throw new AppError('VERIFICATION.WITHDRAWN', { field: 'id' });
  const to = nextVerificationStatus(v.status, input.confirmed ? 'confirm' : 'deny');
  if (!to) throw new AppError('VERIFICATION.ALREADY_ANSWERED', { field: 'id', details: { status: v.status } });
  const app = await deps.db.selectFrom('applications').select(['applicant_code_enc', 'applicant_kind', 'ref']).where('id', '=', v.application_id).executeTakeFirstOrThrow();
  const subjectCode = deps.pii.reveal(app.applicant_code_enc, 'applicant_code');
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    // Lock order (as the engine, withdrawing and signing): the calendar (the application may now be
    // under review, with a deadline in working days), the applications using the material, its
    // resolution, the request; the audit chain last.
    await holdCalendar(trx);
    const users = await lockApplicationsUsing(trx, [v.resolution_id]);
    const r = await trx.selectFrom('material_resolutions').selectAll().where('id', '=', v.resolution_id).forUpdate().executeTakeFirstOrThrow();
    const locked = await trx.updateTable('verification_requests').set({ status: to, answered_at: now, answered_by: actor.id, reason })
      .where('id', '=', v.id).where('status', 'in', ['pending', 'escalated']).returningAll().executeTakeFirst();
    if (!locked) {
      const now2 = await trx.selectFrom('verification_requests').select('status').where('id', '=', v.id).executeTakeFirstOrThrow();
      throw new AppError(now2.status === 'withdrawn' ? 'VERIFICATION.WITHDRAWN' : 'VERIFICATION.ALREADY_ANSWERED', { field: 'id' });
    }
    if (r.status === 'awaiting_verification') {
      // by the deadline as it stands under the locks (a calendar change before this transaction may have moved it)
      const onTime = answeredOnTime(new Date(locked.due_at), now)!;
      const attempts = [...(r.attempts as Attempt[]), { method: 'dept_verification' as const, outcome: input.confirmed ? 'satisfied' : 'denied', reason: `${actor.departmentName ?? ''}${input.confirmed ? '核验属实' : '核验不属实'}：${reason}`, reasonEn: input.confirmed ? 'confirmed' : `denied: ${reason}`, at: now.toISOString() }];
      await trx.updateTable('material_resolutions').set({
        status: input.confirmed ? 'satisfied' : 'failed', without_submission: input.confirmed ? true : null, resolved_at: input.confirmed ? now : null, updated_at: now,
        attempts: JSON.stringify(attempts), evidence: JSON.stringify({ verificationRequestId: v.id, answeredBy: actor.departmentName, answeredAt: now.toISOString(), confirmed: input.confirmed, reason, onTime }),
        explanation: input.confirmed ? `已通过“部门核验”满足：${actor.departmentName ?? ''}核验属实。` : `部门核验未通过：${reason}`,
        explanation_en: input.confirmed ? 'Satisfied by department verification.' : `Department verification denied: ${reason}`,
      }).where('id', '=', r.id).execute();
    }
    await recordDataAccess(trx, deps.pii, {
      subjectCode, subjectKind: app.applicant_kind, accessorDepartmentId: v.requesting_department_id, accessorName: v.requesting_department_name,
      accessorAccountId: actor.id, accessorRole: 'issuer', dataItem: `verification:${v.proof_item_id}`, dataItemLabel: v.proof_item_name, purpose: 'application',
      applicationRef: v.application_ref, legalBasis: r.legal_basis || '证明事项部门核验', outcome: input.confirmed ? 'confirmed' : 'denied', detail: { verificationRequestId: v.id, answeredBy: actor.departmentName },
    });
    await appendAudit(trx, { actorId: actor.id, actorRole: 'issuer', action: `verification.${to}`, subjectType: 'verification_request', subjectId: v.id, change: { reason, applicationRef: v.application_ref } });
    await settleApplications(trx, users.map((u) => u.id), actor, deps);
  });
  return verificationView(await load(deps, v.id), now);
}

/**
 * Takes the open verification requests of these resolutions out of the issuers' inboxes
 * (status `withdrawn`, with the reason): the applicant withdrew, or the material is now met
 * another way. Inside the caller's transaction; audited per request.
 */
export async function withdrawOpenVerifications(trx: Transaction<DB>, resolutionIds: readonly string[], reason: string, actor: { actorId: string; actorRole: string; onBehalfOf: string | null }): Promise<number> {
  if (resolutionIds.length === 0) return 0;
  const rows = await trx.updateTable('verification_requests').set({ status: 'withdrawn', reason })
    .where('resolution_id', 'in', resolutionIds).where('status', 'in', ['pending', 'escalated']).returning(['id', 'application_ref']).execute();
  for (const r of rows) await appendAudit(trx, { ...actor, action: 'verification.withdrawn', subjectType: 'verification_request', subjectId: r.id, change: { reason, applicationRef: r.application_ref } });
  return rows.length;
}

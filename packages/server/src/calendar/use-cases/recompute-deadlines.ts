/**
 * What a change of the official calendar does to the working-day deadlines already set: those
 * still running are counted again from their start in the new calendar, inside the transaction
 * that changes it, each change audited. Which deadlines are in working days, and their rule:
 *
 * - a department verification request (部门核验): the end of the `working_days`-th working day
 *   after `requested_at` — while it is pending or escalated; answered and withdrawn ones keep theirs;
 * - the clerk's review (受理审查): the end of the `review_working_days`-th working day after
 *   `review_started_at` (migration 0018) — while the application is under review; decided ones keep theirs.
 *
 * Post-check tasks are due in calendar days (the rule's "within N days"): a calendar change does
 * not move them.
 *
 * An escalated request whose new deadline has not passed is pending again (its escalation stays
 * on record: escalated_at, the audit entry, the supervisors' notice, the statistics), the
 * supervisors are told, and the sweep escalates it again only if the new deadline passes. One
 * whose new deadline has passed too stays escalated; a pending one whose new deadline has passed
 * is escalated by the next sweep, once.
 *
 * The caller holds the calendar exclusively (calendar_change(), migration 0018): no deadline is
 * being written meanwhile. Rows are locked in the order every writer of an application's rows
 * takes them — applications (id order), resolutions, requests — and audit entries are the
 * caller's to append, after all of them.
 */
import { sql, type Transaction } from 'kysely';
import type { AuditInput } from '../../audit/domain/audit-entry.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { addDays, endOfShanghaiDay, shanghaiDate, workingDayDeadline, type WorkCalendar } from '../../shared/calendar/working-days.ts';
import { lockApplications } from '../../applications/adapters/application-store.ts';
import { notifierOf } from '../../applications/use-cases/settle-application.ts';
import { statusAfterDeadlineChange, type VerificationStatus } from '../../verifications/domain/verification-state.ts';
import { regionSupervisors } from '../../verifications/use-cases/verification-requests.ts';
import { OfficialCalendar } from '../adapters/official-calendar.ts';
import { changedWorkdays, type CalendarOverride } from '../domain/calendar-year.ts';
import { chunks } from '../../shared/chunks.ts';

export interface RecomputedDeadlines {
  /** open verification requests whose deadline moved */
  verificationRequests: number;
  /** applications under review whose review deadline moved */
  reviewDeadlines: number;
  /** one entry per moved deadline, for the caller to append after its own */
  audits: AuditInput[];
}

const time = (d: Date | string) => new Date(d).getTime();
const iso = (d: Date | string) => new Date(d).toISOString();
const OPEN_REQUEST: readonly VerificationStatus[] = ['pending', 'escalated'];

export async function recomputeDeadlines(
  trx: Transaction<DB>, change: { year: number; before: readonly CalendarOverride[]; after: readonly CalendarOverride[] }, actor: Actor, deps: Deps,
): Promise<RecomputedDeadlines> {
  const none: RecomputedDeadlines = { verificationRequests: 0, reviewDeadlines: 0, audits: [] };
  const changed = changedWorkdays(change.before, change.after);
  if (changed.length === 0) return none;
  // the calendar as this transaction has just written it (the instance's copy is reloaded after commit)
  const calendar: WorkCalendar = deps.calendar ?? await new OfficialCalendar(trx).reload(trx);
  // only a deadline counted across a changed date can move: one started before that date's day, due on or after it
  const firstDay = new Date(endOfShanghaiDay(addDays(changed[0]!, -1)).getTime() + 1);
  const lastDay = endOfShanghaiDay(changed.at(-1)!);
  const verificationDue = (r: { requested_at: Date | string; working_days: number }) => workingDayDeadline(new Date(r.requested_at), r.working_days, calendar);
  const reviewDue = (a: { review_started_at: Date | string | null; review_working_days: number | null }) =>
    workingDayDeadline(new Date(a.review_started_at!), a.review_working_days!, calendar);

  // 1. What moves, read without locks.
  const requests = (await trx.selectFrom('verification_requests').select(['id', 'application_id', 'resolution_id', 'requested_at', 'working_days', 'due_at'])
    .where('status', 'in', [...OPEN_REQUEST]).where('due_at', '>=', firstDay).where('requested_at', '<=', lastDay).execute())
    .filter((r) => verificationDue(r).getTime() !== time(r.due_at));
  const reviews = (await trx.selectFrom('applications').select(['id', 'review_started_at', 'review_working_days', 'review_due_at'])
    .where('status', '=', 'under_review').where('review_started_at', 'is not', null).where('review_working_days', 'is not', null)
    .where('review_due_at', '>=', firstDay).where('review_started_at', '<=', lastDay).execute())
    .filter((a) => reviewDue(a).getTime() !== time(a.review_due_at!));
  if (requests.length === 0 && reviews.length === 0) return none;

  // 2. Locks: the applications (a request's, the bundle members sharing its proof, those under review), in id order …
  const resolutionIds = [...new Set(requests.map((r) => r.resolution_id))].sort();
  const members: string[] = [];
  for (const ids of chunks(resolutionIds)) members.push(...(await trx.selectFrom('application_materials').select('application_id').where('resolution_id', 'in', ids).execute()).map((m) => m.application_id));
  const appIds = [...new Set([...requests.map((r) => r.application_id), ...members, ...reviews.map((a) => a.id)])].sort();
  for (const ids of chunks(appIds)) await lockApplications(trx, ids);
  // … the requests' resolutions, the requests; each read again as it is now
  for (const ids of chunks(resolutionIds)) await trx.selectFrom('material_resolutions').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
  const lockedRequests = [];
  for (const ids of chunks(requests.map((r) => r.id).sort())) lockedRequests.push(...await trx.selectFrom('verification_requests').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute());
  const lockedReviews = [];
  for (const ids of chunks(reviews.map((a) => a.id))) {
    lockedReviews.push(...await trx.selectFrom('applications').select(['id', 'ref', 'status', 'review_started_at', 'review_working_days', 'review_due_at']).where('id', 'in', ids).execute());
  }

  // 3. The new deadlines, under the locks.
  const now = deps.now();
  const audits: AuditInput[] = [];
  const movedRequests = [];
  for (const r of lockedRequests) {
    if (!OPEN_REQUEST.includes(r.status)) continue; // answered or withdrawn meanwhile
    const dueAt = verificationDue(r);
    if (dueAt.getTime() === time(r.due_at)) continue;
    const status = statusAfterDeadlineChange(r.status, dueAt, now);
    movedRequests.push({ row: r, dueAt, status });
    audits.push({
      actorId: actor.id, actorRole: 'data_admin', action: 'verification.deadline.recompute', subjectType: 'verification_request', subjectId: r.id,
      change: {
        calendarYear: change.year, applicationRef: r.application_ref, requestedAt: iso(r.requested_at), workingDays: r.working_days,
        dueAt: { from: iso(r.due_at), to: dueAt.toISOString() }, ...(status !== r.status ? { status: { from: r.status, to: status } } : {}),
      },
    });
  }
  const movedReviews = [];
  for (const a of lockedReviews) {
    if (a.status !== 'under_review' || !a.review_started_at || !a.review_working_days) continue; // decided or withdrawn meanwhile
    const dueAt = reviewDue(a);
    if (a.review_due_at && dueAt.getTime() === time(a.review_due_at)) continue;
    movedReviews.push({ id: a.id, dueAt });
    audits.push({
      actorId: actor.id, actorRole: 'data_admin', action: 'application.review_deadline.recompute', subjectType: 'application', subjectId: a.id,
      change: {
        calendarYear: change.year, ref: a.ref, reviewStartedAt: iso(a.review_started_at), workingDays: a.review_working_days,
        reviewDueAt: { from: a.review_due_at ? iso(a.review_due_at) : null, to: dueAt.toISOString() },
      },
    });
  }

  // 4. Written in a few statements. A material waiting for the answer shows the deadline in its
  // evidence too; its updated_at stays (it marks the material's last outcome, which the engine and a
  // method switch compare before writing one: a deadline moving is not one).
  for (const part of chunks(movedRequests)) {
    const values = sql.join(part.map((m) => sql`(${m.row.id}::uuid, ${m.dueAt.toISOString()}::timestamptz, ${m.status}::text)`));
    await sql`UPDATE verification_requests AS v SET due_at = x.due_at, status = x.status FROM (VALUES ${values}) AS x(id, due_at, status) WHERE v.id = x.id`.execute(trx);
    const evidence = sql.join(part.map((m) => sql`(${m.row.resolution_id}::uuid, ${m.row.id}::text, ${m.dueAt.toISOString()}::text)`));
    await sql`UPDATE material_resolutions AS m SET evidence = jsonb_set(m.evidence, '{dueAt}', to_jsonb(x.due_at)) FROM (VALUES ${evidence}) AS x(id, request_id, due_at)
      WHERE m.id = x.id AND m.status = 'awaiting_verification' AND m.evidence ->> 'verificationRequestId' = x.request_id`.execute(trx);
  }
  for (const part of chunks(movedReviews)) {
    const values = sql.join(part.map((m) => sql`(${m.id}::uuid, ${m.dueAt.toISOString()}::timestamptz)`));
    await sql`UPDATE applications AS a SET review_due_at = x.due_at, updated_at = ${now}::timestamptz FROM (VALUES ${values}) AS x(id, due_at) WHERE a.id = x.id`.execute(trx);
  }

  // 5. The supervisors told of an escalation learn that it no longer stands.
  const extended = movedRequests.filter((m) => m.status !== m.row.status);
  if (extended.length > 0) {
    const supervisors = await regionSupervisors(trx, extended.map((m) => m.row.issuing_department_id));
    for (const { row, dueAt } of extended) {
      for (const recipient of supervisors.of(row.issuing_department_id)) {
        await notifierOf(deps).notify(trx, {
          recipientAccountId: recipient, kind: 'verification.deadline_extended', title: `部门核验时限顺延:${supervisors.departmentName(row.issuing_department_id)}`,
          body: `节假日安排调整后,办件 ${row.application_ref} 的"${row.proof_item_name}"核验时限顺延至 ${shanghaiDate(dueAt)},此前的超期督办提醒不再适用;逾期仍未答复将再次提醒。`,
          titleEn: `Verification deadline extended: ${supervisors.departmentName(row.issuing_department_id)}`,
          bodyEn: `After a change to the holiday calendar, the verification request for "${row.proof_item_name}" in application ${row.application_ref} is now due on ${shanghaiDate(dueAt)}; the earlier overdue reminder no longer applies. You will be reminded again if it is still unanswered then.`,
          link: '/supervision/escalations',
        });
      }
    }
  }
  return { verificationRequests: movedRequests.length, reviewDeadlines: movedReviews.length, audits };
}

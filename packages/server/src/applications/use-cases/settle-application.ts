import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { workingDayDeadline, type WorkCalendar } from '../../shared/calendar/working-days.ts';
import { officialCalendar } from '../../calendar/adapters/official-calendar.ts';
import { InAppNotifier } from '../../notifications/adapters/in-app-notifier.ts';
import { getApplication, resolutionsOfApplication, statusOf } from '../adapters/application-store.ts';
import { nextStatus, type ApplicationStatus } from '../domain/lifecycle.ts';
import { settledEvent, type ResolutionStatus } from '../domain/resolution.ts';
import { auditActor, isApplicantSide, notificationRecipients } from './access.ts';

/** Working days the accepting department has to decide once every material is resolved. */
export const REVIEW_WORKING_DAYS = 5;

/**
 * The official working-day calendar (deps.calendar when a test injects one). Inside a
 * transaction pass it as `executor`: a transaction that writes a working-day deadline holds the
 * calendar first (holdCalendar, before any row lock) and then counts in exactly the calendar in
 * force; otherwise the overrides are no older than the refresh window.
 */
export async function calendarOf(deps: Deps, executor?: Kysely<DB>): Promise<WorkCalendar> {
  return deps.calendar ?? officialCalendar(deps, executor);
}

export function notifierOf(deps: Deps) {
  return deps.notifier ?? new InAppNotifier(deps.now);
}

const APPLICANT_ACTION: Partial<Record<ResolutionStatus, { zh: string; en: string }>> = {
  awaiting_signature: { zh: '签署告知承诺书', en: 'sign the commitment' }, awaiting_grant: { zh: '授权使用电子证照', en: 'authorise the use of an e-license' },
  awaiting_upload: { zh: '上传材料', en: 'upload materials' },
};

/** "a", "a and b", "a, b and c". */
function englishList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Moves applications along once their materials change: submitted → resolving →
 * awaiting / under_review, and awaiting → under_review when nothing awaits any more.
 * Runs inside the caller's transaction, which has locked the applications (in id order) and,
 * since it may set a review deadline, held the calendar before that; the applicant (and the agent, while the
 * authorisation covers it) is told what they must do.
 */
export async function settleApplications(trx: Transaction<DB>, appIds: readonly string[], actor: Actor | null, deps: Deps): Promise<Map<string, ApplicationStatus>> {
  const out = new Map<string, ApplicationStatus>();
  for (const id of appIds) {
    const app = await getApplication(trx, id, true);
    const from = statusOf(app);
    const resolutions = await resolutionsOfApplication(trx, id);
    const statuses = resolutions.map((r) => r.status as ResolutionStatus);
    const event = settledEvent(statuses);
    let to: ApplicationStatus | undefined;
    if (from === 'submitted') to = nextStatus('resolving', event);
    else if (from === 'resolving') to = nextStatus(from, event);
    else if (from === 'awaiting' && event === 'resolved') to = 'under_review';
    if (!to || to === from) { out.set(id, from); continue; }
    const now = deps.now();
    // the review period's start and length are kept: a calendar change recomputes its end from them
    const reviewDue = to === 'under_review' ? workingDayDeadline(now, REVIEW_WORKING_DAYS, await calendarOf(deps, trx)) : null;
    await trx.updateTable('applications').set({
      status: to, updated_at: now, ...(reviewDue ? { review_due_at: reviewDue, review_started_at: now, review_working_days: REVIEW_WORKING_DAYS } : {}),
    }).where('id', '=', id).execute();
    const todo = [...new Set(statuses.map((s) => APPLICANT_ACTION[s]).filter((s): s is { zh: string; en: string } => !!s))];
    if (to === 'awaiting' && todo.length) {
      for (const recipient of await notificationRecipients(app, deps, trx)) {
        await notifierOf(deps).notify(trx, {
          recipientAccountId: recipient, kind: 'application.awaiting', title: `办件 ${app.ref} 需要您处理`,
          body: `“${app.service_item_name}”还需要申请人：${todo.map((a) => a.zh).join('、')}。`,
          titleEn: `Application ${app.ref} needs your action`,
          bodyEn: `"${app.service_item_name}" still needs the applicant to ${englishList(todo.map((a) => a.en))}.`, link: `/applications/${app.id}`,
        });
      }
    }
    // what the applicant side's action (an agent's, a helper's) brings about is logged in both names too
    const who = actor && isApplicantSide(app, actor) ? auditActor(app, actor) : { actorId: actor?.id ?? null, actorRole: actor ? (actor.roles[0] ?? null) : 'system' };
    await appendAudit(trx, {
      ...who, action: `application.${to}`, subjectType: 'application', subjectId: id,
      change: { from, to, reviewDueAt: reviewDue?.toISOString() ?? null },
    });
    out.set(id, to);
  }
  return out;
}

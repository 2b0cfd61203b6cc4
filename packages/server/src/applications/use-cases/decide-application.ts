import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { getApplication, lockApplications, statusOf } from '../adapters/application-store.ts';
import { STATUS_LABELS, type ApplicationEvent } from '../domain/lifecycle.ts';
import { assertApplicantSide, assertClerkOf, assertSeparationOfDuties, auditActor, notificationRecipients } from './access.ts';
import { notifierOf } from './settle-application.ts';
import { transitionOrThrow } from './transition.ts';
import { withdrawOpenVerifications } from '../../verifications/use-cases/verification-requests.ts';

export type Decision = 'approve' | 'reject' | 'return';

/**
 * The clerk of the accepting department decides — not the one who filed it (受审分离); reject
 * and return need a reason; the applicant (and the agent, while the authorisation covers it) is notified in the app.
 */
export async function decideApplication(id: string, decision: Decision, reason: string | undefined, actor: Actor, deps: Deps): Promise<void> {
  const text = (reason ?? '').trim();
  if (decision !== 'approve' && text.length < 2) throw new AppError('APPLICATION.REASON_REQUIRED', { field: 'reason' });
  await deps.db.transaction().execute(async (trx) => {
    const app = await getApplication(trx, id, true);
    assertClerkOf(app, actor);
    assertSeparationOfDuties(app, actor);
    const from = statusOf(app);
    const to = transitionOrThrow(from, decision as ApplicationEvent);
    const now = deps.now();
    await trx.updateTable('applications').set({ status: to, decided_at: now, decided_by: actor.id, decision_reason: text || null, updated_at: now }).where('id', '=', id).execute();
    const title = decision === 'approve' ? `办件 ${app.ref} 已准予` : decision === 'reject' ? `办件 ${app.ref} 不予许可` : `办件 ${app.ref} 被退回补正`;
    const titleEn = decision === 'approve' ? `Application ${app.ref} approved` : decision === 'reject' ? `Application ${app.ref} rejected` : `Application ${app.ref} returned for correction`;
    const body = `“${app.service_item_name}”：${STATUS_LABELS[to].zh}。${text ? `理由：${text}` : ''}`;
    const bodyEn = `"${app.service_item_name}": ${STATUS_LABELS[to].en}.${text ? ` Reason: ${text}` : ''}`;
    for (const recipient of await notificationRecipients(app, deps, trx)) {
      await notifierOf(deps).notify(trx, { recipientAccountId: recipient, kind: decision === 'return' ? 'application.returned' : 'application.decided', title, body, titleEn, bodyEn, link: `/applications/${id}` });
    }
    await appendAudit(trx, { actorId: actor.id, actorRole: 'clerk', action: `application.${decision}`, subjectType: 'application', subjectId: id, change: { ref: app.ref, from, to, reason: text || null } });
  });
}

/** Approved → completed: the result was delivered (证照寄递/领取). */
export async function completeApplication(id: string, actor: Actor, deps: Deps): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const app = await getApplication(trx, id, true);
    assertClerkOf(app, actor);
    const from = statusOf(app);
    const to = transitionOrThrow(from, 'complete');
    const now = deps.now();
    await trx.updateTable('applications').set({ status: to, completed_at: now, updated_at: now }).where('id', '=', id).execute();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'clerk', action: 'application.complete', subjectType: 'application', subjectId: id, change: { from, to } });
  });
}

/** The applicant (or the agent who filed) withdraws; allowed until the decision. */
export async function withdrawApplication(id: string, actor: Actor, deps: Deps): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    // the application and the bundle members sharing a proof with it, in id order: their states decide
    // what is released, so two members withdrawn at once are one after the other
    const sharing = await trx.selectFrom('application_materials').select('application_id')
      .where('resolution_id', 'in', trx.selectFrom('application_materials').select('resolution_id').where('application_id', '=', id).where('resolution_id', 'is not', null).$narrowType<{ resolution_id: string }>())
      .execute();
    await lockApplications(trx, [...new Set([id, ...sharing.map((m) => m.application_id)])]);
    const app = await getApplication(trx, id, true);
    await assertApplicantSide(app, actor, deps, trx);
    const from = statusOf(app);
    const to = transitionOrThrow(from, 'withdraw');
    const now = deps.now();
    await trx.updateTable('applications').set({ status: to, updated_at: now }).where('id', '=', id).execute();
    // Rows in the order every writer of an application's rows takes them (application → commitment →
    // verification request), the audit chain after: its unsigned commitments are no longer to be
    // signed, and its open department verifications leave the issuers' inboxes — unless another
    // open member of its bundle shares the proof.
    const resolutionIds = (await trx.selectFrom('application_materials').select('resolution_id').where('application_id', '=', id).where('resolution_id', 'is not', null).execute()).map((m) => m.resolution_id!);
    const stillNeeded = resolutionIds.length === 0 ? [] : (await trx.selectFrom('application_materials as m').innerJoin('applications as a', 'a.id', 'm.application_id')
      .select('m.resolution_id').where('m.resolution_id', 'in', resolutionIds).where('m.application_id', '!=', id).where('a.status', 'in', ['submitted', 'resolving', 'awaiting', 'under_review', 'returned']).execute()).map((m) => m.resolution_id);
    const released = resolutionIds.filter((r) => !stillNeeded.includes(r));
    const declined = released.length === 0 ? [] : await trx.updateTable('commitments').set({ status: 'declined' }).where('resolution_id', 'in', released).where('status', '=', 'pending_signature').returning('id').execute();
    await withdrawOpenVerifications(trx, released, '申请人已撤回申请', auditActor(app, actor));
    await appendAudit(trx, { ...auditActor(app, actor), action: 'application.withdraw', subjectType: 'application', subjectId: id, change: { from, to } });
    for (const c of declined) await appendAudit(trx, { ...auditActor(app, actor), action: 'commitment.declined', subjectType: 'commitment', subjectId: c.id, change: { reason: 'application withdrawn' } });
  });
}

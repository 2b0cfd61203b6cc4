import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { periodMonth } from '../../shared/calendar/working-days.ts';
import { getApplication, lockApplications, statusOf } from '../adapters/application-store.ts';
import { reserveIdempotencyKey, type IdempotencyRequest } from '../adapters/idempotency.ts';
import type { ResolutionPorts } from '../ports/resolvers.ts';
import { assertApplicantSide, auditActor } from './access.ts';
import { resolveMaterials } from './resolve-materials.ts';
import { transitionOrThrow } from './transition.ts';

/**
 * Submits draft (or returned) applications — all members of a bundle together — and
 * resolves their materials. The submit itself is one transaction; resolution follows.
 * With an idempotency key, the key is reserved first in that transaction (as filing does): a
 * retry while the first is still resolving, or after it, is replayed (IdempotentReplay), never
 * refused as a second submit.
 */
export async function submitApplications(appIds: readonly string[], actor: Actor, deps: Deps, ports: ResolutionPorts, idempotency?: IdempotencyRequest): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (idempotency) await reserveIdempotencyKey(trx, idempotency, { applicationIds: appIds, bundleId: null });
    await submitInTransaction(trx, appIds, actor, deps);
  });
  await resolveMaterials(appIds, actor, deps, ports);
}

/**
 * The members of a bundle still in draft, in id order: what submitting the bundle (or a draft
 * member of it) submits together. A member withdrawn (or already submitted) on its own is left as it is.
 */
export async function draftMembersOfBundle(db: Kysely<DB>, bundleId: string): Promise<string[]> {
  return (await db.selectFrom('applications').select('id').where('bundle_id', '=', bundleId).where('status', '=', 'draft').orderBy('id').execute()).map((r) => r.id);
}

/**
 * Submits a bundle's members still in draft ({@link draftMembersOfBundle}). 404 for no such bundle;
 * when no member is left in draft, 409 APPLICATION.INVALID_TRANSITION — to the applicant side only,
 * anyone else is refused as for any submit.
 */
export async function submitBundle(bundleId: string, actor: Actor, deps: Deps, ports: ResolutionPorts): Promise<void> {
  const drafts = await draftMembersOfBundle(deps.db, bundleId);
  if (drafts.length > 0) return submitApplications(drafts, actor, deps, ports);
  const member = await deps.db.selectFrom('applications').selectAll().where('bundle_id', '=', bundleId).orderBy('id').executeTakeFirst();
  if (!member) throw new AppError('APPLICATION.NOT_FOUND', { field: 'id' });
  await assertApplicantSide(member, actor, deps);
  throw new AppError('APPLICATION.INVALID_TRANSITION', {
    field: 'id', message: '该一件事已没有待提交的草稿事项（各事项已提交或已撤回）', messageEn: 'No member of the bundle is still a draft to submit (each was submitted or withdrawn)',
  });
}

/**
 * The submit transition of {@link submitApplications}, inside the caller's transaction (filing
 * and submitting at once does both in one transaction); the caller resolves the materials after commit.
 */
export async function submitInTransaction(trx: Transaction<DB>, appIds: readonly string[], actor: Actor, deps: Deps): Promise<void> {
  // A bundle's members are locked together, with every member sharing a proof with them (a resubmission resolves
  // a failed shared proof again), in id order as every writer of several applications locks them: the
  // applications, then the resolutions, and the audit chain after all of them.
  const used = trx.selectFrom('application_materials').select('resolution_id').where('application_id', 'in', appIds).where('resolution_id', 'is not', null).$narrowType<{ resolution_id: string }>();
  const sharing = await trx.selectFrom('application_materials').select('application_id').where('resolution_id', 'in', used).execute();
  const locked = [...new Set([...appIds, ...sharing.map((m) => m.application_id)])];
  if (locked.length > 1) await lockApplications(trx, locked);
  const audits: Parameters<typeof appendAudit>[1][] = [];
  for (const id of appIds) {
    const app = await getApplication(trx, id, true);
    await assertApplicantSide(app, actor, deps, trx);
    const from = statusOf(app);
    const event = from === 'returned' ? 'resubmit' : 'submit';
    const to = transitionOrThrow(from, event);
    const now = deps.now();
    await trx.updateTable('applications').set({
      status: to, updated_at: now, submitted_at: app.submitted_at ?? now, period_month: app.period_month ?? periodMonth(now),
      ...(event === 'resubmit' ? { decision_reason: null, decided_at: null, decided_by: null } : {}),
    }).where('id', '=', id).execute();
    if (event === 'resubmit') {
      // every failed material is resolved again, its own or one it shares in a bundle (only a failed one: what a
      // member still in hand has meanwhile met stays as it is); the resolutions after the applications
      const failed = trx.selectFrom('material_resolutions').select('id').where('status', '=', 'failed')
        .where('id', 'in', trx.selectFrom('application_materials').select('resolution_id').where('application_id', '=', id).where('resolution_id', 'is not', null).$narrowType<{ resolution_id: string }>());
      const ids = (await failed.orderBy('id').forUpdate().execute()).map((r) => r.id);
      if (ids.length) await trx.updateTable('material_resolutions').set({ status: 'pending', updated_at: now }).where('id', 'in', ids).where('status', '=', 'failed').execute();
    }
    audits.push({ ...auditActor(app, actor), action: `application.${event}`, subjectType: 'application', subjectId: id, change: { ref: app.ref, from, to } });
  }
  for (const entry of audits) await appendAudit(trx, entry);
}

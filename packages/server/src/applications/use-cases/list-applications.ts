import { sql } from 'kysely';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { STATUS_LABELS, type ApplicationStatus } from '../domain/lifecycle.ts';
import { containsPattern } from '../../shared/like.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export interface ListQuery { status?: string; q?: string; serviceItem?: string; overdue?: boolean; page: number; pageSize: number }

async function summaries(deps: Deps, ids: string[]) {
  if (ids.length === 0) return new Map<string, { proofs: number; exempt: number; awaiting: number }>();
  const rows = await deps.db.selectFrom('application_materials').innerJoin('material_resolutions', 'material_resolutions.id', 'application_materials.resolution_id')
    .select(['application_materials.application_id as id'])
    .select((eb) => [
      eb.fn.countAll<number>().as('proofs'),
      sql<number>`count(*) filter (where material_resolutions.status = 'satisfied' and material_resolutions.without_submission)`.as('exempt'),
      sql<number>`count(*) filter (where material_resolutions.status like 'awaiting_%')`.as('awaiting'),
    ])
    .where('application_materials.application_id', 'in', ids).groupBy('application_materials.application_id').execute();
  return new Map(rows.map((r) => [r.id, { proofs: Number(r.proofs), exempt: Number(r.exempt), awaiting: Number(r.awaiting) }]));
}

/** Applications of the applicant side (mine, or those I filed as an agent), or the clerk's department queue. */
export async function listApplications(scope: 'mine' | 'queue', query: ListQuery, actor: Actor, deps: Deps) {
  let q = deps.db.selectFrom('applications');
  const now = deps.now();
  // an agent lists what they filed only while the authorisation still covers it (see agentMandateEnded); a walk-in filing stays the helper's
  if (scope === 'mine') {
    q = q.where((eb) => eb.or([
      eb('applicant_account_id', '=', actor.id),
      eb.and([eb('agent_account_id', '=', actor.id), eb.or([
        eb('identity_check_id', 'is not', null), eb('applicant_account_id', 'is', null),
        eb.exists(eb.selectFrom('agent_authorizations as g').select('g.id').whereRef('g.principal_account_id', '=', 'applications.applicant_account_id')
          .where('g.agent_account_id', '=', actor.id).where('g.status', '=', 'active').where('g.valid_from', '<=', now).where('g.valid_until', '>', now)
          .where(sql<boolean>`applications.service_item_code = ANY(g.service_item_codes)`)),
      ])]),
    ]));
  }
  else {
    if (!actor.departmentId) throw new AppError('AUTH.OUT_OF_SCOPE');
    q = q.where('department_id', '=', actor.departmentId).where('status', '!=', 'draft');
  }
  if (query.status) q = q.where('status', '=', query.status);
  if (query.serviceItem) q = q.where('service_item_code', '=', query.serviceItem);
  if (query.q) {
    const pattern = containsPattern(query.q);
    q = q.where((eb) => eb.or([eb('ref', 'like', pattern), eb('applicant_name', 'like', pattern), eb('service_item_name', 'like', pattern)]));
  }
  if (query.overdue) q = q.where('status', '=', 'under_review').where('review_due_at', '<', now);
  // the id last: applications sharing the keys (a bundle's members are filed in one instant, review deadlines
  // end at the same midnight) keep one order across pages, so none is repeated or lost
  const order = (scope === 'queue'
    ? q.orderBy(sql`case status when 'under_review' then 0 when 'awaiting' then 1 else 2 end`).orderBy('review_due_at', (ob) => ob.asc().nullsLast()).orderBy('submitted_at', 'desc')
    : q.orderBy('created_at', 'desc')).orderBy('id');
  const [{ n }, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    order.select(['id', 'ref', 'bundle_id', 'service_item_code', 'service_item_name', 'department_name', 'status', 'applicant_name', 'applicant_code_mask', 'agent_account_id', 'created_at', 'submitted_at', 'review_due_at', 'decided_at', 'revocation_suggested'])
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
  ]);
  const sums = await summaries(deps, rows.map((r) => r.id));
  return {
    total: Number(n), page: query.page, pageSize: query.pageSize,
    items: rows.map((r) => {
      const s = sums.get(r.id) ?? { proofs: 0, exempt: 0, awaiting: 0 };
      return {
        id: r.id, ref: r.ref, bundleId: r.bundle_id, serviceItem: { code: r.service_item_code, name: r.service_item_name }, departmentName: r.department_name,
        status: r.status, statusLabel: STATUS_LABELS[r.status as ApplicationStatus]?.zh ?? r.status, applicantName: r.applicant_name, applicantCodeMask: r.applicant_code_mask,
        viaAgent: r.agent_account_id !== null, createdAt: iso(r.created_at)!, submittedAt: iso(r.submitted_at), reviewDueAt: iso(r.review_due_at), decidedAt: iso(r.decided_at),
        overdue: r.status === 'under_review' && !!r.review_due_at && new Date(r.review_due_at).getTime() < now.getTime(),
        proofMaterials: s.proofs, satisfiedWithoutSubmission: s.exempt, awaitingMaterials: s.awaiting, revocationSuggested: r.revocation_suggested,
      };
    }),
  };
}

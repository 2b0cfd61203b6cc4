import type { ExemptionMethod } from '../../catalog/domain/proof-item.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { getApplication, statusOf, type ApplicationRow } from '../adapters/application-store.ts';
import { STATUS_LABELS } from '../domain/lifecycle.ts';
import { remainingMethods, type Attempt, type ResolutionMethod, type ResolutionStatus } from '../domain/resolution.ts';
import { assertCanRead, filedBy, isApplicantSide } from './access.ts';
import { applicantContext } from './resolve-materials.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/**
 * Everything the view shows besides the application row, in one statement (JSON aggregates):
 * an application is read after every submission, signature and decision, and six round trips
 * for it were a tenth of all statements of an application's life. Timestamps arrive as text.
 */
async function viewParts(db: Deps['db'], app: ApplicationRow) {
  const resolutionIds = db.selectFrom('application_materials').select('resolution_id').where('application_id', '=', app.id).where('resolution_id', 'is not', null).$narrowType<{ resolution_id: string }>();
  return db.selectNoFrom((eb) => [
    jsonArrayFrom(eb.selectFrom('application_materials').select(['material_id', 'position', 'name', 'required', 'proof_item_id', 'resolution_id']).where('application_id', '=', app.id).orderBy('position')).as('materials'),
    jsonArrayFrom(eb.selectFrom('material_resolutions').select([
      'id', 'application_id', 'proof_item_name', 'issuing_department_name', 'legal_basis', 'methods', 'method', 'status', 'without_submission', 'explanation', 'explanation_en',
      'attempts', 'evidence', 'resolved_at',
    ]).where('id', 'in', resolutionIds)).as('resolutions'),
    jsonArrayFrom(eb.selectFrom('commitments').select(['id', 'resolution_id', 'status', 'signed_at']).where('resolution_id', 'in', resolutionIds)).as('commitments'),
    jsonArrayFrom(eb.selectFrom('verification_requests').select(['id', 'resolution_id', 'status', 'due_at', 'answered_at', 'reason']).where('resolution_id', 'in', resolutionIds)).as('verifications'),
    jsonArrayFrom(eb.selectFrom('application_files').select(['id', 'resolution_id', 'filename', 'media_type', 'size', 'uploaded_at']).where('resolution_id', 'in', resolutionIds)).as('files'),
    jsonObjectFrom(eb.selectFrom('accounts').select(['id', 'display_name']).where('id', '=', app.agent_account_id ?? '00000000-0000-0000-0000-000000000000')).as('agent'),
    jsonObjectFrom(eb.selectFrom('bundle_applications').select(['id', 'ref', 'bundle_code', 'bundle_name']).where('id', '=', app.bundle_id ?? '00000000-0000-0000-0000-000000000000')).as('bundle'),
  ]).executeTakeFirstOrThrow();
}

export async function applicationView(app: ApplicationRow, actor: Actor | null, deps: Deps) {
  const [{ materials, resolutions, commitments, verifications, files, agent, bundle }, ctx] = await Promise.all([
    viewParts(deps.db, app), applicantContext(app.applicant_code_hash, deps),
  ]);
  const byId = new Map(resolutions.map((r) => [r.id, r]));
  const items = materials.map((m) => {
    const r = m.resolution_id ? byId.get(m.resolution_id) : undefined;
    if (!r) return { materialId: m.material_id, position: m.position, name: m.name, required: m.required, proofItemId: m.proof_item_id, resolution: null };
    const attempts = r.attempts as Attempt[];
    const status = r.status as ResolutionStatus;
    const commitment = commitments.filter((c) => c.resolution_id === r.id).sort((a, b) => (a.status === 'pending_signature' ? -1 : 1) - (b.status === 'pending_signature' ? -1 : 1))[0];
    const verification = verifications.filter((v) => v.resolution_id === r.id).sort((a, b) => new Date(b.due_at).getTime() - new Date(a.due_at).getTime())[0];
    const open = ['awaiting_grant', 'awaiting_upload', 'awaiting_signature', 'awaiting_verification', 'failed'].includes(status);
    return {
      materialId: m.material_id, position: m.position, name: m.name, required: m.required, proofItemId: m.proof_item_id,
      resolution: {
        id: r.id, proofItemName: r.proof_item_name, issuingDepartmentName: r.issuing_department_name, legalBasis: r.legal_basis, methods: r.methods,
        method: r.method, status, withoutSubmission: r.without_submission, explanation: r.explanation, explanationEn: r.explanation_en,
        attempts, evidence: r.evidence, shared: r.application_id !== app.id, resolvedAt: iso(r.resolved_at),
        commitment: commitment ? { id: commitment.id, status: commitment.status, signedAt: iso(commitment.signed_at) } : null,
        verification: verification ? { id: verification.id, status: verification.status, dueAt: iso(verification.due_at)!, answeredAt: iso(verification.answered_at), reason: verification.reason } : null,
        files: files.filter((f) => f.resolution_id === r.id).map((f) => ({ id: f.id, filename: f.filename, mediaType: f.media_type, size: f.size, uploadedAt: iso(f.uploaded_at)! })),
        options: open ? remainingMethods(r.methods as ExemptionMethod[], attempts, r.method as ResolutionMethod | null, ctx) : [],
      },
    };
  });
  const proofs = items.filter((i) => i.resolution);
  const status = statusOf(app);
  return {
    id: app.id, ref: app.ref, status, statusLabel: STATUS_LABELS[status].zh,
    bundle: bundle ? { id: bundle.id, ref: bundle.ref, code: bundle.bundle_code, name: bundle.bundle_name } : null,
    serviceItem: { code: app.service_item_code, name: app.service_item_name },
    department: { id: app.department_id, name: app.department_name }, regionCode: app.region_code, catalogVersion: app.catalog_version,
    applicant: { name: app.applicant_name, kind: app.applicant_kind, codeMask: app.applicant_code_mask, hasAccount: app.applicant_account_id !== null },
    agent: agent ? { id: agent.id, name: agent.display_name } : null, walkIn: app.identity_check_id !== null,
    form: app.form, createdAt: iso(app.created_at)!, submittedAt: iso(app.submitted_at), reviewDueAt: iso(app.review_due_at),
    decidedAt: iso(app.decided_at), decisionReason: app.decision_reason, completedAt: iso(app.completed_at), revocationSuggested: app.revocation_suggested,
    commitmentRoute: ctx.commitmentExcluded ? { offered: false, reason: ctx.commitmentExcluded.reason } : { offered: true, reason: null },
    // filedByMe or isApplicant: separation of duties (受审分离) bars the viewer from deciding it
    viewer: actor ? { applicantSide: isApplicantSide(app, actor), isApplicant: app.applicant_account_id === actor.id, filedByMe: filedBy(app, actor) } : null,
    materials: items,
    summary: {
      proofMaterials: proofs.length,
      satisfiedWithoutSubmission: proofs.filter((i) => i.resolution!.status === 'satisfied' && i.resolution!.withoutSubmission).length,
      awaiting: proofs.filter((i) => i.resolution!.status.startsWith('awaiting_')).length,
      failed: proofs.filter((i) => i.resolution!.status === 'failed').length,
    },
  };
}

export type ApplicationView = Awaited<ReturnType<typeof applicationView>>;

export async function getApplicationView(id: string, actor: Actor, deps: Deps): Promise<ApplicationView> {
  const app = await getApplication(deps.db, id);
  await assertCanRead(app, actor, deps);
  return applicationView(app, actor, deps);
}

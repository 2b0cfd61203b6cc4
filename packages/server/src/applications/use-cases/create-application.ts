import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import { wrongApplicantKind, type ApplicantKind } from '../../catalog/domain/applicant-kinds.ts';
import type { PublishedServiceItem } from '../../catalog/domain/published.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { newApplicationRef } from '../adapters/application-store.ts';
import { reserveIdempotencyKey, type IdempotencyRequest } from '../adapters/idempotency.ts';
import { auditActor } from './access.ts';
import { resolveFiling } from './applicant.ts';
import { applicantContext } from './resolve-materials.ts';
import { planMaterial } from '../domain/resolution.ts';

export interface CreateInput {
  serviceItemCodes: string[];
  bundle?: { code: string; name: string };
  form: Record<string, unknown>;
  onBehalfOf?: string;
  identityCheckId?: string;
}

export interface Created { bundleId: string | null; bundleRef: string | null; applicationIds: string[] }

/**
 * 服务对象: the applicant — the account's kind, the principal's for an agent, the checked subject's
 * for a walk-in — must be one every item serves; 422 APPLICATION.WRONG_APPLICANT_KIND on `field`
 * otherwise, the first item refused in details (filing and the plan shown before it alike).
 */
export function assertMayApply(items: readonly PublishedServiceItem[], applicantKind: ApplicantKind, field: string): void {
  for (const s of items) {
    const wrong = wrongApplicantKind(s, applicantKind);
    if (wrong) throw new AppError('APPLICATION.WRONG_APPLICANT_KIND', { field, ...wrong, details: { serviceItemCode: s.code, applicantKinds: s.applicantKinds, applicantKind } });
  }
}

/**
 * Creates draft applications against the latest published catalog version: one per
 * service item (a bundle shares one form and de-duplicates proofs: a proof several items
 * require gets one resolution), each material listed with the proof and methods of that version.
 * An applicant of a kind the item does not serve (服务对象) is refused: APPLICATION.WRONG_APPLICANT_KIND, nothing written.
 */
export async function createApplications(input: CreateInput, actor: Actor, deps: Deps, idempotency?: IdempotencyRequest,
  /** Runs in the same transaction after the drafts are written (e.g. submitting them at once). */
  andThen?: (trx: Transaction<DB>, applicationIds: string[]) => Promise<void>): Promise<Created> {
  const model = await deps.catalogReadModels.get();
  if (!model) throw new AppError('CATALOG.NOT_PUBLISHED');
  const items: PublishedServiceItem[] = input.serviceItemCodes.map((code) => {
    const s = model.findServiceItem(code);
    if (!s) throw new AppError('CATALOG.SERVICE_ITEM_NOT_FOUND', { field: input.bundle ? 'bundleCode' : 'serviceItemCode' });
    return s;
  });
  const filing = await resolveFiling(input, input.serviceItemCodes, actor, deps);
  assertMayApply(items, filing.applicant.kind, input.bundle ? 'bundleCode' : 'serviceItemCode');
  const code = deps.pii.protect(filing.applicant.code, 'applicant_code');
  const ctx = await applicantContext(code.hash, deps);
  const now = deps.now();
  const bundleId = input.bundle ? randomUUID() : null;
  const bundleRef = input.bundle ? newApplicationRef(items[0]!.regionCode, now, 'YJS-') : null;
  const apps = items.map((s) => ({ id: randomUUID(), ref: newApplicationRef(s.regionCode, now), item: s }));

  await deps.db.transaction().execute(async (trx) => {
    if (idempotency) await reserveIdempotencyKey(trx, idempotency, { applicationIds: apps.map((a) => a.id), bundleId });
    if (input.bundle && bundleId && bundleRef) {
      await trx.insertInto('bundle_applications').values({
        id: bundleId, ref: bundleRef, bundle_code: input.bundle.code, bundle_name: input.bundle.name, applicant_account_id: filing.applicant.accountId,
        applicant_name: filing.applicant.name, created_at: now,
      }).execute();
    }
    await trx.insertInto('applications').values(apps.map((a) => ({
      id: a.id, ref: a.ref, bundle_id: bundleId, service_item_code: a.item.code, service_item_name: a.item.name, department_id: a.item.departmentId,
      department_name: a.item.departmentName, region_code: a.item.regionCode, catalog_version: model.version.number, status: 'draft',
      applicant_account_id: filing.applicant.accountId, applicant_kind: filing.applicant.kind, applicant_name: filing.applicant.name,
      applicant_code_enc: code.enc, applicant_code_hash: code.hash, applicant_code_mask: code.mask, created_by_account_id: actor.id,
      agent_account_id: filing.agentAccountId, identity_check_id: filing.identityCheckId, form: JSON.stringify(input.form), created_at: now, updated_at: now,
    }))).execute();
    const shared = new Map<string, string>();
    const resolutions = [];
    const materials = [];
    for (const a of apps) {
      for (const [position, m] of a.item.materials.entries()) {
        let resolutionId: string | null = null;
        if (m.proofItemId) {
          const proof = model.findProofItem(m.proofItemId);
          if (proof) {
            resolutionId = shared.get(proof.id) ?? null;
            if (!resolutionId) {
              resolutionId = randomUUID();
              shared.set(proof.id, resolutionId);
              const plan = planMaterial(proof, ctx, now.toISOString());
              resolutions.push({
                id: resolutionId, application_id: a.id, bundle_id: bundleId, proof_item_id: proof.id, proof_item_name: proof.name,
                issuing_department_id: proof.issuingDepartmentId, issuing_department_name: proof.issuingDepartmentName, legal_basis: proof.legalBasis,
                methods: proof.methods, method: null, status: 'pending', attempts: '[]', evidence: 'null', updated_at: now,
                explanation: plan.explanation, explanation_en: plan.explanationEn,
              });
            }
          }
        }
        materials.push({ application_id: a.id, material_id: m.id, position: position + 1, name: m.name, required: m.required, proof_item_id: m.proofItemId, resolution_id: resolutionId });
      }
    }
    if (resolutions.length) await trx.insertInto('material_resolutions').values(resolutions).execute();
    if (materials.length) await trx.insertInto('application_materials').values(materials).execute();
    for (const a of apps) {
      const who = auditActor({ applicant_account_id: filing.applicant.accountId, agent_account_id: filing.agentAccountId, applicant_code_mask: code.mask }, actor);
      await appendAudit(trx, {
        ...who, action: 'application.create', subjectType: 'application', subjectId: a.id,
        change: { ref: a.ref, serviceItemCode: a.item.code, catalogVersion: model.version.number, bundleId, identityCheckId: filing.identityCheckId },
      });
    }
    if (andThen) await andThen(trx, apps.map((a) => a.id));
  });
  return { bundleId, bundleRef, applicationIds: apps.map((a) => a.id) };
}

import type { CatalogReadModel } from '../../catalog/search/catalog-read-model.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { dedupeMaterials } from '../domain/bundles.ts';
import { planMaterial, type ApplicantContext } from '../domain/resolution.ts';
import type { ApplicantKind } from '../../catalog/domain/applicant-kinds.ts';
import { assertMayApply } from './create-application.ts';

/**
 * What the applicant sees before submitting: per proof (de-duplicated across a bundle's
 * items), "nothing to provide — we will …" or "please upload", the reason and the legal
 * basis — with the commitment route withdrawn, and why, for an applicant with an active
 * credit record. For a known applicant (`applicantKind`), items it may not apply for (服务对象)
 * are refused as filing refuses them.
 */
export function previewApplication(model: CatalogReadModel, serviceItemCodes: readonly string[], ctx: ApplicantContext, deps: Deps, applicantKind?: ApplicantKind) {
  const items = serviceItemCodes.map((code) => {
    const s = model.findServiceItem(code);
    if (!s) throw new AppError('CATALOG.SERVICE_ITEM_NOT_FOUND', { field: serviceItemCodes.length > 1 ? 'bundleCode' : 'serviceItemCode' });
    return s;
  });
  // the plan of an application that could not be filed for this applicant (服务对象) is refused as filing would be
  if (applicantKind) assertMayApply(items, applicantKind, serviceItemCodes.length > 1 ? 'bundleCode' : 'serviceItemCode');
  const { proofs, forms, totalProofMaterials } = dedupeMaterials(items);
  const at = deps.now().toISOString();
  const materials = [...proofs.entries()].flatMap(([proofId, refs]) => {
    const p = model.findProofItem(proofId);
    if (!p) return [];
    const plan = planMaterial(p, ctx, at);
    return [{
      proofItemId: p.id, proofItemName: p.name, issuingDepartmentName: p.issuingDepartmentName, legalBasis: p.legalBasis, methods: p.methods, method: plan.method,
      mustProvide: plan.mustProvide, explanation: plan.explanation, explanationEn: plan.explanationEn, neededBy: refs.map((r) => ({ serviceItemCode: r.serviceItemCode, materialId: r.materialId })),
    }];
  });
  return {
    serviceItems: items.map((s) => ({ code: s.code, name: s.name, departmentName: s.departmentName })),
    forms: forms.map((f) => ({ serviceItemCode: f.serviceItemCode, materialId: f.materialId, name: f.name })),
    materials,
    commitmentRoute: ctx.commitmentExcluded ? { offered: false, reason: ctx.commitmentExcluded.reason } : { offered: true, reason: null },
    summary: { proofMaterials: totalProofMaterials, uniqueProofs: materials.length, nothingToProvide: materials.filter((m) => !m.mustProvide).length },
  };
}

/**
 * 电子证照关联率 (e-license association rate). A material is "license-kind" when its proof
 * item's exemption methods include e_license. A service item counts in the denominator when it
 * has at least one license-kind material, and in the numerator when every such material's proof
 * item is linked to a license type.
 */
export interface AssociationServiceItem { code: string; name: string; regionCode: string; regionName: string; proofItemIds: readonly string[] }
export interface AssociationProofItem { id: string; name: string; regionName: string; methods: readonly string[] }

export interface AssociationRow { code: string; name: string; total: number; linked: number; rate: number | null }
export interface AssociationResult {
  total: number;
  linked: number;
  rate: number | null;
  byRegion: AssociationRow[];
  /** license-kind proof items with no license type, and how many service items they hold back */
  unlinked: { proofItemId: string; name: string; regionName: string; serviceItemCount: number }[];
}

const rate = (linked: number, total: number) => (total === 0 ? null : Math.round((linked / total) * 10_000) / 10_000);

export function computeAssociation(items: readonly AssociationServiceItem[], proofs: ReadonlyMap<string, AssociationProofItem>, linkedProofItemIds: ReadonlySet<string>): AssociationResult {
  const regions = new Map<string, AssociationRow>();
  const unlinked = new Map<string, { proofItemId: string; name: string; regionName: string; serviceItemCount: number }>();
  let total = 0;
  let linked = 0;
  for (const item of items) {
    const licenseKind = [...new Set(item.proofItemIds)].map((id) => proofs.get(id)).filter((p): p is AssociationProofItem => !!p && p.methods.includes('e_license'));
    if (licenseKind.length === 0) continue;
    const missing = licenseKind.filter((p) => !linkedProofItemIds.has(p.id));
    const row = regions.get(item.regionCode) ?? { code: item.regionCode, name: item.regionName, total: 0, linked: 0, rate: null };
    row.total++;
    total++;
    if (missing.length === 0) { row.linked++; linked++; }
    for (const p of missing) {
      const u = unlinked.get(p.id) ?? { proofItemId: p.id, name: p.name, regionName: p.regionName, serviceItemCount: 0 };
      u.serviceItemCount++;
      unlinked.set(p.id, u);
    }
    regions.set(item.regionCode, row);
  }
  const byRegion = [...regions.values()].map((r) => ({ ...r, rate: rate(r.linked, r.total) })).sort((a, b) => a.code.localeCompare(b.code));
  return { total, linked, rate: rate(linked, total), byRegion, unlinked: [...unlinked.values()].sort((a, b) => b.serviceItemCount - a.serviceItemCount || a.proofItemId.localeCompare(b.proofItemId)) };
}

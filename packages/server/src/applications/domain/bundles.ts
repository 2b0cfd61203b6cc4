/**
 * Integrated services (集成办 / 一件事): service items applied for at once with one form;
 * a proof required by several of the items is resolved once and shared.
 */
export interface BundleDefinition { code: string; name: string; description: string; itemKeys: readonly string[] }

export const BUNDLES: readonly BundleDefinition[] = [
  { code: 'XSECS', name: '新生儿出生一件事', description: '出生登记(落户)、生育登记、社会保障卡申领一次办理', itemKeys: ['CSDJ', 'SYDJX', 'SBK'] },
  { code: 'ZGTX', name: '企业职工退休一件事', description: '养老保险退休申请、住房公积金提取一次办理', itemKeys: ['TXSQ', 'GJJTQ'] },
  { code: 'SYDJ', name: '失业登记一件事', description: '失业登记、临时救助申请一次办理', itemKeys: ['SYDJ', 'LSJZ'] },
];

export function findBundle(code: string): BundleDefinition | undefined {
  return BUNDLES.find((b) => b.code === code);
}

/** Service item codes of a bundle in a region: `340500-CSDJ` … */
export function bundleServiceCodes(def: BundleDefinition, regionCode: string): string[] {
  return def.itemKeys.map((k) => `${regionCode}-${k}`);
}

export interface MaterialRef { serviceItemCode: string; materialId: string; name: string; proofItemId: string | null }

/** Materials of several items with proofs de-duplicated: each proof once, with every (item, material) that needs it. */
export function dedupeMaterials(items: readonly { code: string; materials: readonly { id: string; name: string; proofItemId: string | null }[] }[]) {
  const proofs = new Map<string, MaterialRef[]>();
  const forms: MaterialRef[] = [];
  for (const item of items) {
    for (const m of item.materials) {
      const ref = { serviceItemCode: item.code, materialId: m.id, name: m.name, proofItemId: m.proofItemId };
      if (!m.proofItemId) { forms.push(ref); continue; }
      const list = proofs.get(m.proofItemId) ?? [];
      list.push(ref);
      proofs.set(m.proofItemId, list);
    }
  }
  return { proofs, forms, totalProofMaterials: [...proofs.values()].reduce((n, l) => n + l.length, 0), uniqueProofs: proofs.size };
}

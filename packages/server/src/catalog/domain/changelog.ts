import type { CommitmentRule, ExemptionMethod } from './proof-item.ts';

/** A proof item as it stands in one version (or in the draft), for comparison. */
export interface ComparableProofItem {
  id: string;
  name: string;
  issuingDepartmentName: string;
  legalBasis: string;
  methods: readonly ExemptionMethod[];
  notes: string;
  commitment: CommitmentRule | null;
  regionCode: string;
  /** The service items that require it (适用事项): part of the list (which proof, for which service). */
  serviceItemCodes?: readonly string[];
  /** The excluded category for the commitment route, shown on the public detail. */
  riskCategory?: string | null;
}

export type ChangeKind = 'added' | 'removed' | 'method_changed' | 'legal_basis_changed' | 'changed';

export interface ChangelogEntry {
  kind: ChangeKind;
  proofItemId: string;
  name: string;
  issuingDepartmentName: string;
  before?: { methods: ExemptionMethod[]; legalBasis: string };
  after?: { methods: ExemptionMethod[]; legalBasis: string };
  /** For 'changed': which other fields differ. */
  fields?: string[];
}

const KIND_ORDER: Record<ChangeKind, number> = { added: 0, removed: 1, method_changed: 2, legal_basis_changed: 3, changed: 4 };

function sameMethods(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return sameMethods([...new Set(a)].sort(), [...new Set(b)].sort());
}

/** The public changelog between two states of the list, by proof-item id. */
export function diffCatalog(from: Iterable<ComparableProofItem>, to: Iterable<ComparableProofItem>): ChangelogEntry[] {
  const before = new Map<string, ComparableProofItem>();
  for (const p of from) before.set(p.id, p);
  const out: ChangelogEntry[] = [];
  const snap = (p: ComparableProofItem) => ({ methods: [...p.methods], legalBasis: p.legalBasis });
  for (const p of to) {
    const old = before.get(p.id);
    before.delete(p.id);
    if (!old) {
      out.push({ kind: 'added', proofItemId: p.id, name: p.name, issuingDepartmentName: p.issuingDepartmentName, after: snap(p) });
      continue;
    }
    const base = { proofItemId: p.id, name: p.name, issuingDepartmentName: p.issuingDepartmentName, before: snap(old), after: snap(p) };
    if (!sameMethods(old.methods, p.methods)) out.push({ kind: 'method_changed', ...base });
    if (old.legalBasis !== p.legalBasis) out.push({ kind: 'legal_basis_changed', ...base });
    const fields: string[] = [];
    if (old.name !== p.name) fields.push('name');
    if (old.issuingDepartmentName !== p.issuingDepartmentName) fields.push('issuingDepartment');
    if (old.notes !== p.notes) fields.push('notes');
    if (old.regionCode !== p.regionCode) fields.push('region');
    if (JSON.stringify(old.commitment) !== JSON.stringify(p.commitment)) fields.push('commitment');
    if ((old.riskCategory ?? null) !== (p.riskCategory ?? null)) fields.push('riskCategory');
    if (!sameSet(old.serviceItemCodes ?? [], p.serviceItemCodes ?? [])) fields.push('serviceItems');
    if (fields.length) out.push({ kind: 'changed', ...base, fields });
  }
  for (const old of before.values()) {
    out.push({ kind: 'removed', proofItemId: old.id, name: old.name, issuingDepartmentName: old.issuingDepartmentName, before: snap(old) });
  }
  return out.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name, 'zh-CN') || a.proofItemId.localeCompare(b.proofItemId));
}

/** A service item as it stands in one version (or in the draft), for comparison. */
export interface ComparableServiceItem {
  code: string;
  name: string;
  departmentName: string;
  regionCode: string;
  regionName: string;
  applicantKinds: readonly string[];
  materials: readonly { name: string; required: boolean; proofItemId: string | null }[];
}

export interface ServiceItemChangeEntry {
  kind: 'added' | 'removed' | 'changed';
  code: string;
  name: string;
  departmentName: string;
  regionName: string;
  /** For 'changed': name, department, region, applicantKinds, materials (their names, order, proof items or whether required) */
  fields?: string[];
}

const SERVICE_KIND_ORDER = { added: 0, removed: 1, changed: 2 } as const;

/** What changed among the service items (政务服务事项) between two states of the list, by code. */
export function diffServiceItems(from: Iterable<ComparableServiceItem>, to: Iterable<ComparableServiceItem>): ServiceItemChangeEntry[] {
  const before = new Map<string, ComparableServiceItem>();
  for (const s of from) before.set(s.code, s);
  const out: ServiceItemChangeEntry[] = [];
  const ref = (s: ComparableServiceItem) => ({ code: s.code, name: s.name, departmentName: s.departmentName, regionName: s.regionName });
  const materials = (s: ComparableServiceItem) => JSON.stringify(s.materials.map((m) => [m.name, m.required, m.proofItemId]));
  for (const s of to) {
    const old = before.get(s.code);
    before.delete(s.code);
    if (!old) {
      out.push({ kind: 'added', ...ref(s) });
      continue;
    }
    const fields: string[] = [];
    if (old.name !== s.name) fields.push('name');
    if (old.departmentName !== s.departmentName) fields.push('department');
    if (old.regionCode !== s.regionCode) fields.push('region');
    if (!sameSet(old.applicantKinds, s.applicantKinds)) fields.push('applicantKinds');
    if (materials(old) !== materials(s)) fields.push('materials');
    if (fields.length) out.push({ kind: 'changed', ...ref(s), fields });
  }
  for (const old of before.values()) out.push({ kind: 'removed', ...ref(old) });
  return out.sort((a, b) => SERVICE_KIND_ORDER[a.kind] - SERVICE_KIND_ORDER[b.kind] || a.code.localeCompare(b.code));
}

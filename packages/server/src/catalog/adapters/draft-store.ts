import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ComparableProofItem } from '../domain/changelog.ts';
import type { ExemptionMethod, ProofItemFields, RiskCategory } from '../domain/proof-item.ts';

export interface DraftProofItem extends ProofItemFields {
  id: string;
  issuingDepartmentName: string;
  regionName: string;
  serviceItemCodes: string[];
}

/** The draft list with names resolved and the service items requiring each proof. */
export async function loadDraftProofItems(db: Kysely<DB>): Promise<DraftProofItem[]> {
  const [rows, links] = await Promise.all([
    db.selectFrom('proof_items')
      .innerJoin('departments', 'departments.id', 'proof_items.issuing_department_id')
      .innerJoin('regions', 'regions.code', 'proof_items.region_code')
      .select([
        'proof_items.id', 'proof_items.name', 'proof_items.issuing_department_id', 'departments.name as department_name',
        'proof_items.region_code', 'regions.name as region_name', 'proof_items.legal_basis', 'proof_items.methods',
        'proof_items.risk_category', 'proof_items.commitment', 'proof_items.notes',
      ])
      .orderBy('proof_items.id')
      .execute(),
    db.selectFrom('service_item_materials').select(['proof_item_id', 'service_item_code']).where('proof_item_id', 'is not', null).orderBy('service_item_code').execute(),
  ]);
  const codes = new Map<string, string[]>();
  for (const l of links) {
    const list = codes.get(l.proof_item_id!) ?? [];
    if (!list.includes(l.service_item_code)) list.push(l.service_item_code);
    codes.set(l.proof_item_id!, list);
  }
  return rows.map((r) => ({
    id: r.id, name: r.name, issuingDepartmentId: r.issuing_department_id, issuingDepartmentName: r.department_name,
    regionCode: r.region_code, regionName: r.region_name, legalBasis: r.legal_basis, methods: r.methods as ExemptionMethod[],
    riskCategory: r.risk_category as RiskCategory | null, commitment: r.commitment, notes: r.notes, serviceItemCodes: codes.get(r.id) ?? [],
  }));
}

export function toComparable(p: Pick<DraftProofItem, 'id' | 'name' | 'issuingDepartmentName' | 'legalBasis' | 'methods' | 'notes' | 'commitment' | 'regionCode' | 'serviceItemCodes' | 'riskCategory'>): ComparableProofItem {
  return {
    id: p.id, name: p.name, issuingDepartmentName: p.issuingDepartmentName, legalBasis: p.legalBasis, methods: p.methods, notes: p.notes, commitment: p.commitment,
    regionCode: p.regionCode, serviceItemCodes: p.serviceItemCodes, riskCategory: p.riskCategory,
  };
}

export function proofItemRow(p: ProofItemFields) {
  return {
    name: p.name, issuing_department_id: p.issuingDepartmentId, region_code: p.regionCode, legal_basis: p.legalBasis, methods: p.methods,
    risk_category: p.riskCategory, commitment: JSON.stringify(p.commitment), notes: p.notes,
  };
}

/** Advisory lock of the draft (and of publishing from it). */
const DRAFT_LOCK = 72010003;

/**
 * Takes the draft's lock for the rest of the caller's transaction: draft changes (create,
 * update, delete, import) and publishing run one at a time. Publishing reads the draft in
 * several statements, each with its own snapshot (READ COMMITTED), so a change committed in
 * between would leave half of it in an immutable version for good (a material naming a proof
 * item the version lacks); and two admins adding the same proof item at once get a 409, not a
 * unique-key 500.
 */
export async function lockDraft(trx: Kysely<DB>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${DRAFT_LOCK})`.execute(trx);
}

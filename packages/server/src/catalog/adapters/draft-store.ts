import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { regionPrefix } from '../../identity/domain/roles.ts';
import { normaliseApplicantKinds } from '../domain/applicant-kinds.ts';
import type { ComparableProofItem } from '../domain/changelog.ts';
import type { PublishedMaterial, PublishedServiceItem } from '../domain/published.ts';
import type { ExemptionMethod, ProofItemFields, RiskCategory } from '../domain/proof-item.ts';

export interface DraftProofItem extends ProofItemFields {
  id: string;
  issuingDepartmentName: string;
  regionName: string;
  serviceItemCodes: string[];
}

/** The draft list (or these items of it) with names resolved and the service items requiring each proof. */
export async function loadDraftProofItems(db: Kysely<DB>, ids?: readonly string[]): Promise<DraftProofItem[]> {
  if (ids?.length === 0) return [];
  const [rows, links] = await Promise.all([
    db.selectFrom('proof_items')
      .innerJoin('departments', 'departments.id', 'proof_items.issuing_department_id')
      .innerJoin('regions', 'regions.code', 'proof_items.region_code')
      .select([
        'proof_items.id', 'proof_items.name', 'proof_items.issuing_department_id', 'departments.name as department_name',
        'proof_items.region_code', 'regions.name as region_name', 'proof_items.legal_basis', 'proof_items.methods',
        'proof_items.risk_category', 'proof_items.commitment', 'proof_items.notes',
      ])
      .$if(ids !== undefined, (q) => q.where('proof_items.id', 'in', ids!))
      .orderBy('proof_items.id')
      .execute(),
    db.selectFrom('service_item_materials').select(['proof_item_id', 'service_item_code'])
      .$if(ids === undefined, (q) => q.where('proof_item_id', 'is not', null))
      .$if(ids !== undefined, (q) => q.where('proof_item_id', 'in', ids!))
      .orderBy('service_item_code').execute(),
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

export interface DraftServiceItemFilter {
  /** these codes only */
  codes?: readonly string[];
  /** code or name contains it */
  q?: string;
  /** of this region and those within it */
  regionCode?: string;
  limit?: number;
  /** with `limit`: skip this many first (a page) */
  offset?: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The draft's service items with their materials in order, as a version publishes them
 * (the shape its content digest covers: change it and an unchanged draft looks changed).
 * `total` counts every item the filter matches; `items` holds at most `limit` of them from `offset` on
 * (by region, then code; without a limit by code).
 */
export async function loadDraftServiceItems(db: Kysely<DB>, filter: DraftServiceItemFilter = {}): Promise<{ items: PublishedServiceItem[]; total: number }> {
  let q = db.selectFrom('service_items')
    .innerJoin('departments', 'departments.id', 'service_items.department_id')
    .innerJoin('regions', 'regions.code', 'service_items.region_code');
  if (filter.codes) q = filter.codes.length > 0 ? q.where('service_items.code', 'in', [...filter.codes]) : q.where(sql<boolean>`false`);
  if (filter.regionCode) q = q.where('service_items.region_code', 'like', `${regionPrefix(filter.regionCode)}%`);
  const text = filter.q?.trim();
  if (text) {
    const pattern = `%${escapeLike(text)}%`;
    q = q.where((eb) => eb.or([eb('service_items.code', 'ilike', pattern), eb('service_items.name', 'like', pattern)]));
  }
  const [items, counted] = await Promise.all([
    q.select(['service_items.code', 'service_items.name', 'service_items.department_id', 'departments.name as department_name', 'service_items.region_code', 'regions.name as region_name', 'service_items.applicant_kinds'])
      .orderBy(filter.limit !== undefined ? 'service_items.region_code' : 'service_items.code').orderBy('service_items.code')
      .$if(filter.limit !== undefined, (b) => b.limit(filter.limit!).offset(filter.offset ?? 0))
      .execute(),
    filter.limit !== undefined ? q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow() : undefined,
  ]);
  const wanted = filter.codes || filter.limit !== undefined || text || filter.regionCode ? items.map((i) => i.code) : undefined;
  let materialsQuery = db.selectFrom('service_item_materials').selectAll().orderBy('service_item_code').orderBy('position');
  if (wanted) materialsQuery = wanted.length > 0 ? materialsQuery.where('service_item_code', 'in', wanted) : materialsQuery.where(sql<boolean>`false`);
  const materials = await materialsQuery.execute();
  const byItem = new Map<string, PublishedMaterial[]>();
  for (const m of materials) {
    const list = byItem.get(m.service_item_code) ?? [];
    list.push({ id: m.id, name: m.name, required: m.required, proofItemId: m.proof_item_id });
    byItem.set(m.service_item_code, list);
  }
  return {
    items: items.map((s) => ({
      code: s.code, name: s.name, departmentId: s.department_id, departmentName: s.department_name, regionCode: s.region_code,
      regionName: s.region_name, applicantKinds: normaliseApplicantKinds(s.applicant_kinds), materials: byItem.get(s.code) ?? [],
    })),
    total: counted ? Number(counted.n) : items.length,
  };
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

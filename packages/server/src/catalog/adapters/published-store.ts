import type { Db } from '../../db/database.ts';
import { normaliseApplicantKinds } from '../domain/applicant-kinds.ts';
import type { ExemptionMethod, RiskCategory } from '../domain/proof-item.ts';
import type { CatalogVersionInfo, PublishedProofItem, PublishedServiceItem } from '../domain/published.ts';
import { CatalogReadModel } from '../search/catalog-read-model.ts';

type VersionRow = { number: number; published_at: Date | string; published_by: string; note: string; proof_item_count: number; service_item_count: number; content_digest: string };

export function toVersionInfo(r: VersionRow): CatalogVersionInfo {
  return {
    number: r.number, publishedAt: new Date(r.published_at).toISOString(), publishedBy: r.published_by, note: r.note,
    proofItemCount: r.proof_item_count, serviceItemCount: r.service_item_count, contentDigest: r.content_digest,
  };
}

export async function listVersions(db: Db): Promise<CatalogVersionInfo[]> {
  const rows = await db.selectFrom('catalog_versions').selectAll().orderBy('number', 'desc').execute();
  return rows.map(toVersionInfo);
}

export async function latestVersionNumber(db: Db): Promise<number | null> {
  const row = await db.selectFrom('catalog_versions').select((eb) => eb.fn.max('number').as('n')).executeTakeFirst();
  return row?.n ?? null;
}

export async function loadPublishedProofItems(db: Db, version: number): Promise<PublishedProofItem[]> {
  const rows = await db.selectFrom('published_proof_items').selectAll().where('version_number', '=', version).orderBy('region_code').orderBy('name').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, name: r.name, issuingDepartmentId: r.issuing_department_id, issuingDepartmentName: r.issuing_department_name,
    regionCode: r.region_code, regionName: r.region_name, legalBasis: r.legal_basis, methods: r.methods as ExemptionMethod[],
    riskCategory: r.risk_category as RiskCategory | null, commitment: r.commitment, notes: r.notes, serviceItemCodes: r.service_item_codes,
  }));
}

export async function loadReadModel(db: Db, version: number): Promise<CatalogReadModel | undefined> {
  const v = await db.selectFrom('catalog_versions').selectAll().where('number', '=', version).executeTakeFirst();
  if (!v) return undefined;
  const [proofItems, serviceRows, regions] = await Promise.all([
    loadPublishedProofItems(db, version),
    db.selectFrom('published_service_items').selectAll().where('version_number', '=', version).orderBy('region_code').orderBy('code').execute(),
    db.selectFrom('regions').select(['code', 'name']).execute(),
  ]);
  const serviceItems: PublishedServiceItem[] = serviceRows.map((r) => ({
    code: r.code, name: r.name, departmentId: r.department_id, departmentName: r.department_name, regionCode: r.region_code,
    regionName: r.region_name, applicantKinds: normaliseApplicantKinds(r.applicant_kinds), materials: r.materials,
  }));
  return new CatalogReadModel(toVersionInfo(v), proofItems, serviceItems, new Map(regions.map((r) => [r.code, r.name])));
}

/**
 * Read models of published versions, shared by all requests of one instance. Versions
 * are immutable, so a cached model is never stale; only "which is the latest" can change,
 * which is re-read at most once a second (other instances publish too) and at once after
 * a publish on this instance.
 */
export class CatalogReadModels {
  readonly #models = new Map<number, Promise<CatalogReadModel | undefined>>();
  #latest: { number: number | null; checkedAt: number } | undefined;
  #latestInFlight: Promise<number | null> | undefined;

  constructor(private readonly db: Db, private readonly maxModels = 4, private readonly latestTtlMs = 1000) {}

  async latestNumber(): Promise<number | null> {
    const now = Date.now();
    if (this.#latest && now - this.#latest.checkedAt < this.latestTtlMs) return this.#latest.number;
    this.#latestInFlight ??= latestVersionNumber(this.db).then((read) => {
      // Versions are only ever added: a read that began before a publish on this instance
      // committed (published()) does not take the instance back to the version before it.
      const known = this.#latest?.number ?? null;
      const n = known !== null && (read === null || read < known) ? known : read;
      this.#latest = { number: n, checkedAt: Date.now() };
      return n;
    }).finally(() => (this.#latestInFlight = undefined));
    // While one refresh runs, others use the value they have, if any.
    return this.#latest && this.#latest.number !== null ? this.#latest.number : this.#latestInFlight;
  }

  /** The model of `version`, or of the latest version when absent; undefined when there is none. */
  async get(version?: number): Promise<CatalogReadModel | undefined> {
    const n = version ?? (await this.latestNumber());
    if (n === null) return undefined;
    let model = this.#models.get(n);
    if (!model) {
      model = loadReadModel(this.db, n);
      this.#models.set(n, model);
      model.then((m) => { if (!m) this.#models.delete(n); }, () => this.#models.delete(n));
      while (this.#models.size > this.maxModels) {
        const oldest = [...this.#models.keys()].sort((a, b) => a - b)[0]!;
        this.#models.delete(oldest);
      }
    }
    return model;
  }

  published(number: number): void {
    this.#latest = { number, checkedAt: Date.now() };
  }
}

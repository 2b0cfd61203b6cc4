import type { ApplicantKind } from '../domain/applicant-kinds.ts';
import { explainMaterial } from '../domain/explanation.ts';
import type { ExemptionMethod } from '../domain/proof-item.ts';
import type { CatalogVersionInfo, PublishedProofItem, PublishedServiceItem } from '../domain/published.ts';
import { normaliseQuery, TextIndex } from './text-index.ts';
import { regionWithin } from '../../identity/domain/roles.ts';

export interface ProofItemQuery { q?: string; region?: string; department?: string; method?: ExemptionMethod; page: number; pageSize: number }
export interface ServiceItemQuery { q?: string; region?: string; department?: string; applicantKind?: ApplicantKind; page: number; pageSize: number }
export interface Page<T> { total: number; page: number; pageSize: number; items: T[] }

/**
 * Everything the public reads of one published version, held in memory: the version is
 * immutable, so this model never changes once built.
 */
export class CatalogReadModel {
  readonly proofItems: PublishedProofItem[];
  readonly serviceItems: PublishedServiceItem[];
  readonly #proofById = new Map<string, PublishedProofItem>();
  readonly #serviceByCode = new Map<string, PublishedServiceItem>();
  readonly #proofIndex: TextIndex;
  readonly #serviceIndex: TextIndex;

  constructor(readonly version: CatalogVersionInfo, proofItems: PublishedProofItem[], serviceItems: PublishedServiceItem[], regionNames: ReadonlyMap<string, string>) {
    this.proofItems = proofItems;
    this.serviceItems = serviceItems;
    for (const p of proofItems) this.#proofById.set(p.id, p);
    for (const s of serviceItems) this.#serviceByCode.set(s.code, s);
    const regionContext = (code: string) => [regionNames.get(code), regionNames.get(`${code.slice(0, 4)}00`), regionNames.get(`${code.slice(0, 2)}0000`)].filter(Boolean).join(' ');
    this.#proofIndex = new TextIndex(proofItems.map((p, ref) => ({ ref, name: p.name, context: `${p.issuingDepartmentName} ${regionContext(p.regionCode)}` })));
    this.#serviceIndex = new TextIndex(serviceItems.map((s, ref) => ({ ref, name: s.name, context: `${s.departmentName} ${regionContext(s.regionCode)}` })));
  }

  findProofItem(id: string): PublishedProofItem | undefined {
    return this.#proofById.get(id);
  }

  findServiceItem(code: string): PublishedServiceItem | undefined {
    return this.#serviceByCode.get(code);
  }

  searchProofItems(query: ProofItemQuery): Page<PublishedProofItem> {
    const accept = (p: PublishedProofItem) =>
      (!query.region || regionWithin(p.regionCode, query.region)) &&
      (!query.department || p.issuingDepartmentId === query.department) &&
      (!query.method || p.methods.includes(query.method));
    return this.#page(this.proofItems, this.#proofIndex, query, accept);
  }

  searchServiceItems(query: ServiceItemQuery): Page<PublishedServiceItem> {
    const accept = (s: PublishedServiceItem) =>
      (!query.region || regionWithin(s.regionCode, query.region)) && (!query.department || s.departmentId === query.department) &&
      (!query.applicantKind || s.applicantKinds.includes(query.applicantKind));
    return this.#page(this.serviceItems, this.#serviceIndex, query, accept);
  }

  #page<T>(all: T[], index: TextIndex, query: { q?: string; page: number; pageSize: number }, accept: (t: T) => boolean): Page<T> {
    const terms = normaliseQuery(query.q ?? '');
    const start = (query.page - 1) * query.pageSize;
    if (terms.length === 0) {
      const matching = all.filter(accept);
      return { total: matching.length, page: query.page, pageSize: query.pageSize, items: matching.slice(start, start + query.pageSize) };
    }
    const hits = index.search(terms, (ref) => accept(all[ref]!));
    return { total: hits.length, page: query.page, pageSize: query.pageSize, items: hits.slice(start, start + query.pageSize).map((h) => all[h.ref]!) };
  }

  /** A service item with every material explained: must the applicant provide it, and if not, why not. */
  explainServiceItem(item: PublishedServiceItem) {
    return item.materials.map((m) => {
      const proof = m.proofItemId ? this.#proofById.get(m.proofItemId) : undefined;
      const e = explainMaterial(proof ? { methods: proof.methods, legalBasis: proof.legalBasis, issuingDepartmentName: proof.issuingDepartmentName } : null);
      return {
        id: m.id, name: m.name, required: m.required, proofItemId: proof?.id ?? null, proofItemName: proof?.name ?? null,
        issuingDepartmentName: proof?.issuingDepartmentName ?? null, methods: proof?.methods ?? [], legalBasis: proof?.legalBasis ?? '', ...e,
      };
    });
  }
}

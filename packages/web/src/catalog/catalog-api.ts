import { apiFetch } from '../api/http';
import type {
  CatalogVersion,
  Changelog,
  Department,
  Draft,
  DraftProofItem,
  ImportResult,
  Page,
  ProofItemDetail,
  ProofItemInput,
  ProofItemSummary,
  Region,
  ServiceItemDetail,
  ServiceItemSummary,
} from './types';

export interface CatalogQuery {
  q?: string;
  region?: string;
  department?: string;
  method?: string;
  page?: number;
  pageSize?: number;
  version?: number;
}

const v1 = '/api/v1';

export const catalogApi = {
  regions: (signal?: AbortSignal) => apiFetch<{ items: Region[] }>(`${v1}/regions`, { signal }),
  departments: (region: string | undefined, signal?: AbortSignal) =>
    apiFetch<{ items: Department[] }>(`${v1}/departments`, { query: { region }, signal }),

  proofItems: (query: CatalogQuery, signal?: AbortSignal) =>
    apiFetch<Page<ProofItemSummary>>(`${v1}/proof-items`, { query: { ...query }, signal }),
  proofItem: (id: string, version: number | undefined, signal?: AbortSignal) =>
    apiFetch<ProofItemDetail>(`${v1}/proof-items/${encodeURIComponent(id)}`, { query: { version }, signal }),
  serviceItems: (query: Omit<CatalogQuery, 'method'>, signal?: AbortSignal) =>
    apiFetch<Page<ServiceItemSummary>>(`${v1}/service-items`, { query: { ...query }, signal }),
  serviceItem: (code: string, version: number | undefined, signal?: AbortSignal) =>
    apiFetch<ServiceItemDetail>(`${v1}/service-items/${encodeURIComponent(code)}`, { query: { version }, signal }),

  versions: (signal?: AbortSignal) => apiFetch<{ items: CatalogVersion[] }>(`${v1}/catalog/versions`, { signal }),
  changelog: (from: number, to: number, signal?: AbortSignal) =>
    apiFetch<Changelog>(`${v1}/catalog/changelog`, { query: { from, to }, signal }),
  exportUrl: (version: number) => `${v1}/catalog/versions/${version}/export.xlsx`,

  draft: (signal?: AbortSignal) => apiFetch<Draft>(`${v1}/admin/catalog/draft`, { signal }),
  createProofItem: (input: ProofItemInput) =>
    apiFetch<DraftProofItem>(`${v1}/admin/catalog/proof-items`, { method: 'POST', json: input }),
  updateProofItem: (id: string, patch: Partial<ProofItemInput>) =>
    apiFetch<DraftProofItem>(`${v1}/admin/catalog/proof-items/${encodeURIComponent(id)}`, { method: 'PATCH', json: patch }),
  deleteProofItem: (id: string) =>
    apiFetch<void>(`${v1}/admin/catalog/proof-items/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  importFile: (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return apiFetch<ImportResult>(`${v1}/admin/catalog/import`, { method: 'POST', form });
  },
  publish: (note: string) =>
    apiFetch<CatalogVersion>(`${v1}/admin/catalog/publish`, { method: 'POST', json: { note } }),
};

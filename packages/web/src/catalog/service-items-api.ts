import { apiFetch } from '../api/http';
import type { DraftServiceItem, DraftServiceItemList, ServiceItemImportResult, ServiceItemInput, ServiceItemPatch } from './types';

const base = '/api/v1/admin/catalog/service-items';

/** The catalog administrators' service items (政务服务事项) in the draft; they become public with the next published version. */
export const serviceItemsAdminApi = {
  list: (query: { q?: string; regionCode?: string; page?: number; pageSize?: number }, signal?: AbortSignal) =>
    apiFetch<DraftServiceItemList>(base, { query: { ...query }, signal }),
  create: (input: ServiceItemInput) => apiFetch<DraftServiceItem>(base, { method: 'POST', json: input }),
  update: (code: string, patch: ServiceItemPatch) =>
    apiFetch<DraftServiceItem>(`${base}/${encodeURIComponent(code)}`, { method: 'PATCH', json: patch }),
  remove: (code: string) => apiFetch<void>(`${base}/${encodeURIComponent(code)}`, { method: 'DELETE' }),
  /** The draft's items that match, as the .xlsx the import reads back (a download link: the session cookie authenticates it). */
  exportUrl: (query: { q?: string; regionCode?: string }) => {
    const s = new URLSearchParams(Object.entries(query).filter(([, v]) => !!v) as [string, string][]).toString();
    return `${base}/export.xlsx${s ? `?${s}` : ''}`;
  },
  /** A 政务服务事项清单 (.xlsx or .csv) into the draft, all or nothing: 422 CATALOG.IMPORT_INVALID lists every row's error. */
  importFile: (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return apiFetch<ServiceItemImportResult>(`${base}/import`, { method: 'POST', form });
  },
};

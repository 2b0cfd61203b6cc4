import { apiFetch } from '../api/http';
import type { DraftServiceItem, DraftServiceItemList, ServiceItemInput, ServiceItemPatch } from './types';

const base = '/api/v1/admin/catalog/service-items';

/** The catalog administrators' service items (政务服务事项) in the draft; they become public with the next published version. */
export const serviceItemsAdminApi = {
  list: (query: { q?: string; regionCode?: string }, signal?: AbortSignal) =>
    apiFetch<DraftServiceItemList>(base, { query: { ...query }, signal }),
  create: (input: ServiceItemInput) => apiFetch<DraftServiceItem>(base, { method: 'POST', json: input }),
  update: (code: string, patch: ServiceItemPatch) =>
    apiFetch<DraftServiceItem>(`${base}/${encodeURIComponent(code)}`, { method: 'PATCH', json: patch }),
  remove: (code: string) => apiFetch<void>(`${base}/${encodeURIComponent(code)}`, { method: 'DELETE' }),
};

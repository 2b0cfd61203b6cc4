/** The statistics API calls of the supervisors' pages not shared with the applications pages (packages/server/src/stats/adapters/routes.ts). */
import { apiFetch } from '../../api/http';

export interface StatsRegion { code: string; name: string; level: string; parentCode: string | null }

export const statsApi = {
  /** The regions the caller's statistics may be filtered by (its own region and those within it), and its own. */
  regions: (signal?: AbortSignal) => apiFetch<{ scope: StatsRegion | null; items: StatsRegion[] }>('/api/v1/stats/regions', { signal }),
};

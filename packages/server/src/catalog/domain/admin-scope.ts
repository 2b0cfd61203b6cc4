import { regionWithin } from '../../identity/domain/roles.ts';

/**
 * Where a catalog administrator (清单管理员, a justice bureau's) may change the one draft
 * catalog. A province's administrator changes every proof item and publishes versions; a
 * city's (or a district's) changes the proof items of its region and the regions within it,
 * and publishes nothing: a version of the provincial catalog is the province's act. Every
 * administrator reads the whole draft.
 */
export interface CatalogAdminScope {
  /** The region whose proof items the administrator changes (with those within it); null: every region. */
  regionCode: string | null;
  regionName: string | null;
  /** The administrator's region is the root of the regions (the province), or it has none. */
  mayPublish: boolean;
}

/** Whether a proof item (or a service item) of `regionCode` is the administrator's to change. */
export function mayChangeRegion(scope: CatalogAdminScope, regionCode: string): boolean {
  return scope.regionCode === null || regionWithin(regionCode, scope.regionCode);
}

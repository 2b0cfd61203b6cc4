import type { Actor } from '../../identity/domain/roles.ts';
import { staffRegionLevel } from '../../identity/use-cases/staff-region.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { mayChangeRegion, type CatalogAdminScope } from '../domain/admin-scope.ts';

/**
 * The administrator's scope: the account's region, else its department's (staffRegion). The
 * province is the root of the regions table (no parent_code); an account with neither a region
 * nor a department is platform-wide, as in statistics and credit supervision.
 * Read before a use case opens its transaction (one connection on PGlite).
 */
export async function catalogAdminScope(actor: Actor, deps: Pick<Deps, 'db'>): Promise<CatalogAdminScope> {
  const { regionCode, regionName, province } = await staffRegionLevel(actor, deps);
  return { regionCode, regionName, mayPublish: province };
}

/** Throws 403 CATALOG.OUT_OF_REGION unless a proof item of `regionCode` is the administrator's to change. */
export function assertMayChangeRegion(scope: CatalogAdminScope, regionCode: string, field: string): void {
  if (!mayChangeRegion(scope, regionCode)) {
    throw new AppError('CATALOG.OUT_OF_REGION', { field, details: { regionCode, scopeRegionCode: scope.regionCode } });
  }
}

/** Throws 403 CATALOG.PUBLISH_PROVINCE_ONLY unless the administrator is the province's. */
export function assertMayPublish(scope: CatalogAdminScope): void {
  if (!scope.mayPublish) throw new AppError('CATALOG.PUBLISH_PROVINCE_ONLY', { details: { scopeRegionCode: scope.regionCode } });
}

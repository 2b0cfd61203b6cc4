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

/** A department as the catalog's region checks see it (departments.region_code). */
export interface DepartmentRef { id: string; name: string; region_code: string; region_name: string | null }

/**
 * Throws 403 CATALOG.OUT_OF_REGION naming `field` unless the administrator may give a proof item
 * this department (its issuing department; `role` names it otherwise, e.g. a service item's 实施部门): one of the administrator's region or of a region
 * within it. A city's administrator does not commit another city's (or the province's)
 * department to answer for a proof of its list; the province's administrator uses any department.
 */
export function assertMayUseDepartment(scope: CatalogAdminScope, department: DepartmentRef, field: string, role: { zh: string; en: string } = { zh: '开具单位', en: 'issuing department' }): void {
  if (mayChangeRegion(scope, department.region_code)) return;
  throw new AppError('CATALOG.OUT_OF_REGION', {
    field,
    message: `${role.zh}“${department.name}”属于${department.region_name ?? department.region_code}，不在您的管理范围（${scope.regionName ?? scope.regionCode}）内，只能选择本区划（含下辖区划）的部门`,
    messageEn: `The ${role.en} ${department.name} is of region ${department.region_code}, outside your region (${scope.regionCode}): choose a department of your region or of one within it`,
    details: { departmentId: department.id, departmentRegionCode: department.region_code, scopeRegionCode: scope.regionCode },
  });
}

/** Throws 403 CATALOG.PUBLISH_PROVINCE_ONLY unless the administrator is the province's. */
export function assertMayPublish(scope: CatalogAdminScope): void {
  if (!scope.mayPublish) throw new AppError('CATALOG.PUBLISH_PROVINCE_ONLY', { details: { scopeRegionCode: scope.regionCode } });
}

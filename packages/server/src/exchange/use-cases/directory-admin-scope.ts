/**
 * Data administrators (数据管理员, a data bureau's) are region-bound, as catalog administrators
 * are: a city's administrator registers and changes the provider nodes of the departments of
 * its city (and of the districts within it); the province's administrator those of every
 * department. Every data administrator reads the whole directory. Who a node answers is the
 * node's department's decision: a grant may name a consumer department of any region.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { hasRole, regionWithin, type Actor } from '../../identity/domain/roles.ts';
import { staffRegionLevel } from '../../identity/use-cases/staff-region.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { findProviderDepartments, lockProvider, type ProviderDepartment } from './provider-input.ts';

export interface DirectoryAdminScope {
  /** The region whose departments' nodes the administrator changes (with the regions within it); null: every department. */
  regionCode: string | null;
  regionName: string | null;
}

/**
 * The administrator's region: the account's, else its department's (staffRegion). The province
 * (the root of the regions table) and an account with neither a region nor a department manage
 * every provider. Read before a use case opens its transaction (one connection on PGlite).
 */
export async function directoryAdminScope(actor: Actor, deps: Pick<Deps, 'db'>): Promise<DirectoryAdminScope> {
  const { regionCode, regionName, province } = await staffRegionLevel(actor, deps);
  return province ? { regionCode: null, regionName: null } : { regionCode, regionName };
}

/** The caller's scope when it may change the directory at all (a data administrator); null for a reader (supervisor). */
export async function directoryViewerScope(actor: Actor, deps: Pick<Deps, 'db'>): Promise<DirectoryAdminScope | null> {
  return hasRole(actor, 'data_admin') ? directoryAdminScope(actor, deps) : null;
}

/** Whether the nodes of a department of `departmentRegionCode` are the administrator's to register and change. */
export function mayManageRegion(scope: DirectoryAdminScope, departmentRegionCode: string): boolean {
  return scope.regionCode === null || regionWithin(departmentRegionCode, scope.regionCode);
}

const scopeLabel = (scope: DirectoryAdminScope) => scope.regionName ?? scope.regionCode ?? '';

/**
 * Throws 403 EXCHANGE.OUT_OF_REGION naming `field` unless the administrator may register a node
 * for this department: one of the administrator's region or of a region within it.
 */
export function assertMayRegisterFor(scope: DirectoryAdminScope, department: ProviderDepartment, field: string): void {
  if (mayManageRegion(scope, department.regionCode)) return;
  throw new AppError('EXCHANGE.OUT_OF_REGION', {
    field,
    message: `部门“${department.name}”属于${department.regionName ?? department.regionCode}，不在您的管理范围（${scopeLabel(scope)}）内，只能为本区划（含下辖区划）的部门登记数据提供节点`,
    messageEn: `The department ${department.name} is of region ${department.regionCode}, outside your region (${scope.regionCode}): register the nodes of departments of your region or of one within it`,
    details: { departmentId: department.id, departmentRegionCode: department.regionCode, scopeRegionCode: scope.regionCode },
  });
}

/**
 * Locks the provider row (404 EXCHANGE.PROVIDER_NOT_FOUND when there is none) and throws 403
 * EXCHANGE.OUT_OF_REGION naming `field` unless its department is of the administrator's region
 * or of one within it. Every directory write on an existing node starts here, so a refused
 * write changes nothing and leaves no audit entry.
 */
export async function lockProviderInScope(trx: Transaction<DB>, id: string, scope: DirectoryAdminScope, field = 'id') {
  const provider = await lockProvider(trx, id);
  if (scope.regionCode === null) return provider;
  const department = (await findProviderDepartments(trx, [provider.department_id])).get(provider.department_id);
  if (department && mayManageRegion(scope, department.regionCode)) return provider;
  const regionCode = department?.regionCode ?? '';
  const regionName = department?.regionName ?? regionCode;
  const name = department?.name ?? provider.department_id;
  throw new AppError('EXCHANGE.OUT_OF_REGION', {
    field,
    message: `节点“${provider.name}”属于${name}（${regionName}），不在您的管理范围（${scopeLabel(scope)}）内，只能修改本区划（含下辖区划）部门的数据提供节点`,
    messageEn: `The node ${provider.id} belongs to ${name} of region ${regionCode}, outside your region (${scope.regionCode}): you change only the nodes of departments of your region or of one within it`,
    details: { providerId: provider.id, departmentId: provider.department_id, departmentRegionCode: regionCode, scopeRegionCode: scope.regionCode },
  });
}

import { parseUscc } from '@mianzheng/crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import { directoryAdminScope, mayManageRegion } from '../../exchange/use-cases/directory-admin-scope.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';

export interface DepartmentInput { id: string; name: string; uscc: string; regionCode: string; category: string; acceptLegacyCheckChar?: boolean }

/**
 * Registers a department. Its USCC must pass the GB 32100 check character; a few early
 * codes in use fail it, and the operator may accept one explicitly (recorded as a warning).
 * A city's data administrator registers departments of its city (or of a district within it)
 * only, as it registers their provider nodes; the province's, any (403 DEPARTMENT.OUT_OF_REGION).
 */
export async function registerDepartment(input: DepartmentInput, actor: Actor, deps: Deps): Promise<{ warnings: string[] }> {
  const check = parseUscc(input.uscc, { allowBadCheckChar: input.acceptLegacyCheckChar === true });
  if (!check.valid) {
    throw new AppError('IDENTITY.INVALID_USCC', {
      field: 'uscc', details: { reason: check.error, expectedCheckChar: check.expectedCheckChar },
      ...(check.error === 'CHECK_CHAR' ? { message: `统一社会信用代码校验位错误（应为 ${check.expectedCheckChar}）`, messageEn: `Wrong USCC check character (expected ${check.expectedCheckChar})` } : {}),
    });
  }
  // the data administrator's region, as for the provider nodes it registers
  const scope = await directoryAdminScope(actor, deps);
  return deps.db.transaction().execute(async (trx) => {
    const region = await trx.selectFrom('regions').select(['code', 'name']).where('code', '=', input.regionCode).executeTakeFirst();
    if (!region) throw new AppError('REGION.NOT_FOUND', { field: 'regionCode' });
    if (!mayManageRegion(scope, input.regionCode)) {
      throw new AppError('DEPARTMENT.OUT_OF_REGION', {
        field: 'regionCode',
        message: `${region.name}（${region.code}）不在您的管理范围（${scope.regionName ?? scope.regionCode}）内，只能登记本区划（含下辖区划）的部门`,
        messageEn: `Region ${region.code} is outside your region (${scope.regionCode}): register departments of your region or of one within it`,
        details: { regionCode: input.regionCode, scopeRegionCode: scope.regionCode },
      });
    }
    const dup = await trx.selectFrom('departments').select('id').where((eb) => eb.or([eb('id', '=', input.id), eb('name', '=', input.name), eb('uscc', '=', check.value)])).executeTakeFirst();
    if (dup) throw new AppError('DEPARTMENT.ALREADY_EXISTS', { field: 'name' });
    await trx.insertInto('departments').values({ id: input.id, name: input.name, uscc: check.value, region_code: input.regionCode, category: input.category }).execute();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'data_admin', action: 'directory.department.register', subjectType: 'department', subjectId: input.id, change: { ...input, warnings: check.warnings } });
    return { warnings: check.warnings };
  });
}

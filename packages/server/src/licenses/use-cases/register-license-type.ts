import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { REF, referenceCacheOf } from '../../shared/reference-cache.ts';
import { checkLicenseTypeDefinition, type LicenseTypeDefinition, type Violation } from '../domain/license-type.ts';
import { departmentsByIds, getLicenseType, insertLicenseTypeVersion, licenseTypeRow, type LicenseType } from '../adapters/license-store.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

export function throwViolations(violations: Violation[]): never {
  const first = violations[0]!;
  const code = first.code as 'LICENSE.TYPE_INVALID';
  throw new AppError(code, { field: first.field, message: first.message, messageEn: first.messageEn, details: violations });
}

export async function assertDepartmentsExist(trx: Transaction<DB>, ids: readonly string[]): Promise<void> {
  const found = await departmentsByIds(trx, ids);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new AppError('DEPARTMENT.NOT_FOUND', { field: 'issuingDepartmentIds', details: { missing } });
}

/** 证照类型登记 by the data bureau: the definition is checked whole before anything is written. */
export async function registerLicenseType(def: LicenseTypeDefinition, actor: Actor, deps: Deps): Promise<LicenseType> {
  const violations = checkLicenseTypeDefinition(def);
  if (violations.length > 0) throwViolations(violations);
  await deps.db.transaction().execute(async (trx) => {
    const clashing = async () => {
      const clash = await trx.selectFrom('license_types').select('code').where((eb) => eb.or([eb('code', '=', def.code), eb('name', '=', def.name.trim())])).executeTakeFirst();
      return clash ? new AppError('LICENSE.TYPE_EXISTS', { field: clash.code === def.code ? 'code' : 'name' }) : undefined;
    };
    const exists = await clashing();
    if (exists) throw exists;
    await assertDepartmentsExist(trx, def.issuingDepartmentIds);
    // another registration of the code or name committed after the check above: the same 409
    const inserted = await trx.insertInto('license_types').values(licenseTypeRow(def)).onConflict((oc) => oc.doNothing()).returning('code').executeTakeFirst();
    if (!inserted) throw (await clashing()) ?? new AppError('LICENSE.TYPE_EXISTS', { field: 'code' });
    await insertLicenseTypeVersion(trx, def, 1, actor.id);
    await appendAudit(trx, { actorId: actor.id, actorRole: 'data_admin', action: 'license.type.register', subjectType: 'license_type', subjectId: def.code, change: def });
  });
  referenceCacheOf(deps).invalidate(REF.licenseType + def.code, REF.licenseLink);
  return getLicenseType(deps.db, def.code);
}

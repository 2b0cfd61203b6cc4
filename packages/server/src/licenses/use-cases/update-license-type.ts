import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { REF, referenceCacheOf } from '../../shared/reference-cache.ts';
import { checkFieldSchemaChange, checkLicenseTypeDefinition, type LicenseTypeDefinition } from '../domain/license-type.ts';
import { getLicenseType, insertLicenseTypeVersion, licenseTypeRow, toLicenseType, type LicenseType } from '../adapters/license-store.ts';
import { assertDepartmentsExist, throwViolations } from './register-license-type.ts';

export type LicenseTypePatch = Partial<Omit<LicenseTypeDefinition, 'code'>>;

/**
 * Changes a type, as its next version. Once licenses of the type exist, its holder kind is fixed
 * and fields may only be relabelled or added as optional (issued documents keep their fields, and
 * are read with the version they were issued against).
 */
export async function updateLicenseType(code: string, patch: LicenseTypePatch, actor: Actor, deps: Deps): Promise<LicenseType> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('license_types').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('LICENSE.TYPE_NOT_FOUND', { field: 'code' });
    const before = toLicenseType(row);
    const after: LicenseTypeDefinition = { ...before, ...patch, code };
    const violations = checkLicenseTypeDefinition(after);
    if (violations.length > 0) throwViolations(violations);
    if (patch.name !== undefined && patch.name.trim() !== before.name) {
      const clash = await trx.selectFrom('license_types').select('code').where('name', '=', patch.name.trim()).executeTakeFirst();
      if (clash) throw new AppError('LICENSE.TYPE_EXISTS', { field: 'name' });
    }
    const issued = await trx.selectFrom('licenses').select('id').where('type_code', '=', code).limit(1).executeTakeFirst();
    if (issued) {
      if (after.holderKind !== before.holderKind) throw new AppError('LICENSE.TYPE_IN_USE', { field: 'holderKind' });
      const change = checkFieldSchemaChange(before.fields, after.fields);
      if (change.length > 0) throwViolations(change);
    }
    await assertDepartmentsExist(trx, after.issuingDepartmentIds);
    const { code: _c, ...values } = licenseTypeRow(after);
    // every change is a new version: a license checked against the previous one is not stored under this one (issue-license.ts)
    const version = before.version + 1;
    await trx.updateTable('license_types').set({ ...values, version, updated_at: deps.now() }).where('code', '=', code).execute();
    await insertLicenseTypeVersion(trx, after, version, actor.id);
    await appendAudit(trx, { actorId: actor.id, actorRole: 'data_admin', action: 'license.type.update', subjectType: 'license_type', subjectId: code, change: { ...patch, version } });
  }).catch((e: unknown) => {
    // another type took the name after the check above (committed while this one waited on the unique index): the same 409
    if ((e as { code?: unknown }).code === '23505' && /name/.test(String((e as { constraint?: unknown }).constraint ?? (e as Error).message))) throw new AppError('LICENSE.TYPE_EXISTS', { field: 'name' });
    throw e;
  });
  referenceCacheOf(deps).invalidate(REF.licenseType + code, REF.licenseLink);
  return getLicenseType(deps.db, code);
}

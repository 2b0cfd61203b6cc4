import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { lockDraft } from '../adapters/draft-store.ts';
import { normaliseApplicantKinds } from '../domain/applicant-kinds.ts';
import type { ServiceItemFields } from '../domain/service-item.ts';
import { catalogAdminScope } from './catalog-admin-scope.ts';
import { assertMayChangeServiceItem, prepareServiceItemWrite } from './service-item-writes.ts';
import { cleanText } from '../spreadsheet/normalise.ts';

/**
 * Changes a draft service item: its name, department (and so region), who may apply, or its
 * materials (the whole list, in order). Both the item as it is and as it becomes must be of the
 * administrator's region. Applications already made keep the version they were resolved against.
 */
export async function updateServiceItem(code: string, patch: Partial<ServiceItemFields>, actor: Actor, deps: Deps): Promise<void> {
  const scope = await catalogAdminScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    await lockDraft(trx);
    const row = await trx.selectFrom('service_items').select(['code', 'name', 'department_id', 'region_code', 'applicant_kinds']).where('code', '=', code).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('CATALOG.SERVICE_ITEM_NOT_FOUND', { field: 'code', details: { code } });
    assertMayChangeServiceItem(scope, row);
    const current = await trx.selectFrom('service_item_materials').select(['id', 'name', 'proof_item_id', 'required']).where('service_item_code', '=', code).orderBy('position').execute();
    const next: ServiceItemFields = {
      name: patch.name ?? row.name,
      departmentId: patch.departmentId ?? row.department_id,
      applicantKinds: patch.applicantKinds ?? normaliseApplicantKinds(row.applicant_kinds),
      materials: patch.materials ?? current.map((m) => ({ id: m.id, name: m.name, proofItemId: m.proof_item_id, required: m.required })),
    };
    const { department, materials } = await prepareServiceItemWrite(trx, code, next, scope);
    await trx.updateTable('service_items').set({
      name: cleanText(next.name), department_id: department.id, region_code: department.region_code, applicant_kinds: normaliseApplicantKinds(next.applicantKinds),
    }).where('code', '=', code).execute();
    if (patch.materials) {
      await trx.deleteFrom('service_item_materials').where('service_item_code', '=', code).execute();
      if (materials.length > 0) await trx.insertInto('service_item_materials').values(materials).execute();
    }
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'catalog_admin', action: 'catalog.service_item.update', subjectType: 'service_item', subjectId: code,
      change: { ...patch, ...(patch.departmentId ? { regionCode: department.region_code } : {}), ...(patch.materials ? { materials } : {}) },
    });
  });
}

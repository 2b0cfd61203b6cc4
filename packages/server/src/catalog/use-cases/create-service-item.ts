import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { lockDraft } from '../adapters/draft-store.ts';
import { normaliseApplicantKinds } from '../domain/applicant-kinds.ts';
import type { ServiceItemFields } from '../domain/service-item.ts';
import { catalogAdminScope } from './catalog-admin-scope.ts';
import { prepareServiceItemWrite } from './service-item-writes.ts';
import { cleanText } from '../spreadsheet/normalise.ts';

/**
 * Adds a service item (政务服务事项) to the draft: of the department's region, which must be the
 * administrator's (or within it). Public from the next published version.
 */
export async function createServiceItem(code: string, input: ServiceItemFields, actor: Actor, deps: Deps): Promise<void> {
  const scope = await catalogAdminScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    await lockDraft(trx);
    if (await trx.selectFrom('service_items').select('code').where('code', '=', code).executeTakeFirst()) {
      throw new AppError('CATALOG.SERVICE_ITEM_EXISTS', { field: 'code', details: { code } });
    }
    const { department, materials } = await prepareServiceItemWrite(trx, code, input, scope);
    await trx.insertInto('service_items').values({
      code, name: cleanText(input.name), department_id: department.id, region_code: department.region_code, applicant_kinds: normaliseApplicantKinds(input.applicantKinds),
    }).execute();
    if (materials.length > 0) await trx.insertInto('service_item_materials').values(materials).execute();
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'catalog_admin', action: 'catalog.service_item.create', subjectType: 'service_item', subjectId: code,
      change: { ...input, regionCode: department.region_code, materials },
    });
  });
}

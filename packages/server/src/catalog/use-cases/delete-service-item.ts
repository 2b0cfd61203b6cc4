import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import { BUNDLES, bundleServiceCodes } from '../../applications/domain/bundles.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { lockDraft } from '../adapters/draft-store.ts';
import { catalogAdminScope } from './catalog-admin-scope.ts';
import { assertMayChangeServiceItem } from './service-item-writes.ts';

/**
 * Removes a service item from the draft (with its materials): from the next published version
 * nobody can apply for it; applications already made keep their version. An item that an
 * integrated service (一件事) of its region bundles is refused (409 CATALOG.SERVICE_ITEM_IN_BUNDLE).
 */
export async function deleteServiceItem(code: string, actor: Actor, deps: Deps): Promise<void> {
  const scope = await catalogAdminScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    await lockDraft(trx);
    const row = await trx.selectFrom('service_items').select(['code', 'name', 'region_code']).where('code', '=', code).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('CATALOG.SERVICE_ITEM_NOT_FOUND', { field: 'code', details: { code } });
    assertMayChangeServiceItem(scope, row);
    const bundle = BUNDLES.find((b) => bundleServiceCodes(b, row.region_code).includes(code));
    if (bundle) {
      throw new AppError('CATALOG.SERVICE_ITEM_IN_BUNDLE', {
        field: 'code', details: { code, bundleCode: bundle.code },
        message: `“${row.name}”属于“${bundle.name}”集成服务，不能删除`, messageEn: `"${row.name}" belongs to the integrated service ${bundle.name} (${bundle.code}) and cannot be removed`,
      });
    }
    const materials = await trx.deleteFrom('service_item_materials').where('service_item_code', '=', code).returning(['id', 'name', 'proof_item_id']).execute();
    await trx.deleteFrom('service_items').where('code', '=', code).execute();
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'catalog_admin', action: 'catalog.service_item.delete', subjectType: 'service_item', subjectId: code,
      change: { name: row.name, regionCode: row.region_code, materials },
    });
  });
}

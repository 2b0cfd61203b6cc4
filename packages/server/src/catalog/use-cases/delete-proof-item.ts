import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { lockDraft } from '../adapters/draft-store.ts';
import { mayChangeRegion } from '../domain/admin-scope.ts';
import { assertMayChangeRegion, catalogAdminScope } from './catalog-admin-scope.ts';

/**
 * Removes a proof item from the draft. With `detach`, the service items that required it
 * drop that material (the proof is no longer asked for at all); without, a proof still
 * required by service items is refused. The item must be of the administrator's region, and so
 * must every service item it is detached from (CATALOG.OUT_OF_REGION otherwise).
 */
export async function deleteProofItem(id: string, detach: boolean, actor: Actor, deps: Deps): Promise<void> {
  const scope = await catalogAdminScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    await lockDraft(trx);
    const row = await trx.selectFrom('proof_items').select(['id', 'name', 'region_code']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('CATALOG.PROOF_ITEM_NOT_FOUND', { field: 'id' });
    assertMayChangeRegion(scope, row.region_code, 'id');
    const users = await trx.selectFrom('service_item_materials').innerJoin('service_items', 'service_items.code', 'service_item_materials.service_item_code')
      .select(['service_item_materials.service_item_code', 'service_items.region_code']).where('service_item_materials.proof_item_id', '=', id).execute();
    if (users.length > 0 && !detach) {
      throw new AppError('CATALOG.IN_USE', { field: 'id', details: { serviceItemCodes: [...new Set(users.map((u) => u.service_item_code))] } });
    }
    // detaching changes the service items that require it: another region's are not the administrator's to change
    const foreign = [...new Set(users.filter((u) => !mayChangeRegion(scope, u.region_code)).map((u) => u.service_item_code))];
    if (foreign.length > 0) {
      throw new AppError('CATALOG.OUT_OF_REGION', {
        field: 'detach', details: { serviceItemCodes: foreign, scopeRegionCode: scope.regionCode },
        message: `该证明事项仍被其他区划的政务服务事项（${foreign.join('、')}）引用，解除引用会修改这些事项，不在您的管理范围内`,
        messageEn: `The proof item is required by service items of other regions (${foreign.join(', ')}); detaching it would change them, which is outside your region`,
      });
    }
    await trx.deleteFrom('service_item_materials').where('proof_item_id', '=', id).execute();
    await trx.deleteFrom('proof_items').where('id', '=', id).execute();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'catalog_admin', action: 'catalog.proof_item.delete', subjectType: 'proof_item', subjectId: id, change: { name: row.name, detachedFrom: users.map((u) => u.service_item_code) } });
  });
}

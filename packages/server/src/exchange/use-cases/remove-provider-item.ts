import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { exchangeOf } from '../adapters/exchange-infra.ts';
import { directoryAdminScope, lockProviderInScope } from './directory-admin-scope.ts';

/**
 * Withdraws a data item from the directory (its grants go with it; the exchange log keeps its
 * history). A node of the administrator's region only (403 EXCHANGE.OUT_OF_REGION).
 */
export async function removeProviderItem(providerId: string, code: string, actor: Actor, deps: Deps): Promise<void> {
  const scope = await directoryAdminScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    await lockProviderInScope(trx, providerId, scope);
    const deleted = await trx.deleteFrom('exchange_items').where('provider_id', '=', providerId).where('code', '=', code).returningAll().executeTakeFirst();
    if (!deleted) throw new AppError('EXCHANGE.ITEM_NOT_FOUND', { field: 'code' });
    await appendAudit(trx, { actorId: actor.id, actorRole: 'data_admin', action: 'exchange.item.remove', subjectType: 'exchange_item', subjectId: `${providerId}/${code}`, change: { name: deleted.name } });
  });
  exchangeOf(deps).directory.invalidate();
}

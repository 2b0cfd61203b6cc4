import { checkItemDefinition, type ItemDefinition } from '@mianzheng/provider/protocol';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { exchangeOf } from '../adapters/exchange-infra.ts';
import { directoryAdminScope, lockProviderInScope } from './directory-admin-scope.ts';

export interface ProviderItemInput {
  definition: ItemDefinition;
  /** catalog proof items this data item satisfies (ids of the draft catalog, e.g. ZM-MAS-HYZK) */
  proofItemIds: string[];
}

/**
 * Adds or replaces a data item a node offers: its definition (as the node's /v1/meta states it)
 * and the proof items it satisfies. A node of the administrator's region only (403 EXCHANGE.OUT_OF_REGION).
 */
export async function upsertProviderItem(providerId: string, code: string, input: ProviderItemInput, actor: Actor, deps: Deps): Promise<void> {
  const problems = checkItemDefinition(input.definition);
  if (input.definition?.code !== code) problems.push('definition.code must equal the item code in the path');
  if (problems.length) throw new AppError('EXCHANGE.INVALID_ITEM_DEFINITION', { field: 'definition', details: { problems } });
  const proofItemIds = [...new Set(input.proofItemIds)];
  const scope = await directoryAdminScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    await lockProviderInScope(trx, providerId, scope);
    if (proofItemIds.length) {
      const found = await trx.selectFrom('proof_items').select('id').where('id', 'in', proofItemIds).execute();
      const missing = proofItemIds.filter((id) => !found.some((f) => f.id === id));
      if (missing.length) throw new AppError('EXCHANGE.UNKNOWN_PROOF_ITEM', { field: 'proofItemIds', details: { missing } });
    }
    await trx.insertInto('exchange_items').values({
      provider_id: providerId, code, name: input.definition.name, definition: JSON.stringify(input.definition), proof_item_ids: proofItemIds, updated_at: deps.now(),
    }).onConflict((oc) => oc.columns(['provider_id', 'code']).doUpdateSet({ name: input.definition.name, definition: JSON.stringify(input.definition), proof_item_ids: proofItemIds, updated_at: deps.now() })).execute();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'data_admin', action: 'exchange.item.upsert', subjectType: 'exchange_item', subjectId: `${providerId}/${code}`, change: { definition: input.definition, proofItemIds } });
  });
  exchangeOf(deps).directory.invalidate();
}

import type { Suite } from '@mianzheng/provider/protocol';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { exchangeOf } from '../adapters/exchange-infra.ts';
import type { ResilienceSettings } from '../domain/directory.ts';
import { directoryAdminScope, lockProviderInScope } from './directory-admin-scope.ts';
import { normaliseEndpoint, providerName, resilienceColumns } from './provider-input.ts';

export interface UpdateProviderInput {
  name?: string;
  endpoint?: string;
  status?: 'active' | 'suspended';
  requestSuite?: Suite;
  resilience?: Partial<ResilienceSettings>;
}

/** Changes a node's endpoint, status (suspend / reactivate), request suite or resilience settings (a node of the administrator's region). */
export async function updateProvider(id: string, patch: UpdateProviderInput, actor: Actor, deps: Deps): Promise<void> {
  const name = patch.name !== undefined ? providerName(patch.name) : undefined;
  const endpoint = patch.endpoint !== undefined ? normaliseEndpoint(patch.endpoint) : undefined;
  const scope = await directoryAdminScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    const before = await lockProviderInScope(trx, id, scope);
    await trx.updateTable('exchange_providers').set({
      ...(name !== undefined ? { name } : {}), ...(endpoint ? { endpoint } : {}), ...(patch.status ? { status: patch.status } : {}),
      ...(patch.requestSuite ? { request_suite: patch.requestSuite } : {}), ...resilienceColumns(patch.resilience), updated_at: deps.now(),
    }).where('id', '=', id).execute();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'data_admin', action: 'exchange.provider.update', subjectType: 'exchange_provider', subjectId: id, change: { before, patch: { ...patch, endpoint } } });
  });
  exchangeOf(deps).directory.invalidate();
}

import { PURPOSES } from '@mianzheng/provider/protocol';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { exchangeOf } from '../adapters/exchange-infra.ts';
import { directoryAdminScope, lockProviderInScope } from './directory-admin-scope.ts';

export interface GrantInput { consumerDepartmentId: string; purposes: string[] }

/**
 * Sets which consumer departments may ask this item, for which purposes (the whole list).
 * The node enforces its own copy (GET …/node-config gives the department the file to deploy).
 * A node of the administrator's region only (403 EXCHANGE.OUT_OF_REGION); the consumer
 * departments may be of any region: who may ask a node is its department's decision.
 */
export async function setItemGrants(providerId: string, code: string, grants: GrantInput[], actor: Actor, deps: Deps): Promise<void> {
  const seen = new Set<string>();
  grants.forEach((g, i) => {
    if (seen.has(g.consumerDepartmentId)) throw new AppError('REQUEST.INVALID', { field: `grants.${i}.consumerDepartmentId`, message: '同一部门只能出现一次', messageEn: 'A department may appear once' });
    seen.add(g.consumerDepartmentId);
    g.purposes.forEach((p, j) => {
      if (!Object.hasOwn(PURPOSES, p)) throw new AppError('EXCHANGE.UNKNOWN_PURPOSE', { field: `grants.${i}.purposes.${j}` });
    });
  });
  const scope = await directoryAdminScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    await lockProviderInScope(trx, providerId, scope);
    const item = await trx.selectFrom('exchange_items').select('code').where('provider_id', '=', providerId).where('code', '=', code).forUpdate().executeTakeFirst();
    if (!item) throw new AppError('EXCHANGE.ITEM_NOT_FOUND', { field: 'code' });
    if (grants.length) {
      const found = await trx.selectFrom('departments').select('id').where('id', 'in', grants.map((g) => g.consumerDepartmentId)).execute();
      const i = grants.findIndex((g) => !found.some((f) => f.id === g.consumerDepartmentId));
      if (i >= 0) throw new AppError('DEPARTMENT.NOT_FOUND', { field: `grants.${i}.consumerDepartmentId` });
    }
    const before = await trx.selectFrom('exchange_grants').selectAll().where('provider_id', '=', providerId).where('item_code', '=', code).execute();
    await trx.deleteFrom('exchange_grants').where('provider_id', '=', providerId).where('item_code', '=', code).execute();
    if (grants.length) {
      await trx.insertInto('exchange_grants').values(grants.map((g) => ({ provider_id: providerId, item_code: code, consumer_department_id: g.consumerDepartmentId, purposes: [...new Set(g.purposes)] }))).execute();
    }
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'data_admin', action: 'exchange.item.grants', subjectType: 'exchange_item', subjectId: `${providerId}/${code}`,
      change: { before: before.map((b) => ({ consumerDepartmentId: b.consumer_department_id, purposes: b.purposes })), after: grants },
    });
  });
  exchangeOf(deps).directory.invalidate();
}

import type { Suite } from '@mianzheng/provider/protocol';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { exchangeOf } from '../adapters/exchange-infra.ts';
import type { ResilienceSettings } from '../domain/directory.ts';
import { assertMayRegisterFor, directoryAdminScope } from './directory-admin-scope.ts';
import { assertDepartment, checkKeys, normaliseEndpoint, providerName, resilienceColumns, type KeyInput } from './provider-input.ts';

export interface RegisterProviderInput {
  id: string;
  name: string;
  departmentId: string;
  endpoint: string;
  requestSuite?: Suite;
  resilience?: Partial<ResilienceSettings>;
  keys: KeyInput[];
}

/**
 * Registers a department's provider node in the directory (items and grants are added next).
 * The department must be of the administrator's region or of one within it (403
 * EXCHANGE.OUT_OF_REGION naming departmentId); the province's administrator registers any.
 */
export async function registerProvider(input: RegisterProviderInput, actor: Actor, deps: Deps): Promise<void> {
  const name = providerName(input.name);
  const endpoint = normaliseEndpoint(input.endpoint);
  const keys = checkKeys(input.keys);
  const scope = await directoryAdminScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    const department = await assertDepartment(trx, input.departmentId, 'departmentId');
    assertMayRegisterFor(scope, department, 'departmentId');
    // ON CONFLICT, not a look first: a registration of the same id committed meanwhile is a 409 too, not a unique violation
    const created = await trx.insertInto('exchange_providers').values({
      id: input.id, name, department_id: input.departmentId, endpoint, request_suite: input.requestSuite ?? 'SM2-SM3',
      ...resilienceColumns(input.resilience), created_at: deps.now(), updated_at: deps.now(),
    }).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    if (!created) throw new AppError('EXCHANGE.DUPLICATE_PROVIDER', { field: 'id' });
    if (keys.length) await trx.insertInto('exchange_provider_keys').values(keys.map((k) => ({ provider_id: input.id, key_id: k.keyId, suite: k.suite, public_key: k.publicKey, added_at: deps.now() }))).execute();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'data_admin', action: 'exchange.provider.register', subjectType: 'exchange_provider', subjectId: input.id, change: { ...input, endpoint, keys } });
  });
  exchangeOf(deps).directory.invalidate();
}

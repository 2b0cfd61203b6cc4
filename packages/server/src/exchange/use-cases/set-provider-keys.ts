import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { exchangeOf } from '../adapters/exchange-infra.ts';
import { directoryAdminScope, lockProviderInScope } from './directory-admin-scope.ts';
import { checkKeys, type KeyInput } from './provider-input.ts';

/**
 * Sets the node's active public keys (key rotation: add the new key, then drop the old one).
 * Keys left out are retired — kept for the record, no longer accepted on answers. A node of the
 * administrator's region only (403 EXCHANGE.OUT_OF_REGION).
 */
export async function setProviderKeys(id: string, keysInput: KeyInput[], actor: Actor, deps: Deps): Promise<void> {
  const keys = checkKeys(keysInput);
  if (keys.length === 0) throw new AppError('EXCHANGE.LAST_KEY', { field: 'keys' });
  const scope = await directoryAdminScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    await lockProviderInScope(trx, id, scope);
    const existing = await trx.selectFrom('exchange_provider_keys').selectAll().where('provider_id', '=', id).execute();
    for (const k of keys) {
      const old = existing.find((e) => e.key_id === k.keyId);
      if (!old) await trx.insertInto('exchange_provider_keys').values({ provider_id: id, key_id: k.keyId, suite: k.suite, public_key: k.publicKey, added_at: deps.now() }).execute();
      else if (old.public_key !== k.publicKey || old.suite !== k.suite) throw new AppError('REQUEST.INVALID', { field: 'keys', message: `密钥 ${k.keyId} 已登记为其他公钥`, messageEn: `Key ${k.keyId} is registered with another public key` });
      else if (old.status !== 'active') await trx.updateTable('exchange_provider_keys').set({ status: 'active' }).where('provider_id', '=', id).where('key_id', '=', k.keyId).execute();
    }
    const retired = existing.filter((e) => e.status === 'active' && !keys.some((k) => k.keyId === e.key_id)).map((e) => e.key_id);
    if (retired.length) await trx.updateTable('exchange_provider_keys').set({ status: 'retired' }).where('provider_id', '=', id).where('key_id', 'in', retired).execute();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'data_admin', action: 'exchange.provider.keys', subjectType: 'exchange_provider', subjectId: id, change: { active: keys, retired } });
  });
  exchangeOf(deps).directory.invalidate();
}

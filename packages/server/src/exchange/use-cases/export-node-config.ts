import type { ConsumerConfig } from '@mianzheng/provider';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { loadDirectory } from '../adapters/directory-store.ts';

/**
 * The consumers part of a node's configuration, from the directory: every department
 * granted an item of this node, with its public key of the node's request suite (created
 * in the keystore when missing) and what it may ask for which purposes. The department
 * deploys it as the node's consumersFile.
 */
export async function exportNodeConfig(providerId: string, deps: Deps): Promise<{ node: string; suite: string; consumers: ConsumerConfig[] }> {
  const { providers, departments } = await loadDirectory(deps.db);
  const p = providers.find((x) => x.id === providerId);
  if (!p) throw new AppError('EXCHANGE.PROVIDER_NOT_FOUND', { field: 'id' });
  const byConsumer = new Map<string, ConsumerConfig['allow']>();
  for (const item of p.items) {
    for (const g of item.grants) {
      let allow = byConsumer.get(g.consumerDepartmentId);
      if (!allow) byConsumer.set(g.consumerDepartmentId, (allow = []));
      allow.push({ item: item.code, purposes: g.purposes });
    }
  }
  const consumers: ConsumerConfig[] = [];
  for (const [id, allow] of [...byConsumer].sort(([a], [b]) => a.localeCompare(b))) {
    const key = await deps.keys.ensureKey(id, p.requestSuite);
    const all = (await deps.keys.publicKeys(id)).filter((k) => k.suite === p.requestSuite && k.status === 'active');
    consumers.push({ id, name: departments.get(id) ?? id, keys: (all.length ? all : [key]).map((k) => ({ keyId: k.keyId, suite: k.suite, publicKey: k.publicKey })), allow });
  }
  return { node: p.id, suite: p.requestSuite, consumers };
}

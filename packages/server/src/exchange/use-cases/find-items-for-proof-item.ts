import type { ItemDefinition } from '@mianzheng/provider/protocol';
import type { Deps } from '../../shared/deps.ts';
import { exchangeOf } from '../adapters/exchange-infra.ts';
import { itemsForProofItem } from '../domain/directory.ts';

export interface ExchangeItemRef {
  providerId: string;
  providerName: string;
  itemCode: string;
  itemName: string;
  definition: ItemDefinition;
  /** purposes the consumer department is granted (empty: not granted) */
  grantedPurposes: string[];
  active: boolean;
}

/**
 * Which data items can satisfy a catalog proof item (e.g. ZM-MAS-HYZK 婚姻状况证明 →
 * node-mas-mz / marriage-status), and whether the consumer department may ask them.
 * The application engine calls this, then queryProvider.
 */
export async function findItemsForProofItem(proofItemId: string, consumerDepartmentId: string, deps: Deps): Promise<ExchangeItemRef[]> {
  const { providers } = await exchangeOf(deps).directory.get();
  return itemsForProofItem(providers, proofItemId).map(({ provider, item }) => ({
    providerId: provider.id, providerName: provider.name, itemCode: item.code, itemName: item.name, definition: item.definition,
    grantedPurposes: item.grants.find((g) => g.consumerDepartmentId === consumerDepartmentId)?.purposes ?? [],
    active: provider.status === 'active' && provider.keys.some((k) => k.status === 'active'),
  }));
}

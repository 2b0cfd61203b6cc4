/**
 * The directory of provider nodes (数据共享目录): which node offers which item, satisfying
 * which proof items, to which consumer departments for which purposes. Pure rules over
 * a loaded directory.
 */
import type { ItemDefinition, Suite } from '@mianzheng/provider/protocol';

export interface ResilienceSettings {
  /** per attempt */
  timeoutMs: number;
  /** attempts per query, retries included (transient failures only) */
  maxAttempts: number;
  /** queries in flight to this provider at once */
  concurrency: number;
  /** consecutive failed attempts that open the breaker */
  breakerThreshold: number;
  /** how long the breaker stays open before a trial call */
  breakerHalfOpenMs: number;
}

export interface ProviderKey { keyId: string; suite: Suite; publicKey: string; status: 'active' | 'retired' }
export interface Grant { consumerDepartmentId: string; consumerName: string; purposes: string[] }

export interface DirectoryItem {
  providerId: string;
  code: string;
  name: string;
  definition: ItemDefinition;
  proofItemIds: string[];
  grants: Grant[];
}

export interface DirectoryProvider {
  id: string;
  name: string;
  departmentId: string;
  departmentName: string;
  endpoint: string;
  status: 'active' | 'suspended';
  requestSuite: Suite;
  resilience: ResilienceSettings;
  keys: ProviderKey[];
  items: DirectoryItem[];
}

export const DEFAULT_RESILIENCE: ResilienceSettings = { timeoutMs: 2000, maxAttempts: 3, concurrency: 32, breakerThreshold: 5, breakerHalfOpenMs: 10_000 };

export type Resolution =
  | { ok: true; provider: DirectoryProvider; item: DirectoryItem }
  | { ok: false; reason: 'not_in_directory' | 'ambiguous_item' };

/**
 * Finds the provider and item for a query: the named provider's item, or — when no
 * provider is named — the one provider offering the code (preferring the one that grants
 * the consumer, when several offer it).
 */
export function resolveItem(directory: readonly DirectoryProvider[], itemCode: string, consumerId: string, providerId?: string): Resolution {
  const offers = directory.flatMap((p) => p.items.filter((i) => i.code === itemCode).map((item) => ({ provider: p, item })))
    .filter((o) => providerId === undefined || o.provider.id === providerId);
  if (offers.length === 0) return { ok: false, reason: 'not_in_directory' };
  if (offers.length === 1) return { ok: true, ...offers[0]! };
  const granted = offers.filter((o) => o.item.grants.some((g) => g.consumerDepartmentId === consumerId));
  if (granted.length === 1) return { ok: true, ...granted[0]! };
  return { ok: false, reason: 'ambiguous_item' };
}

/** Whether the directory lets this consumer ask this item for this purpose; the reason when not. */
export function grantProblem(item: DirectoryItem, consumerId: string, purpose: string): 'consumer_not_allowed' | 'purpose_not_allowed' | undefined {
  const grant = item.grants.find((g) => g.consumerDepartmentId === consumerId);
  if (!grant) return 'consumer_not_allowed';
  if (!grant.purposes.includes(purpose)) return 'purpose_not_allowed';
  return undefined;
}

/** Items that satisfy a catalog proof item (the application engine's entry point). */
export function itemsForProofItem(directory: readonly DirectoryProvider[], proofItemId: string): Array<{ provider: DirectoryProvider; item: DirectoryItem }> {
  return directory.flatMap((p) => p.items.filter((i) => i.proofItemIds.includes(proofItemId)).map((item) => ({ provider: p, item })));
}

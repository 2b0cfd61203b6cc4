import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { exchangeOf } from '../adapters/exchange-infra.ts';
import { loadDirectory } from '../adapters/directory-store.ts';
import type { DirectoryProvider } from '../domain/directory.ts';
import type { ProviderQuality } from '../domain/quality.ts';
import { emptyQuality, getProvidersQuality } from './get-provider-quality.ts';

export interface ProviderView extends DirectoryProvider {
  breaker: string;
  quality: ProviderQuality;
  /** names of the proof items each item satisfies, by id */
  proofItemNames: Record<string, string>;
}

async function proofNames(deps: Deps, providers: DirectoryProvider[]): Promise<Record<string, string>> {
  const ids = [...new Set(providers.flatMap((p) => p.items.flatMap((i) => i.proofItemIds)))];
  if (ids.length === 0) return {};
  const rows = await deps.db.selectFrom('proof_items').select(['id', 'name']).where('id', 'in', ids).execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

/** The directory as the data administrator and supervisor see it: nodes, items, grants, keys, breaker state and quality. */
export async function listProviders(deps: Deps, options: { sinceDays: number }): Promise<ProviderView[]> {
  const { providers } = await loadDirectory(deps.db);
  const [quality, names] = await Promise.all([getProvidersQuality(deps, { sinceDays: options.sinceDays }), proofNames(deps, providers)]);
  return providers.map((p) => ({ ...p, breaker: exchangeOf(deps).client.breakerState(p.id), quality: quality.get(p.id) ?? emptyQuality(deps, options.sinceDays), proofItemNames: names }));
}

export async function getProvider(id: string, deps: Deps, options: { sinceDays: number }): Promise<ProviderView> {
  const { providers } = await loadDirectory(deps.db);
  const p = providers.find((x) => x.id === id);
  if (!p) throw new AppError('EXCHANGE.PROVIDER_NOT_FOUND', { field: 'id' });
  const [quality, names] = await Promise.all([getProvidersQuality(deps, { sinceDays: options.sinceDays, providerId: id }), proofNames(deps, [p])]);
  return { ...p, breaker: exchangeOf(deps).client.breakerState(p.id), quality: quality.get(id) ?? emptyQuality(deps, options.sinceDays), proofItemNames: names };
}

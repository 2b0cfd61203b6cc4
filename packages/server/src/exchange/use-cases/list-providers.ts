import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { exchangeOf } from '../adapters/exchange-infra.ts';
import { loadDirectory } from '../adapters/directory-store.ts';
import type { DirectoryProvider } from '../domain/directory.ts';
import type { ProviderQuality } from '../domain/quality.ts';
import { directoryViewerScope, mayManageRegion, type DirectoryAdminScope } from './directory-admin-scope.ts';
import { findProviderDepartments } from './provider-input.ts';
import { emptyQuality, getProvidersQuality } from './get-provider-quality.ts';

export interface ProviderView extends DirectoryProvider {
  breaker: string;
  quality: ProviderQuality;
  /** names of the proof items each item satisfies, by id */
  proofItemNames: Record<string, string>;
  /** the region of the provider's department (departments.region_code), and its name */
  departmentRegionCode: string;
  departmentRegionName: string | null;
  /** whether the caller may change this node (its items, grants, keys, settings): a data administrator of the department's region or of one above it */
  mayChange: boolean;
}

/** The directory as one caller sees it: every node, each telling whether the caller may change it. */
export interface DirectoryView {
  providers: ProviderView[];
  /** where the caller registers and changes nodes (regionCode null: every department); null for a reader (supervisor) */
  viewer: DirectoryAdminScope | null;
}

async function regionFacts(deps: Deps, providers: DirectoryProvider[], viewer: DirectoryAdminScope | null) {
  const departments = await findProviderDepartments(deps.db, providers.map((p) => p.departmentId));
  return (p: DirectoryProvider) => {
    const d = departments.get(p.departmentId);
    const departmentRegionCode = d?.regionCode ?? '';
    return { departmentRegionCode, departmentRegionName: d?.regionName ?? null, mayChange: viewer !== null && !!d && mayManageRegion(viewer, departmentRegionCode) };
  };
}

async function proofNames(deps: Deps, providers: DirectoryProvider[]): Promise<Record<string, string>> {
  const ids = [...new Set(providers.flatMap((p) => p.items.flatMap((i) => i.proofItemIds)))];
  if (ids.length === 0) return {};
  const rows = await deps.db.selectFrom('proof_items').select(['id', 'name']).where('id', 'in', ids).execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

/**
 * The directory as the data administrator and supervisor see it: nodes, items, grants, keys,
 * breaker state and quality — every node, whatever the caller's region; `mayChange` tells the
 * caller which it may change.
 */
export async function listProviders(deps: Deps, options: { sinceDays: number }, actor: Actor): Promise<DirectoryView> {
  const viewer = await directoryViewerScope(actor, deps);
  const { providers } = await loadDirectory(deps.db);
  const [quality, names, facts] = await Promise.all([getProvidersQuality(deps, { sinceDays: options.sinceDays }), proofNames(deps, providers), regionFacts(deps, providers, viewer)]);
  return {
    viewer,
    providers: providers.map((p) => ({ ...p, breaker: exchangeOf(deps).client.breakerState(p.id), quality: quality.get(p.id) ?? emptyQuality(deps, options.sinceDays), proofItemNames: names, ...facts(p) })),
  };
}

export async function getProvider(id: string, deps: Deps, options: { sinceDays: number }, actor: Actor): Promise<ProviderView> {
  const viewer = await directoryViewerScope(actor, deps);
  const { providers } = await loadDirectory(deps.db);
  const p = providers.find((x) => x.id === id);
  if (!p) throw new AppError('EXCHANGE.PROVIDER_NOT_FOUND', { field: 'id' });
  const [quality, names, facts] = await Promise.all([getProvidersQuality(deps, { sinceDays: options.sinceDays, providerId: id }), proofNames(deps, [p]), regionFacts(deps, [p], viewer)]);
  return { ...p, breaker: exchangeOf(deps).client.breakerState(p.id), quality: quality.get(id) ?? emptyQuality(deps, options.sinceDays), proofItemNames: names, ...facts(p) };
}

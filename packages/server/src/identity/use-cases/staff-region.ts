import type { Deps } from '../../shared/deps.ts';
import type { Actor } from '../domain/roles.ts';

/**
 * The region a member of staff reads region-bound records in (credit records, statistics):
 * the account's region, else its department's; null for an account with neither — a
 * platform-wide supervisor, who reads all. A province (xx0000) covers its cities and districts.
 */
export async function staffRegion(actor: Actor, deps: Pick<Deps, 'db'>): Promise<string | null> {
  if (actor.regionCode) return actor.regionCode;
  if (!actor.departmentId) return null;
  const dept = await deps.db.selectFrom('departments').select('region_code').where('id', '=', actor.departmentId).executeTakeFirstOrThrow();
  return dept.region_code;
}

/**
 * The staff member's region with its name, and whether it is the province: the root of the
 * regions table (no parent), or no region at all (platform-wide). What only the province does —
 * publishing the catalog, entering the State Council's holiday notice — asks for `province`.
 */
export async function staffRegionLevel(actor: Actor, deps: Pick<Deps, 'db'>): Promise<{ regionCode: string | null; regionName: string | null; province: boolean }> {
  const regionCode = await staffRegion(actor, deps);
  if (regionCode === null) return { regionCode: null, regionName: null, province: true };
  const region = await deps.db.selectFrom('regions').select(['name', 'parent_code']).where('code', '=', regionCode).executeTakeFirst();
  return { regionCode, regionName: region?.name ?? null, province: !!region && region.parent_code === null };
}

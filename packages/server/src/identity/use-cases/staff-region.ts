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

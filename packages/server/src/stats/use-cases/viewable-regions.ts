import { regionPrefix, type Actor } from '../../identity/domain/roles.ts';
import { staffRegion } from '../../identity/use-cases/staff-region.ts';
import type { Deps } from '../../shared/deps.ts';

export interface ViewableRegion { code: string; name: string; level: string; parentCode: string | null }

/**
 * The regions `actor` may filter the statistics by — what scopedFilter lets through: the
 * caller's region (the account's, else its department's: staffRegion) and the regions within it;
 * every region for a platform-wide account. `scope` is that region (null: platform-wide), the
 * figures' default.
 */
export async function viewableRegions(actor: Actor, deps: Pick<Deps, 'db'>): Promise<{ scope: ViewableRegion | null; items: ViewableRegion[] }> {
  const scope = await staffRegion(actor, deps);
  let q = deps.db.selectFrom('regions').select(['code', 'name', 'level', 'parent_code']).orderBy('code');
  if (scope !== null) q = q.where('code', 'like', `${regionPrefix(scope)}%`);
  const items = (await q.execute()).map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code }));
  return { scope: scope === null ? null : items.find((r) => r.code === scope) ?? null, items };
}

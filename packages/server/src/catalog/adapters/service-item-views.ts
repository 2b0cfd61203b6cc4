import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { mayChangeRegion, type CatalogAdminScope } from '../domain/admin-scope.ts';
import { loadDraftServiceItems, type DraftServiceItemFilter } from './draft-store.ts';

/**
 * The draft's service items as a catalog administrator sees them: each material with its
 * position and its proof item's name, whether the administrator may change the item, and how
 * many 帮办代办 authorizations in force name it (removing the item ends what they allow for it).
 */
export async function draftServiceItemViews(db: Kysely<DB>, scope: CatalogAdminScope, filter: DraftServiceItemFilter, now: Date) {
  const { items, total } = await loadDraftServiceItems(db, filter);
  const proofIds = [...new Set(items.flatMap((s) => s.materials.flatMap((m) => (m.proofItemId ? [m.proofItemId] : []))))];
  const codes = items.map((s) => s.code);
  const [proofs, authorized] = await Promise.all([
    proofIds.length > 0 ? db.selectFrom('proof_items').select(['id', 'name']).where('id', 'in', proofIds).execute() : [],
    codes.length > 0 ? activeAuthorizationCounts(db, codes, now) : new Map<string, number>(),
  ]);
  const proofName = new Map(proofs.map((p) => [p.id, p.name]));
  return {
    total,
    items: items.map((s) => ({
      ...s,
      materials: s.materials.map((m, i) => ({ ...m, position: i + 1, proofItemName: m.proofItemId ? (proofName.get(m.proofItemId) ?? null) : null })),
      mayChange: mayChangeRegion(scope, s.regionCode),
      activeAuthorizations: authorized.get(s.code) ?? 0,
    })),
  };
}

/** Authorizations in force (active, not yet expired) naming each of these codes. */
async function activeAuthorizationCounts(db: Kysely<DB>, codes: string[], now: Date): Promise<Map<string, number>> {
  const list = sql`ARRAY[${sql.join(codes)}]::text[]`;
  const { rows } = await sql<{ code: string; n: string }>`
    SELECT c.code, count(*) AS n
      FROM agent_authorizations a, unnest(a.service_item_codes) AS c(code)
     WHERE a.status = 'active' AND a.valid_until > ${now} AND a.service_item_codes && ${list} AND c.code = ANY(${list})
     GROUP BY c.code`.execute(db);
  return new Map(rows.map((r) => [r.code, Number(r.n)]));
}

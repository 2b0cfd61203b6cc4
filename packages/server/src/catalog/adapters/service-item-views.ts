import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { mayChangeRegion, type CatalogAdminScope } from '../domain/admin-scope.ts';
import { loadDraftServiceItems, type DraftServiceItemFilter } from './draft-store.ts';

/**
 * The draft's service items as a catalog administrator sees them: each material with its
 * position and its proof item's name, and whether the administrator may change the item.
 */
export async function draftServiceItemViews(db: Kysely<DB>, scope: CatalogAdminScope, filter: DraftServiceItemFilter) {
  const { items, total } = await loadDraftServiceItems(db, filter);
  const proofIds = [...new Set(items.flatMap((s) => s.materials.flatMap((m) => (m.proofItemId ? [m.proofItemId] : []))))];
  const proofs = proofIds.length > 0 ? await db.selectFrom('proof_items').select(['id', 'name']).where('id', 'in', proofIds).execute() : [];
  const proofName = new Map(proofs.map((p) => [p.id, p.name]));
  return {
    total,
    items: items.map((s) => ({
      ...s,
      materials: s.materials.map((m, i) => ({ ...m, position: i + 1, proofItemName: m.proofItemId ? (proofName.get(m.proofItemId) ?? null) : null })),
      mayChange: mayChangeRegion(scope, s.regionCode),
    })),
  };
}

import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { REF, referenceCacheOf } from '../../shared/reference-cache.ts';

/**
 * Sets the proof items a license type satisfies (replacing the previous set). Each proof item
 * must exist in the draft catalog with e_license among its methods and must not be linked to
 * another type.
 */
export async function linkProofItems(code: string, proofItemIds: readonly string[], actor: Actor, deps: Deps): Promise<{ proofItemIds: string[] }> {
  const ids = [...new Set(proofItemIds)];
  await deps.db.transaction().execute(async (trx) => {
    const type = await trx.selectFrom('license_types').select('code').where('code', '=', code).forUpdate().executeTakeFirst();
    if (!type) throw new AppError('LICENSE.TYPE_NOT_FOUND', { field: 'code' });
    if (ids.length > 0) {
      const items = await trx.selectFrom('proof_items').select(['id', 'name', 'methods']).where('id', 'in', ids).execute();
      for (const id of ids) {
        const item = items.find((i) => i.id === id);
        if (!item) throw new AppError('CATALOG.PROOF_ITEM_NOT_FOUND', { field: 'proofItemIds', details: { proofItemId: id } });
        if (!item.methods.includes('e_license')) throw new AppError('LICENSE.PROOF_ITEM_NOT_LICENSE_KIND', { field: 'proofItemIds', details: { proofItemId: id, name: item.name } });
      }
      const elsewhere = await trx.selectFrom('license_type_proof_items').select(['proof_item_id', 'license_type_code']).where('proof_item_id', 'in', ids).where('license_type_code', '!=', code).executeTakeFirst();
      if (elsewhere) throw new AppError('LICENSE.PROOF_ITEM_LINKED_ELSEWHERE', { field: 'proofItemIds', details: { proofItemId: elsewhere.proof_item_id, licenseTypeCode: elsewhere.license_type_code } });
    }
    await trx.deleteFrom('license_type_proof_items').where('license_type_code', '=', code).execute();
    if (ids.length > 0) {
      // another type linking one of these at this moment (committed after the check above): its link stands, this change is refused
      const inserted = await trx.insertInto('license_type_proof_items').values(ids.map((id) => ({ proof_item_id: id, license_type_code: code, linked_at: deps.now(), linked_by: actor.id })))
        .onConflict((oc) => oc.column('proof_item_id').doNothing()).returning('proof_item_id').execute();
      if (inserted.length < ids.length) {
        const taken = await trx.selectFrom('license_type_proof_items').select(['proof_item_id', 'license_type_code']).where('proof_item_id', 'in', ids).where('license_type_code', '!=', code)
          .orderBy('proof_item_id').executeTakeFirstOrThrow();
        throw new AppError('LICENSE.PROOF_ITEM_LINKED_ELSEWHERE', { field: 'proofItemIds', details: { proofItemId: taken.proof_item_id, licenseTypeCode: taken.license_type_code } });
      }
    }
    await appendAudit(trx, { actorId: actor.id, actorRole: 'data_admin', action: 'license.type.link_proof_items', subjectType: 'license_type', subjectId: code, change: { proofItemIds: ids } });
  });
  referenceCacheOf(deps).invalidate(REF.licenseLink);
  return { proofItemIds: ids.sort() };
}

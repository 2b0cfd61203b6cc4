import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { lockDraft, proofItemRow } from '../adapters/draft-store.ts';
import type { ProofItemFields } from '../domain/proof-item.ts';
import { assertMayChangeRegion, assertMayUseDepartment, catalogAdminScope } from './catalog-admin-scope.ts';
import { cleanText } from '../spreadsheet/normalise.ts';
import { assertProofItemValid } from './validate-proof-item.ts';

/**
 * Adds a proof item to the draft list: one of the administrator's region, issued by a department
 * of that region (CATALOG.OUT_OF_REGION naming regionCode, else issuingDepartmentId). The name is
 * cleaned as an import cleans it (cleanText), so an export imported back is the same name.
 */
export async function createProofItem(fields: ProofItemFields, actor: Actor, deps: Deps): Promise<{ id: string }> {
  const input: ProofItemFields = { ...fields, name: cleanText(fields.name) };
  const scope = await catalogAdminScope(actor, deps);
  return deps.db.transaction().execute(async (trx) => {
    await lockDraft(trx);
    const { department } = await assertProofItemValid(trx, input);
    // after the references are checked: an unknown region is 404, not 403
    assertMayChangeRegion(scope, input.regionCode, 'regionCode');
    assertMayUseDepartment(scope, department, 'issuingDepartmentId');
    const { id } = await trx.insertInto('proof_items').values(proofItemRow(input)).returning('id').executeTakeFirstOrThrow();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'catalog_admin', action: 'catalog.proof_item.create', subjectType: 'proof_item', subjectId: id, change: input });
    return { id };
  });
}

import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { lockDraft, proofItemRow } from '../adapters/draft-store.ts';
import type { ExemptionMethod, ProofItemFields, RiskCategory } from '../domain/proof-item.ts';
import { assertMayChangeRegion, assertMayUseDepartment, catalogAdminScope } from './catalog-admin-scope.ts';
import { cleanText } from '../spreadsheet/normalise.ts';
import { assertProofItemValid } from './validate-proof-item.ts';

/**
 * Changes fields of a draft proof item; the rules are checked on the resulting whole item. The item
 * must be of the administrator's region, before and after, and a department it is given must be of
 * that region too (CATALOG.OUT_OF_REGION otherwise). The department an item already has (the
 * province may have given it another city's) stays through other changes.
 */
export async function updateProofItem(id: string, patch: Partial<ProofItemFields>, actor: Actor, deps: Deps): Promise<void> {
  const scope = await catalogAdminScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    await lockDraft(trx);
    const row = await trx.selectFrom('proof_items').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('CATALOG.PROOF_ITEM_NOT_FOUND', { field: 'id' });
    assertMayChangeRegion(scope, row.region_code, 'id');
    const current: ProofItemFields = {
      name: row.name, issuingDepartmentId: row.issuing_department_id, regionCode: row.region_code, legalBasis: row.legal_basis,
      methods: row.methods as ExemptionMethod[], riskCategory: row.risk_category as RiskCategory | null, commitment: row.commitment, notes: row.notes,
    };
    const next: ProofItemFields = { ...current, ...patch, ...(patch.name !== undefined ? { name: cleanText(patch.name) } : {}) };
    const { department } = await assertProofItemValid(trx, next, id);
    assertMayChangeRegion(scope, next.regionCode, 'regionCode');
    if (next.issuingDepartmentId !== current.issuingDepartmentId) assertMayUseDepartment(scope, department, 'issuingDepartmentId');
    await trx.updateTable('proof_items').set({ ...proofItemRow(next), updated_at: deps.now() }).where('id', '=', id).execute();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'catalog_admin', action: 'catalog.proof_item.update', subjectType: 'proof_item', subjectId: id, change: { before: current, after: next } });
  });
}

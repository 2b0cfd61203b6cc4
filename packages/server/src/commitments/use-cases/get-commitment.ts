import type { Actor } from '../../identity/domain/roles.ts';
import { hasRole } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { canRead } from '../../applications/use-cases/access.ts';
import { COMMITMENT_STATEMENTS } from '../domain/commitment-text.ts';

/** A commitment with its notice and text; readable by whoever may read its application, and by the issuing department's staff. */
export async function getCommitment(id: string, actor: Actor, deps: Deps) {
  const c = await deps.db.selectFrom('commitments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw new AppError('COMMITMENT.NOT_FOUND', { field: 'id' });
  const app = await deps.db.selectFrom('applications').selectAll().where('id', '=', c.application_id).executeTakeFirstOrThrow();
  const issuerStaff = hasRole(actor, 'issuer') && actor.departmentId === c.issuing_department_id;
  if (!canRead(app, actor) && !issuerStaff) throw new AppError('APPLICATION.NOT_YOURS', { field: 'id' });
  return {
    id: c.id, applicationId: c.application_id, applicationRef: app.ref, serviceItemName: app.service_item_name, proofItemId: c.proof_item_id, proofItemName: c.proof_item_name,
    applicantName: c.applicant_name, applicantCodeMask: c.applicant_code_mask, notice: c.notice, statements: [...COMMITMENT_STATEMENTS], text: c.text, textDigest: c.text_digest,
    rule: c.rule, status: c.status, createdAt: new Date(c.created_at).toISOString(), signedAt: c.signed_at ? new Date(c.signed_at).toISOString() : null,
    signedVia: c.signed_via, seal: c.seal as { keyId?: string; signature?: string } | null,
    canSign: c.status === 'pending_signature' && c.applicant_account_id === actor.id,
  };
}

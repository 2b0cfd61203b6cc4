import type { Actor } from '../../identity/domain/roles.ts';
import { hasRole } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { assertCanRead } from '../../applications/use-cases/access.ts';
import { COMMITMENT_STATEMENTS } from '../domain/commitment-text.ts';
import type { Selectable } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import type { DB } from '../../db/schema.ts';

type CommitmentRow = Selectable<DB['commitments']>;
const APP_COLUMNS = ['id', 'ref', 'status', 'service_item_name', 'service_item_code', 'applicant_account_id', 'agent_account_id', 'identity_check_id', 'department_id', 'region_code'] as const;
/** What a commitment needs of its application (who may read it, what it is, where it stands). */
export type CommitmentApplication = Pick<Selectable<DB['applications']>, (typeof APP_COLUMNS)[number]>;

/** A commitment and its application, in one round trip. */
export async function loadCommitment(id: string, deps: Deps): Promise<{ c: CommitmentRow; app: CommitmentApplication }> {
  const row = await deps.db.selectFrom('commitments').selectAll('commitments')
    .select((eb) => jsonObjectFrom(eb.selectFrom('applications').select(APP_COLUMNS).whereRef('applications.id', '=', 'commitments.application_id')).as('application'))
    .where('commitments.id', '=', id).executeTakeFirst();
  if (!row || !row.application) throw new AppError('COMMITMENT.NOT_FOUND', { field: 'id' });
  const { application, ...c } = row;
  return { c: c as CommitmentRow, app: application };
}

/** A commitment with its notice and text; readable by whoever may read its application, and by the issuing department's staff. */
export async function getCommitment(id: string, actor: Actor, deps: Deps) {
  const { c, app } = await loadCommitment(id, deps);
  if (!isIssuerStaff(c, actor)) await assertCanRead(app, actor, deps);
  return commitmentView(c, app, actor);
}

function isIssuerStaff(c: Pick<CommitmentRow, 'issuing_department_id'>, actor: Actor): boolean {
  return hasRole(actor, 'issuer') && actor.departmentId === c.issuing_department_id;
}

/** The commitment as `actor` sees it; the caller has checked that the actor may read it (getCommitment, or the signer). */
export function commitmentView(c: CommitmentRow, app: CommitmentApplication, actor: Actor) {
  return {
    id: c.id, applicationId: c.application_id, applicationRef: app.ref, serviceItemName: app.service_item_name, proofItemId: c.proof_item_id, proofItemName: c.proof_item_name,
    applicantName: c.applicant_name, applicantCodeMask: c.applicant_code_mask, notice: c.notice, statements: [...COMMITMENT_STATEMENTS], text: c.text, textDigest: c.text_digest,
    rule: c.rule, status: c.status, createdAt: new Date(c.created_at).toISOString(), signedAt: c.signed_at ? new Date(c.signed_at).toISOString() : null,
    signedVia: c.signed_via, seal: c.seal as { keyId?: string; signature?: string } | null,
    canSign: c.status === 'pending_signature' && c.applicant_account_id === actor.id,
  };
}

import { bytesToHex, canonicalizeToBytes } from '@mianzheng/crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import { hasRole } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { applicationsUsingResolution, lockApplicationsUsing } from '../../applications/adapters/application-store.ts';
import { holdCalendar } from '../../calendar/adapters/official-calendar.ts';
import { notifierOf, settleApplications } from '../../applications/use-cases/settle-application.ts';
import { sql } from 'kysely';
import { applicantContext } from '../../applications/use-cases/resolve-materials.ts';
import type { Attempt } from '../../applications/domain/resolution.ts';
import { getUsableIdentityCheck } from '../../agents/use-cases/check-identity.ts';
import { schedulePostCheck } from '../../credit/use-cases/schedule-post-check.ts';
import { nextCommitmentStatus, type CommitmentStatus } from '../domain/commitment-state.ts';
import { commitmentView, loadCommitment } from './get-commitment.ts';
import { assertCanRead } from '../../applications/use-cases/access.ts';

/** States of an application (or of a bundle member sharing the proof) in which its commitment may be signed. */
const SIGNABLE: readonly string[] = ['awaiting', 'returned'];

export interface SignInput { commitmentId: string; accept: true; identityCheckId?: string }

/**
 * The applicant signs the commitment — only the applicant: through their own account,
 * or, for a walk-in applicant without an account, in person at the window after a
 * current identity check of that same person. An agent can never sign. The platform
 * seals the signing (SM2 over the text digest, signer and time), the material is
 * satisfied, and a post-check is drawn.
 */
export async function signCommitment(input: SignInput, actor: Actor, deps: Deps): Promise<{ status: CommitmentStatus; postCheckScheduled: boolean; commitment: ReturnType<typeof commitmentView> }> {
  const { c, app } = await loadCommitment(input.commitmentId, deps);
  let via: 'own_account' | 'in_person';
  let identityCheckId: string | null = null;
  if (input.identityCheckId) {
    // In person: the helper/clerk presents a fresh identity check of this very applicant, who signs at the window.
    if (c.applicant_account_id || !hasRole(actor, 'clerk', 'agent')) throw new AppError('COMMITMENT.SIGNER_NOT_APPLICANT', { field: 'identityCheckId' });
    // only staff who may read the application (the helper who filed it, a clerk of the department) take the signature
    await assertCanRead(app, actor, deps);
    const check = await getUsableIdentityCheck(input.identityCheckId, actor, deps);
    if (check.subject_code_hash !== c.applicant_code_hash) throw new AppError('COMMITMENT.IDENTITY_CHECK_REQUIRED', { field: 'identityCheckId' });
    via = 'in_person';
    identityCheckId = check.id;
  } else {
    if (!c.applicant_account_id || c.applicant_account_id !== actor.id) throw new AppError('COMMITMENT.SIGNER_NOT_APPLICANT', { field: 'id' });
    via = 'own_account';
  }
  if (input.accept !== true) throw new AppError('COMMITMENT.CONSENT_REQUIRED', { field: 'accept' });
  const next = nextCommitmentStatus(c.status, 'sign');
  if (!next) throw new AppError('COMMITMENT.NOT_PENDING', { field: 'id', details: { status: c.status } });
  // In a bundle the proof is shared: the commitment may be signed while any member that needs it is still open
  // (the member that generated it may have been withdrawn on its own).
  if (!SIGNABLE.includes(app.status)) {
    const users = await applicationsUsingResolution(deps.db, c.resolution_id);
    const open = users.length > 1 ? await deps.db.selectFrom('applications').select('id').where('id', 'in', users).where('status', 'in', ['awaiting', 'returned']).executeTakeFirst() : undefined;
    if (!open) throw new AppError('APPLICATION.INVALID_TRANSITION', { field: 'status', details: { from: app.status, event: 'sign_commitment' } });
  }
  // An active false-commitment credit record withdraws the route, also for a commitment generated before it.
  const { commitmentExcluded } = await applicantContext(c.applicant_code_hash, deps);
  if (commitmentExcluded) throw new AppError('COMMITMENT.EXCLUDED_BY_CREDIT', { field: 'id', message: commitmentExcluded.reason, messageEn: commitmentExcluded.reasonEn });
  const signedAt = deps.now();
  const sealed = { commitmentId: c.id, textDigest: c.text_digest, signer: via === 'own_account' ? actor.id : `in_person:${c.applicant_code_mask}`, signedVia: via, signedAt: signedAt.toISOString(), identityCheckId };
  const { keyId, signature } = await deps.keys.sign('platform', 'SM2-SM3', canonicalizeToBytes(sealed));
  const seal = { ...sealed, suite: 'SM2-SM3', keyId, signature: bytesToHex(signature) };

  let postCheckScheduled = false;
  await deps.db.transaction().execute(async (trx) => {
    // Lock order (as the engine, withdrawing and switching methods): the calendar (the application may
    // now be under review, with a deadline in working days), the applications using the material,
    // its resolution, the commitment; the audit chain last. The state is checked again under the locks.
    await holdCalendar(trx);
    const users = await lockApplicationsUsing(trx, [c.resolution_id]);
    if (!users.some((u) => SIGNABLE.includes(u.status))) {
      const own = users.find((u) => u.id === app.id)?.status ?? app.status;
      throw new AppError('APPLICATION.INVALID_TRANSITION', { field: 'status', details: { from: own, event: 'sign_commitment' } });
    }
    const r = await trx.selectFrom('material_resolutions').selectAll().where('id', '=', c.resolution_id).forUpdate().executeTakeFirstOrThrow();
    const locked = await trx.selectFrom('commitments').select('status').where('id', '=', c.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status !== 'pending_signature') throw new AppError('COMMITMENT.NOT_PENDING', { field: 'id', details: { status: locked.status } });
    await trx.updateTable('commitments').set({ status: 'signed', signed_at: signedAt, signed_by: actor.id, signed_via: via, seal: JSON.stringify(seal) }).where('id', '=', c.id).execute();
    if (r.status === 'awaiting_signature' && r.method === 'commitment') {
      const attempts = [...(r.attempts as Attempt[]), { method: 'commitment' as const, outcome: 'satisfied', reason: via === 'own_account' ? '申请人本人已签署告知承诺书' : '申请人已在窗口核验身份后本人签署', reasonEn: 'signed by the applicant', at: signedAt.toISOString() }];
      await trx.updateTable('material_resolutions').set({
        status: 'satisfied', without_submission: true, resolved_at: signedAt, updated_at: signedAt, attempts: JSON.stringify(attempts),
        evidence: JSON.stringify({ commitmentId: c.id, textDigest: c.text_digest, signedAt: signedAt.toISOString(), signedVia: via, seal: { keyId, signature: seal.signature } }),
        explanation: '已通过“告知承诺”满足：申请人本人已签署告知承诺书。', explanation_en: 'Satisfied by commitment: signed by the applicant.',
      }).where('id', '=', r.id).execute();
    }
    const ps = await schedulePostCheck(trx, {
      commitmentId: c.id, applicationId: app.id, applicationRef: app.ref, proofItemId: c.proof_item_id, proofItemName: c.proof_item_name, issuingDepartmentId: c.issuing_department_id,
      subjectName: c.applicant_name, subjectCodeHash: c.applicant_code_hash, subjectCodeMask: c.applicant_code_mask, samplingRate: c.rule.postCheck.samplingRate,
      withinDays: c.rule.postCheck.withinDays, signedAt,
    });
    postCheckScheduled = ps.sampled;
    if (ps.sampled) {
      // the issuing department's staff learn of the task in their messages (the post-check inbox lists it too)
      const due = new Date(signedAt.getTime() + c.rule.postCheck.withinDays * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
      const staff = await trx.selectFrom('accounts').select('id').where('department_id', '=', c.issuing_department_id).where(sql<boolean>`'issuer' = ANY(roles)`).where('disabled', '=', false).execute();
      for (const s of staff) {
        await notifierOf(deps).notify(trx, {
          recipientAccountId: s.id, kind: 'post_check.assigned', title: `事后核查任务：${c.proof_item_name}`,
          body: `办件 ${app.ref} 中申请人以告知承诺代替的“${c.proof_item_name}”已抽中事后核查，请于 ${due} 前核实并录入结论。`,
          titleEn: `Post-check task: ${c.proof_item_name}`,
          bodyEn: `"${c.proof_item_name}", which the applicant replaced by a commitment in application ${app.ref}, was drawn for a post-check: please verify it and enter the result by ${due}.`,
          link: '/post-checks',
        });
      }
    }
    await appendAudit(trx, {
      actorId: actor.id, actorRole: via === 'own_account' ? 'applicant' : (actor.roles.includes('clerk') ? 'clerk' : 'agent'), onBehalfOf: via === 'in_person' ? `walk-in:${c.applicant_code_mask}` : null,
      action: 'commitment.sign', subjectType: 'commitment', subjectId: c.id, change: { textDigest: c.text_digest, signedVia: via, keyId, postCheck: ps.postCheckId, draw: ps.draw },
    });
    await settleApplications(trx, users.map((u) => u.id), actor, deps);
  });
  // the signed commitment as written (no second read)
  const signed = { ...c, status: 'signed' as const, signed_at: signedAt, signed_by: actor.id, signed_via: via, seal };
  return { status: 'signed', postCheckScheduled, commitment: commitmentView(signed, app, actor) };
}

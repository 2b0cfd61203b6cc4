import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { IDENTITY_CHECK_VALID_MINUTES, type IdentityCheckInput, type IdentityVerifier } from '../domain/identity-check.ts';

export interface IdentityCheckView { id: string; method: string; subjectName: string; subjectCodeMask: string; verified: boolean; checks: { name: string; passed: boolean }[]; checkedAt: string; validUntil: string }

/**
 * Why a walk-in applicant's identity number may be handled: the service hall checks the identity
 * of whoever it files for (the person's own data, for the person's own application).
 */
export const IDENTITY_CHECK_LEGAL_BASIS = '《中华人民共和国居民身份证法》第十四条；《中华人民共和国个人信息保护法》第十三条第一款第（三）项';

/** The input field a failed check is about, the most specific first. */
const FIELD_OF_CHECK: Record<string, string> = {
  id_number_check_digit: 'code', uscc_check_char: 'code', name_present: 'name', document_inspected: 'documentInspected', face_service_connected: 'method',
};
function failedField(errors: readonly string[]): string {
  for (const field of ['code', 'name', 'documentInspected', 'method']) if (errors.some((e) => FIELD_OF_CHECK[e] === field)) return field;
  return 'method';
}

/** A helper or clerk checks the identity of a walk-in applicant (recorded, audited, the number stored sealed). */
export async function checkIdentity(input: IdentityCheckInput, verifier: IdentityVerifier, actor: Actor, deps: Deps): Promise<IdentityCheckView> {
  const code = input.code.trim().toUpperCase();
  const result = await verifier.verify({ ...input, code });
  const p = deps.pii.protect(code, 'identity_check');
  const id = randomUUID();
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('identity_checks').values({
      id, method: verifier.method, subject_name: input.name.trim(), subject_kind: input.kind, subject_code_enc: p.enc, subject_code_hash: p.hash,
      subject_code_mask: p.mask, verified: result.verified, checks: JSON.stringify(result.checks), checked_by: actor.id, checked_at: now,
    }).execute();
    await appendAudit(trx, {
      actorId: actor.id, actorRole: actor.roles.includes('clerk') ? 'clerk' : 'agent', action: 'identity.check', subjectType: 'identity_check', subjectId: id,
      purpose: 'walk_in_application', legalBasis: IDENTITY_CHECK_LEGAL_BASIS, change: { method: verifier.method, verified: result.verified, errors: result.errors, subject: p.mask },
    });
  });
  if (!result.verified) {
    throw new AppError('AGENT.IDENTITY_CHECK_FAILED', { field: failedField(result.errors), details: { id, checks: result.checks } });
  }
  return {
    id, method: verifier.method, subjectName: input.name.trim(), subjectCodeMask: p.mask, verified: true, checks: result.checks, checkedAt: now.toISOString(),
    validUntil: new Date(now.getTime() + IDENTITY_CHECK_VALID_MINUTES * 60_000).toISOString(),
  };
}

/** A verified, current identity check made by this actor (helpers rely only on their own checks). */
export async function getUsableIdentityCheck(id: string, actor: Actor, deps: Deps) {
  const row = await deps.db.selectFrom('identity_checks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.checked_by !== actor.id) throw new AppError('AGENT.IDENTITY_CHECK_NOT_FOUND', { field: 'identityCheckId' });
  if (!row.verified) throw new AppError('AGENT.IDENTITY_CHECK_FAILED', { field: 'identityCheckId' });
  if (deps.now().getTime() - new Date(row.checked_at).getTime() > IDENTITY_CHECK_VALID_MINUTES * 60_000) throw new AppError('AGENT.IDENTITY_CHECK_EXPIRED', { field: 'identityCheckId' });
  return row;
}

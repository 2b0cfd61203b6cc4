import { randomUUID } from 'node:crypto';
import { parseIdentityNumber, parseUscc } from '@mianzheng/crypto';
import { forgetCachedSessionsOf, noticeSessionsChanged } from './authenticate-session.ts';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { hashPassword } from '../adapters/password-hasher.ts';
import type { Actor } from '../domain/roles.ts';
import { PASSWORD_PROBLEM_MESSAGES, passwordProblem } from '../domain/password-rule.ts';
import { identifierConflict, refuseWhileLockedForConflicts } from './registration-throttle.ts';

export interface RegistrationInput {
  username: string;
  password: string;
  displayName: string;
  kind: 'person' | 'enterprise';
  /** GB 11643, for a person. */
  idNumber?: string;
  /** GB 32100, for an enterprise. */
  uscc?: string;
  /** request.ip: counts identifier conflicts (registration-throttle.ts) */
  clientAddress: string;
}

/** Thrown inside the registration's transaction when a verified account holds the identifier: handled once it is rolled back. */
class HeldByVerifiedAccount extends Error {
  constructor(readonly holderId: string) { super('identifier held by a verified account'); }
}

/**
 * Self-registration of an applicant (citizen or enterprise). The identifier is checked by
 * its check character and stored only encrypted, with a keyed hash for lookup and a mask.
 * The account starts `pending` (实名核验): anyone can type a valid number, so until the
 * identity is verified (verifyAccountIdentity) it reaches no personal data. A number held
 * only by another account still pending can be registered anew — that claim is superseded
 * (disabled, its number removed): whoever shows the document at the window keeps it. A number a
 * verified account holds answers 409 IDENTITY.ALREADY_REGISTERED — counted per client address,
 * and refused unlooked-up (429 AUTH.THROTTLED) once the address has met too many
 * (registration-throttle.ts). The account's password counts as set at registration.
 */
export async function registerAccount(input: RegistrationInput, deps: Deps): Promise<Actor> {
  const problem = passwordProblem(input.password, input.username);
  if (problem) {
    const { zh, en } = PASSWORD_PROBLEM_MESSAGES[problem];
    throw new AppError('REQUEST.INVALID', { field: 'password', message: zh, messageEn: en, details: { reason: problem } });
  }
  let idNumber: string | undefined;
  let uscc: string | undefined;
  if (input.kind === 'person') {
    const check = parseIdentityNumber(input.idNumber ?? '');
    if (!check.valid) throw new AppError('IDENTITY.INVALID_ID_NUMBER', { field: 'idNumber', details: { reason: check.error } });
    idNumber = check.value;
  } else {
    const check = parseUscc(input.uscc ?? '');
    if (!check.valid) throw new AppError('IDENTITY.INVALID_USCC', { field: 'uscc', details: { reason: check.error } });
    uscc = check.value;
  }
  const field = input.kind === 'person' ? 'idNumber' : 'uscc';
  // an address that has met too many registered identifiers looks up no more of them
  await refuseWhileLockedForConflicts(input.clientAddress, field, deps);
  const id = randomUUID();
  const protectedId = idNumber ? deps.pii.protect(idNumber, 'id_number') : undefined;
  const passwordHash = await hashPassword(input.password, deps.config.passwordCost);
  let superseded: string | undefined;
  return deps.db.transaction().execute(async (trx): Promise<Actor> => {
    // usernames are unique regardless of case: `Citizen` next to `citizen` would pass for the other at a window or in an authorization
    const taken = await trx.selectFrom('accounts').select('id').where((eb) => eb(eb.fn('lower', ['username']), '=', input.username.toLowerCase())).executeTakeFirst();
    if (taken) throw new AppError('IDENTITY.ALREADY_REGISTERED', { field: 'username' });
    const holder = await trx.selectFrom('accounts').select(['id', 'identity_verification']).where((eb) => eb.or([
      ...(protectedId ? [eb('id_number_hash', '=', protectedId.hash)] : []),
      ...(uscc ? [eb('uscc_hash', '=', deps.pii.lookupHash(uscc))] : []),
    ])).executeTakeFirst();
    if (holder && holder.identity_verification !== 'pending') throw new HeldByVerifiedAccount(holder.id);
    if (holder) {
      await trx.updateTable('accounts').set({ disabled: true, id_number_enc: null, id_number_hash: null, id_number_mask: null, uscc: null, uscc_hash: null }).where('id', '=', holder.id).execute();
      await trx.deleteFrom('sessions').where('account_id', '=', holder.id).execute();
      await noticeSessionsChanged(trx, { accountId: holder.id });
      superseded = holder.id;
      await appendAudit(trx, { actorId: id, actorRole: 'applicant', action: 'identity.account.superseded', subjectType: 'account', subjectId: holder.id, change: { by: id, reason: 'an unverified claim of the same identity number, registered anew' } });
    }
    // The household region from the identity number, when it is one this platform serves.
    const region = idNumber ? await trx.selectFrom('regions').select('code').where('code', '=', idNumber.slice(0, 6)).executeTakeFirst() : undefined;
    const regionCode = region?.code ?? null;
    await trx.insertInto('accounts').values({
      id, username: input.username, display_name: input.displayName, kind: input.kind, password_hash: passwordHash, roles: ['applicant'],
      department_id: null, region_code: regionCode, id_number_enc: protectedId?.enc ?? null,
      id_number_hash: protectedId?.hash ?? null, id_number_mask: protectedId?.mask ?? null, uscc: uscc ?? null,
      uscc_hash: uscc ? deps.pii.lookupHash(uscc) : null, external_subject: null, identity_verification: 'pending', password_changed_at: deps.now(),
    }).execute();
    await appendAudit(trx, {
      actorId: id, actorRole: 'applicant', action: 'identity.account.register', subjectType: 'account', subjectId: id,
      purpose: '实名注册 real-name registration', legalBasis: '《中华人民共和国网络安全法》第二十四条',
      change: { username: input.username, kind: input.kind, idNumberMask: protectedId?.mask ?? null, uscc: uscc ?? null },
    });
    return { id, username: input.username, displayName: input.displayName, kind: input.kind, roles: ['applicant'], departmentId: null, departmentName: null, regionCode, identityVerified: false };
  }).then((actor) => {
    // this instance's cached sessions of the superseded account; the others are told at commit
    if (superseded) forgetCachedSessionsOf(superseded, deps);
    return actor;
  }).catch(async (e: unknown) => {
    const conflict = { clientAddress: input.clientAddress, field, username: input.username, kind: input.kind };
    if (e instanceof HeldByVerifiedAccount) return identifierConflict({ ...conflict, holderId: e.holderId }, deps);
    // two registrations of one username (or identifier) at once: the database's unique index answers the later one
    if ((e as { code?: unknown }).code !== '23505') throw e;
    const on = String((e as { constraint?: unknown }).constraint ?? (e as Error).message);
    if (/username/.test(on)) throw new AppError('IDENTITY.ALREADY_REGISTERED', { field: 'username' });
    return identifierConflict(conflict, deps);
  });
}

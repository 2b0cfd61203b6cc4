import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { appendAuditEntries } from '../../audit/use-cases/append-audit.ts';
import type { AuditInput } from '../../audit/domain/audit-entry.ts';
import { recordFailure, reserveAttempt, THROTTLE } from './login.ts';

/**
 * Registration answers `409 IDENTITY.ALREADY_REGISTERED` on an identity number or USCC a verified
 * account holds — the person is told, so they can recover their account at a window — but one
 * client address may be told so at most `maxConflictsPerAddress` times within the sign-in
 * throttle's window (THROTTLE.windowMinutes); the one that reaches the limit locks the address
 * for THROTTLE.lockMinutes, during which its registrations answer `429 AUTH.THROTTLED` before any
 * number is looked up. Registrations that meet no such number are not counted (a service hall
 * registers many accounts from one address). The counter is a login_attempts row of its own,
 * `register-conflict:<address>`, shared by all instances.
 */
export const REGISTRATION_THROTTLE = { maxConflictsPerAddress: 5 } as const;

function keyOf(clientAddress: string): string {
  return `register-conflict:${clientAddress}`;
}

function throttled(field: string): AppError {
  return new AppError('AUTH.THROTTLED', {
    field,
    message: '从您所在网络地址注册时遇到已注册证件的次数过多，请稍后再试；如需找回账号，请携带本人证件到政务服务大厅窗口办理',
    messageEn: 'Too many registrations from your network address met an identity already registered; try again later, or recover your account at a service-hall window with your identity document',
  });
}

/** Throws `AUTH.THROTTLED` (on `field`) while the client address is locked for identifier conflicts; reads no account. */
export async function refuseWhileLockedForConflicts(clientAddress: string, field: string, deps: Deps): Promise<void> {
  const row = await deps.db.selectFrom('login_attempts').select('locked_until').where('key', '=', keyOf(clientAddress)).executeTakeFirst();
  if (row?.locked_until && new Date(row.locked_until) > deps.now()) throw throttled(field);
}

export interface IdentifierConflict {
  clientAddress: string;
  /** idNumber or uscc */
  field: string;
  username: string;
  kind: 'person' | 'enterprise';
  /** the account holding the identifier, when known (not when a concurrent registration's unique index answered) */
  holderId?: string;
}

/**
 * A registration met an identifier already registered: counts it against the client address
 * (atomically, so probes sent at once cannot all be told) and throws `409
 * IDENTITY.ALREADY_REGISTERED` within the limit, `429 AUTH.THROTTLED` beyond it. Telling whether a
 * person's number is registered is a use of their data: audited as `identity.registration_conflict`
 * on the holder's account; the conflict that locks the address as `auth.registration_throttled`
 * (once per lock: the refusals while locked are not audited one by one).
 */
export async function identifierConflict(conflict: IdentifierConflict, deps: Deps): Promise<never> {
  const key = keyOf(conflict.clientAddress);
  const max = REGISTRATION_THROTTLE.maxConflictsPerAddress;
  const place = await reserveAttempt(deps, key, max);
  // locked meanwhile, or the limit reached by probes sent at once: not told
  if (typeof place !== 'number') throw throttled(conflict.field);
  const lockedUntil = await recordFailure(deps, key, place, max);
  const entries: AuditInput[] = [{
    actorId: null, actorRole: null, action: 'identity.registration_conflict',
    ...(conflict.holderId ? { subjectType: 'account', subjectId: conflict.holderId } : { subjectType: 'client_address', subjectId: conflict.clientAddress }),
    purpose: '实名注册 real-name registration', legalBasis: '《中华人民共和国网络安全法》第二十四条',
    change: { clientAddress: conflict.clientAddress, username: conflict.username, kind: conflict.kind, field: conflict.field, conflictsInWindow: place },
  }];
  if (lockedUntil) {
    entries.push({
      actorId: null, actorRole: null, action: 'auth.registration_throttled', subjectType: 'client_address', subjectId: conflict.clientAddress,
      change: { lockedUntil: lockedUntil.toISOString(), conflicts: place, windowMinutes: THROTTLE.windowMinutes },
    });
  }
  await deps.db.transaction().execute((trx) => appendAuditEntries(trx, entries));
  throw new AppError('IDENTITY.ALREADY_REGISTERED', { field: conflict.field });
}

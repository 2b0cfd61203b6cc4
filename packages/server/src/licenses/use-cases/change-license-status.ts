import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { nextStatus, type LicenseStatus, type StatusAction } from '../domain/license-status.ts';
import { getLicenseRow } from '../adapters/license-store.ts';

/**
 * Suspends, reinstates or revokes a license, following the transition table; only staff of
 * the issuing department may, and always with a reason. The issuer's status list reflects the
 * change at its next fetch.
 */
export async function changeLicenseStatus(licenseId: string, input: { action: StatusAction; reason: string }, actor: Actor, deps: Deps): Promise<{ id: string; identifier: string; from: LicenseStatus; status: LicenseStatus; at: string }> {
  const reason = input.reason.trim();
  if (reason.length < 2) throw new AppError('REQUEST.INVALID', { field: 'reason', message: '请填写原因', messageEn: 'A reason is required' });
  const found = await getLicenseRow(deps.db, licenseId);
  if (actor.departmentId !== found.issuer_department_id) throw new AppError('AUTH.OUT_OF_SCOPE', { field: 'id' });
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('licenses').select(['id', 'identifier', 'status']).where('id', '=', licenseId).forUpdate().executeTakeFirstOrThrow();
    const to = nextStatus(row.status, input.action);
    if (!to) throw new AppError('LICENSE.TRANSITION_NOT_ALLOWED', { field: 'action', details: { from: row.status, action: input.action } });
    const at = deps.now();
    await trx.updateTable('licenses').set({ status: to }).where('id', '=', licenseId).execute();
    await trx.insertInto('license_status_events').values({ id: randomUUID(), license_id: licenseId, at, action: input.action, from_status: row.status, to_status: to, reason, actor_id: actor.id }).execute();
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'issuer', action: `license.${input.action}`, subjectType: 'license', subjectId: row.identifier,
      change: { licenseId, from: row.status, to, reason },
    });
    return { id: licenseId, identifier: row.identifier, from: row.status, status: to, at: at.toISOString() };
  });
}

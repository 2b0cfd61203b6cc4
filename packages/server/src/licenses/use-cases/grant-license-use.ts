import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { grantState, MAX_GRANT_DAYS, type GrantState } from '../domain/grant.ts';
import { chinaDate } from '../domain/license-document.ts';
import { hasUnprintable } from '../domain/license-type.ts';
import { findDepartment, getLicenseRow, holderHashOf, isUuid, type LicenseRow } from '../adapters/license-store.ts';

export interface GrantView {
  id: string; licenseId: string; department: { id: string; name: string }; serviceItemCode: string | null; serviceItemName: string | null;
  applicationRef: string | null; purpose: string; validUntil: string; createdAt: string; revokedAt: string | null; state: GrantState;
}

/** The license, if the actor holds it (their identity-number/USCC hash is the holder hash); else 404/403. */
export async function getHeldLicense(licenseId: string, actor: Actor, deps: Deps): Promise<{ row: LicenseRow; holderHash: string }> {
  const row = await getLicenseRow(deps.db, licenseId);
  const holderHash = await holderHashOf(deps.db, actor.id);
  if (!holderHash || holderHash !== row.holder_hash) throw new AppError('LICENSE.NOT_HOLDER', { field: 'id' });
  return { row, holderHash };
}

export interface GrantInput { departmentId: string; serviceItemCode?: string; applicationRef?: string; purpose?: string; validUntil: string }

/**
 * 用证授权: the holder lets one department use one license — this one, named by its id — for one
 * service item or one application, until a time (at most a year ahead). Not for a revoked or
 * expired license. A department that asks by holder and type reads the license granted
 * (read-license-under-grant.ts), never another of the same type.
 */
export async function grantLicenseUse(licenseId: string, input: GrantInput, actor: Actor, deps: Deps): Promise<GrantView> {
  const { row, holderHash } = await getHeldLicense(licenseId, actor, deps);
  const dept = await findDepartment(deps.db, input.departmentId);
  if (!dept) throw new AppError('DEPARTMENT.NOT_FOUND', { field: 'departmentId' });
  const serviceItemCode = input.serviceItemCode?.trim() || null;
  const applicationRef = input.applicationRef?.trim() || null;
  // the holder reads both in their wallet and the department's staff in the access log
  for (const [field, text] of [['applicationRef', applicationRef], ['purpose', input.purpose]] as const) {
    if (text && (hasUnprintable(text) || /[\r\n\t]/.test(text))) {
      throw new AppError('LICENSE.GRANT_INVALID', { field, message: `${field === 'purpose' ? '用途说明' : '办件编号'}不能包含控制字符或换行`, messageEn: `${field} must not contain control characters or line breaks` });
    }
  }
  if (!serviceItemCode && !applicationRef) throw new AppError('LICENSE.GRANT_INVALID', { field: 'serviceItemCode', message: '请指定授权用于的事项或办件', messageEn: 'Name the service item or application the grant is for' });
  let serviceItemName: string | null = null;
  if (serviceItemCode) {
    const s = await deps.db.selectFrom('service_items').select(['name']).where('code', '=', serviceItemCode).executeTakeFirst();
    if (!s) throw new AppError('CATALOG.SERVICE_ITEM_NOT_FOUND', { field: 'serviceItemCode' });
    serviceItemName = s.name;
  }
  const now = deps.now();
  const until = new Date(input.validUntil);
  if (Number.isNaN(until.getTime()) || until <= now || until.getTime() - now.getTime() > MAX_GRANT_DAYS * 86_400_000) {
    throw new AppError('LICENSE.GRANT_INVALID', { field: 'validUntil', message: `授权截止时间应晚于现在且不超过 ${MAX_GRANT_DAYS} 天`, messageEn: `validUntil must be in the future and at most ${MAX_GRANT_DAYS} days ahead` });
  }
  if (row.status === 'revoked') throw new AppError('LICENSE.REVOKED', { field: 'id' });
  // a license past its validity period can no longer be used: a grant of it would only stand in the way of the one that can
  if (row.valid_until !== null && chinaDate(now) > row.valid_until) throw new AppError('LICENSE.EXPIRED', { field: 'id' });
  const purpose = input.purpose?.trim() || (serviceItemName ? `办理“${serviceItemName}”` : `办件 ${applicationRef}`);
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('license_grants').values({
      id, license_id: licenseId, holder_hash: holderHash, department_id: dept.id, service_item_code: serviceItemCode, application_ref: applicationRef,
      purpose: purpose.slice(0, 200), valid_until: until, created_at: now, created_by: actor.id, revoked_at: null,
    }).execute();
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'applicant', action: 'license.grant', subjectType: 'license', subjectId: row.identifier,
      change: { grantId: id, departmentId: dept.id, serviceItemCode, applicationRef, validUntil: until.toISOString() },
    });
  });
  return {
    id, licenseId, department: { id: dept.id, name: dept.name }, serviceItemCode, serviceItemName, applicationRef, purpose: purpose.slice(0, 200),
    validUntil: until.toISOString(), createdAt: now.toISOString(), revokedAt: null, state: 'live',
  };
}

/** The holder withdraws a grant; later reads under it fail with grant_revoked. */
export async function revokeLicenseGrant(grantId: string, actor: Actor, deps: Deps): Promise<{ id: string; revokedAt: string }> {
  const holderHash = await holderHashOf(deps.db, actor.id);
  if (!isUuid(grantId)) throw new AppError('LICENSE.GRANT_NOT_FOUND', { field: 'id' });
  return deps.db.transaction().execute(async (trx) => {
    const g = await trx.selectFrom('license_grants').select(['id', 'holder_hash', 'revoked_at', 'license_id']).where('id', '=', grantId).forUpdate().executeTakeFirst();
    if (!g || !holderHash || g.holder_hash !== holderHash) throw new AppError('LICENSE.GRANT_NOT_FOUND', { field: 'id' });
    if (g.revoked_at) throw new AppError('LICENSE.GRANT_ALREADY_REVOKED', { field: 'id' });
    const now = deps.now();
    await trx.updateTable('license_grants').set({ revoked_at: now }).where('id', '=', grantId).execute();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'applicant', action: 'license.grant.revoke', subjectType: 'license_grant', subjectId: grantId, change: { licenseId: g.license_id } });
    return { id: grantId, revokedAt: now.toISOString() };
  });
}

/** Grants of the holder's licenses (or of one license), newest first. */
export async function listGrants(holderHash: string, deps: Deps, licenseId?: string): Promise<GrantView[]> {
  let q = deps.db.selectFrom('license_grants')
    .innerJoin('departments', 'departments.id', 'license_grants.department_id')
    .leftJoin('service_items', 'service_items.code', 'license_grants.service_item_code')
    .select(['license_grants.id', 'license_grants.license_id', 'license_grants.department_id', 'departments.name as department_name', 'license_grants.service_item_code',
      'service_items.name as service_item_name', 'license_grants.application_ref', 'license_grants.purpose', 'license_grants.valid_until', 'license_grants.created_at', 'license_grants.revoked_at'])
    .where('license_grants.holder_hash', '=', holderHash);
  if (licenseId) q = q.where('license_grants.license_id', '=', licenseId);
  const rows = await q.orderBy('license_grants.created_at', 'desc').execute();
  const now = deps.now();
  return rows.map((r) => ({
    id: r.id, licenseId: r.license_id, department: { id: r.department_id, name: r.department_name }, serviceItemCode: r.service_item_code, serviceItemName: r.service_item_name ?? null,
    applicationRef: r.application_ref, purpose: r.purpose, validUntil: new Date(r.valid_until).toISOString(), createdAt: new Date(r.created_at).toISOString(),
    revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    state: grantState({ validUntil: new Date(r.valid_until), revokedAt: r.revoked_at ? new Date(r.revoked_at) : null }, now),
  }));
}

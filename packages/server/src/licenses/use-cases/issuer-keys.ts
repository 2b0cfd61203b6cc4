import type { SuiteId } from '@mianzheng/crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import { hasRole, type Actor } from '../../identity/domain/roles.ts';
import type { PublicKeyInfo } from '../../keys/domain/key-store.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { findDepartmentByUscc } from '../adapters/license-store.ts';

/** The platform's own signing identity (presentations are signed by it on the holder's behalf). */
export const PLATFORM_OWNER = 'platform';
export const PLATFORM_ISSUER = { code: 'platform', name: '免证平台(亮证签名)', departmentId: PLATFORM_OWNER } as const;

export interface IssuerKeySet { issuer: { code: string; name: string; departmentId: string }; keys: PublicKeyInfo[] }

/** Public keys of an issuer (by USCC) or of the platform (`platform`): active and retired, newest first. */
export async function listIssuerKeys(code: string, deps: Deps): Promise<IssuerKeySet> {
  if (code === PLATFORM_ISSUER.code) return { issuer: { ...PLATFORM_ISSUER }, keys: await deps.keys.publicKeys(PLATFORM_OWNER) };
  const dept = await findDepartmentByUscc(deps.db, code);
  if (!dept) throw new AppError('LICENSE.ISSUER_NOT_FOUND', { field: 'code' });
  return { issuer: { code: dept.uscc, name: dept.name, departmentId: dept.id }, keys: await deps.keys.publicKeys(dept.id) };
}

/** Departments that issue at least one license type, plus any holding signing keys. */
export async function listIssuers(deps: Deps): Promise<{ code: string; name: string; departmentId: string; regionCode: string }[]> {
  const types = await deps.db.selectFrom('license_types').select('issuing_department_ids').execute();
  const ids = new Set(types.flatMap((t) => t.issuing_department_ids));
  const keyed = await deps.db.selectFrom('signing_keys').select('owner_id').distinct().execute();
  for (const k of keyed) ids.add(k.owner_id);
  if (ids.size === 0) return [];
  const rows = await deps.db.selectFrom('departments').select(['id', 'uscc', 'name', 'region_code']).where('id', 'in', [...ids]).orderBy('id').execute();
  return rows.map((r) => ({ code: r.uscc, name: r.name, departmentId: r.id, regionCode: r.region_code }));
}

/**
 * Rotates an issuer's key: the old one is retired (still valid for verifying what it signed),
 * a new one signs from now on. Issuer staff rotate their own department's; data admins any.
 */
export async function rotateIssuerKey(code: string, suite: SuiteId, actor: Actor, deps: Deps): Promise<PublicKeyInfo> {
  const dept = await findDepartmentByUscc(deps.db, code);
  if (!dept) throw new AppError('LICENSE.ISSUER_NOT_FOUND', { field: 'code' });
  if (!hasRole(actor, 'data_admin') && actor.departmentId !== dept.id) throw new AppError('AUTH.OUT_OF_SCOPE', { field: 'code' });
  const info = await deps.keys.rotate(dept.id, suite);
  await deps.db.transaction().execute((trx) => appendAudit(trx, {
    actorId: actor.id, actorRole: hasRole(actor, 'data_admin') ? 'data_admin' : 'issuer', action: 'license.key.rotate', subjectType: 'signing_key', subjectId: info.keyId,
    change: { ownerId: dept.id, suite, publicKey: info.publicKey },
  }));
  return info;
}

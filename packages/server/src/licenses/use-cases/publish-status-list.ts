import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { packStatusList, STATUS_VALUE } from '../domain/license-status.ts';
import { findDepartmentByUscc, statusListUri } from '../adapters/license-store.ts';
import { buildStatusListToken } from '../adapters/status-list-token.ts';

/**
 * The issuer's current IETF Token Status List, signed with its SM2-SM3 key: 2 bits per license
 * index, DEFLATE-compressed. Built from the registry on each call (cheap: only non-valid rows
 * are read); HTTP caches may keep it for the token's ttl.
 */
export async function publishStatusList(issuerCode: string, deps: Deps): Promise<{ token: string; size: number; issuedAt: string }> {
  const dept = await findDepartmentByUscc(deps.db, issuerCode);
  if (!dept) throw new AppError('LICENSE.ISSUER_NOT_FOUND', { field: 'code' });
  const [list, flagged] = await Promise.all([
    deps.db.selectFrom('license_status_lists').select('next_index').where('issuer_department_id', '=', dept.id).executeTakeFirst(),
    deps.db.selectFrom('licenses').select(['status_index', 'status']).where('issuer_department_id', '=', dept.id).where('status', '!=', 'valid').execute(),
  ]);
  const size = list?.next_index ?? 0;
  const bytes = packStatusList(new Map(flagged.map((r) => [r.status_index, STATUS_VALUE[r.status]])), size);
  const now = deps.now();
  const key = await deps.keys.ensureKey(dept.id, 'SM2-SM3');
  const token = await buildStatusListToken({ issuerCode, uri: statusListUri(issuerCode), bytes, now, suite: 'SM2-SM3' }, (m) => deps.keys.sign(dept.id, 'SM2-SM3', m), key.keyId);
  return { token, size, issuedAt: now.toISOString() };
}

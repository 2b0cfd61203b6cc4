import type { Deps } from '../../shared/deps.ts';
import { sha256Hex } from '../../shared/hash.ts';
import type { Actor, Role } from '../domain/roles.ts';

/** The actor behind a session token, or undefined when the token is unknown or expired. */
export async function findActorByToken(token: string, deps: Pick<Deps, 'db' | 'now'>): Promise<Actor | undefined> {
  const row = await deps.db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .leftJoin('departments', 'departments.id', 'accounts.department_id')
    .select([
      'accounts.id', 'accounts.username', 'accounts.display_name', 'accounts.kind', 'accounts.roles', 'accounts.department_id',
      'accounts.region_code', 'departments.name as department_name', 'sessions.expires_at',
    ])
    .where('sessions.token_hash', '=', sha256Hex(token))
    .where('accounts.disabled', '=', false)
    .executeTakeFirst();
  if (!row || new Date(row.expires_at) <= deps.now()) return undefined;
  return {
    id: row.id, username: row.username, displayName: row.display_name, kind: row.kind, roles: row.roles as Role[],
    departmentId: row.department_id, departmentName: row.department_name ?? null, regionCode: row.region_code,
  };
}

export async function logout(token: string, deps: Pick<Deps, 'db'>): Promise<void> {
  await deps.db.deleteFrom('sessions').where('token_hash', '=', sha256Hex(token)).execute();
}

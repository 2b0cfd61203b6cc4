export const ROLES = ['applicant', 'agent', 'clerk', 'issuer', 'catalog_admin', 'data_admin', 'supervisor', 'verifier'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  applicant: { zh: '申请人', en: 'Applicant' },
  agent: { zh: '帮办代办人员', en: 'Agent' },
  clerk: { zh: '窗口人员', en: 'Window clerk' },
  issuer: { zh: '证明开具部门人员', en: 'Issuing department staff' },
  catalog_admin: { zh: '清单管理员（司法局）', en: 'Catalog administrator (justice bureau)' },
  data_admin: { zh: '数据管理员（数据资源局）', en: 'Data administrator (data bureau)' },
  supervisor: { zh: '督查人员', en: 'Supervisor' },
  verifier: { zh: '第三方核验方', en: 'Third-party verifier' },
};

export type AccountKind = 'person' | 'enterprise' | 'staff';

/** The authenticated caller of a use case. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  kind: AccountKind;
  roles: Role[];
  departmentId: string | null;
  departmentName: string | null;
  regionCode: string | null;
  /** false for a self-registered account whose identity has not been verified (实名核验) yet; absent = verified */
  identityVerified?: boolean;
  /** true for a staff-side account whose password is older than PASSWORD_MAX_AGE_DAYS: it may only change it (等保 2.0 定期更换); absent = not expired */
  passwordExpired?: boolean;
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

const SERVICE_PREFIX = 'service:';

/**
 * The accepting department's application system (办件系统), acting as a window clerk of that
 * department when the application engine reads a license or queries a provider for an
 * application it is resolving. Never an account: it cannot log in.
 */
export function departmentServiceActor(departmentId: string, departmentName: string): Actor {
  return { id: `${SERVICE_PREFIX}${departmentId}`, username: `${SERVICE_PREFIX}${departmentId}`, displayName: `${departmentName}（办件系统）`, kind: 'staff', roles: ['clerk'], departmentId, departmentName, regionCode: null };
}

/** True for the actor of departmentServiceActor(): the engine, bound to the application it resolves. */
export function isServiceActor(actor: Actor): boolean {
  return actor.id.startsWith(SERVICE_PREFIX);
}

/** The first of the actor's roles that permits an action, recorded in the audit log. */
export function actingRole(actor: Actor, allowed: readonly Role[]): Role | null {
  return actor.roles.find((r) => allowed.includes(r)) ?? null;
}

/**
 * The code prefix every region within `region` starts with: 2 digits for a province (xx0000),
 * 4 for a city (xxxx00), the whole code for a district — for `LIKE '<prefix>%'` and startsWith.
 */
export function regionPrefix(region: string): string {
  return region.endsWith('0000') ? region.slice(0, 2) : region.endsWith('00') ? region.slice(0, 4) : region;
}

/** Whether a staff member scoped to `scopeRegion` may act in `region` (same region or one of its subdivisions). */
export function regionWithin(region: string, scopeRegion: string): boolean {
  return region.startsWith(regionPrefix(scopeRegion));
}

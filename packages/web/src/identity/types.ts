export const roles = [
  'applicant',
  'agent',
  'clerk',
  'issuer',
  'catalog_admin',
  'data_admin',
  'supervisor',
  'verifier',
] as const;

export type Role = (typeof roles)[number];

export interface User {
  id: string;
  username: string;
  displayName: string;
  kind: 'person' | 'enterprise' | 'staff';
  roles: Role[];
  departmentId?: string;
  departmentName?: string;
  regionCode?: string;
  /** false for a self-registered account whose identity is not verified yet (实名核验) */
  identityVerified?: boolean;
  /** true for a staff account whose password is past its maximum age (等保 定期更换): until it is changed, nothing else answers */
  passwordExpired?: boolean;
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

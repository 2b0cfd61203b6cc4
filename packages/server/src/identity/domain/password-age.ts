import type { Role } from './roles.ts';

/**
 * 等保 2.0 (定期更换): a password is changed at least every `maxAgeDays` days — on staff-side
 * accounts, i.e. any account holding a role other than `applicant` (staff, 帮办代办人员, third-party
 * verifiers), which reach other people's data. Applicants (citizens, enterprises) are not made
 * to. `maxAgeDays` 0: passwords do not expire.
 */
export function passwordExpired(roles: readonly Role[], changedAt: Date, now: Date, maxAgeDays: number): boolean {
  if (maxAgeDays <= 0 || !roles.some((r) => r !== 'applicant')) return false;
  return now.getTime() - changedAt.getTime() > maxAgeDays * 86_400_000;
}

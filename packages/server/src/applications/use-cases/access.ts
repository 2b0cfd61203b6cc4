import { hasRole, regionWithin, type Actor } from '../../identity/domain/roles.ts';
import { AppError } from '../../shared/errors.ts';
import type { ApplicationRow } from '../adapters/application-store.ts';

/** The applicant's side of an application: the applicant's own account, or the agent/helper who filed it. */
export function isApplicantSide(app: Pick<ApplicationRow, 'applicant_account_id' | 'agent_account_id'>, actor: Actor): boolean {
  return (app.applicant_account_id !== null && app.applicant_account_id === actor.id) || (app.agent_account_id !== null && app.agent_account_id === actor.id);
}

/** Who may read an application: its applicant side, a clerk of the accepting department, a supervisor of the region. */
export function canRead(app: Pick<ApplicationRow, 'applicant_account_id' | 'agent_account_id' | 'department_id' | 'region_code'>, actor: Actor): boolean {
  if (isApplicantSide(app, actor)) return true;
  if (hasRole(actor, 'clerk') && actor.departmentId === app.department_id) return true;
  if (hasRole(actor, 'supervisor') && (!actor.regionCode || regionWithin(app.region_code, actor.regionCode))) return true;
  return false;
}

export function assertCanRead(app: ApplicationRow, actor: Actor): void {
  if (!canRead(app, actor)) throw new AppError('APPLICATION.NOT_YOURS', { field: 'id' });
}

export function assertApplicantSide(app: ApplicationRow, actor: Actor): void {
  if (!isApplicantSide(app, actor)) throw new AppError('APPLICATION.NOT_YOURS', { field: 'id' });
}

export function assertClerkOf(app: ApplicationRow, actor: Actor): void {
  if (!hasRole(actor, 'clerk') || actor.departmentId !== app.department_id) throw new AppError('AUTH.OUT_OF_SCOPE', { field: 'id', message: `该办件由${app.department_name}受理,不在您所在部门的范围内`, messageEn: `The application belongs to ${app.department_name}` });
}

/** How the actor appears in audit entries: an agent acts on behalf of the applicant (logged in both names). */
export function auditActor(app: Pick<ApplicationRow, 'applicant_account_id' | 'agent_account_id' | 'applicant_code_mask'>, actor: Actor): { actorId: string; actorRole: string; onBehalfOf: string | null } {
  const role = actor.roles.includes('applicant') && app.applicant_account_id === actor.id ? 'applicant'
    : actor.roles.includes('agent') ? 'agent' : actor.roles.includes('clerk') ? 'clerk' : actor.roles[0] ?? 'unknown';
  const onBehalf = app.applicant_account_id === actor.id ? null : (app.applicant_account_id ?? `walk-in:${app.applicant_code_mask}`);
  return { actorId: actor.id, actorRole: role, onBehalfOf: role === 'agent' || (role === 'clerk' && app.agent_account_id === actor.id) ? onBehalf : null };
}

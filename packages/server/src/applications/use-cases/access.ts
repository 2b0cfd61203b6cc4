import { hasRole, regionWithin, type Actor } from '../../identity/domain/roles.ts';
import { AppError } from '../../shared/errors.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Deps } from '../../shared/deps.ts';
import { authorizationCovers } from '../../agents/domain/authorization.ts';
import { staffRegion } from '../../identity/use-cases/staff-region.ts';
import type { ApplicationRow } from '../adapters/application-store.ts';

/** The applicant's side of an application: the applicant's own account, or the agent/helper who filed it. */
export function isApplicantSide(app: Pick<ApplicationRow, 'applicant_account_id' | 'agent_account_id'>, actor: Actor): boolean {
  return (app.applicant_account_id !== null && app.applicant_account_id === actor.id) || (app.agent_account_id !== null && app.agent_account_id === actor.id);
}

type MandateRow = Pick<ApplicationRow, 'applicant_account_id' | 'agent_account_id' | 'identity_check_id' | 'service_item_code'>;

/**
 * Whether the actor is this application's agent only by an authorisation that no longer
 * covers it: the applicant revoked it, it expired, or it no longer names this service item.
 * Revoking ends the agent's part in applications already filed — acting and reading alike.
 * A walk-in filing (the helper checked the applicant's identity in person) is the helper's
 * case and stays theirs; the applicant's own account is never affected.
 */
export async function agentMandateEnded(app: MandateRow, actor: Pick<Actor, 'id'>, deps: Deps, db: Kysely<DB> = deps.db): Promise<boolean> {
  if (app.agent_account_id !== actor.id || app.applicant_account_id === actor.id) return false;
  if (app.identity_check_id !== null || app.applicant_account_id === null) return false;
  const auths = await db.selectFrom('agent_authorizations').select(['status', 'valid_from', 'valid_until', 'service_item_codes'])
    .where('agent_account_id', '=', actor.id).where('principal_account_id', '=', app.applicant_account_id).where('status', '=', 'active').execute();
  return !auths.some((a) => authorizationCovers({ status: a.status, validFrom: new Date(a.valid_from), validUntil: new Date(a.valid_until), serviceItemCodes: a.service_item_codes }, [app.service_item_code], deps.now()));
}

/**
 * Whom the application's progress is told to (in-app notifications): the applicant's account, and
 * the agent or helper who files for them while their mandate still covers it ({@link agentMandateEnded})
 * — an agent whose authorisation ended is told nothing more of it. Inside a transaction, pass it as `db`.
 */
export async function notificationRecipients(app: MandateRow, deps: Deps, db: Kysely<DB> = deps.db): Promise<string[]> {
  const recipients = app.applicant_account_id !== null ? [app.applicant_account_id] : [];
  const agent = app.agent_account_id;
  if (agent !== null && !recipients.includes(agent) && !(await agentMandateEnded(app, { id: agent }, deps, db))) recipients.push(agent);
  return recipients;
}

type StaffView = Pick<ApplicationRow, 'department_id' | 'region_code' | 'status'>;

/**
 * Reading as staff, whatever else the actor is: a clerk of the accepting department, or a
 * supervisor of the region — with the supervisor's region as everywhere else (staffRegion): the
 * account's, else its department's; a supervisor bound to a department reads that region's
 * applications, not all. A draft is the applicant side's own until it is submitted: no staff
 * member reads it (a walk-in draft is read by the clerk or helper who files it, as its applicant side).
 */
async function readsAsStaff(app: StaffView, actor: Actor, deps: Deps): Promise<boolean> {
  if (app.status === 'draft') return false;
  if (hasRole(actor, 'clerk') && actor.departmentId === app.department_id) return true;
  if (!hasRole(actor, 'supervisor')) return false;
  const region = await staffRegion(actor, deps);
  return !region || regionWithin(app.region_code, region);
}

/** An agent whose authorisation ended reads the application (and its commitments) no more; staff read as staff. */
export async function assertAgentMandate(app: MandateRow & StaffView, actor: Actor, deps: Deps, db: Kysely<DB> = deps.db): Promise<void> {
  if (!(await readsAsStaff(app, actor, deps)) && (await agentMandateEnded(app, actor, deps, db))) throw new AppError('AGENT.NOT_AUTHORIZED', { field: 'id' });
}

/**
 * Who may read an application (and its commitments): its applicant side, a clerk of the accepting
 * department, a supervisor of the region (readsAsStaff); an agent whose authorisation ended reads
 * no more. Throws APPLICATION.NOT_YOURS / AGENT.NOT_AUTHORIZED. Inside a transaction, pass it as `db`.
 */
export async function assertCanRead(app: MandateRow & StaffView, actor: Actor, deps: Deps, db: Kysely<DB> = deps.db): Promise<void> {
  if (!isApplicantSide(app, actor) && !(await readsAsStaff(app, actor, deps))) throw new AppError('APPLICATION.NOT_YOURS', { field: 'id' });
  await assertAgentMandate(app, actor, deps, db);
}

/** The applicant side, and an agent only while the authorisation still covers the application. Inside a transaction, pass it as `db`. */
export async function assertApplicantSide(app: ApplicationRow, actor: Actor, deps: Deps, db: Kysely<DB> = deps.db): Promise<void> {
  if (!isApplicantSide(app, actor)) throw new AppError('APPLICATION.NOT_YOURS', { field: 'id' });
  if (await agentMandateEnded(app, actor, deps, db)) throw new AppError('AGENT.NOT_AUTHORIZED', { field: 'id' });
}

/** Whether the actor filed the application: the account that created it, or the agent / service-hall helper who files for the applicant. */
export function filedBy(app: Pick<ApplicationRow, 'created_by_account_id' | 'agent_account_id'>, actor: Actor): boolean {
  return app.created_by_account_id === actor.id || (app.agent_account_id !== null && app.agent_account_id === actor.id);
}

/**
 * 受审分离 (separation of duties): whoever filed an application — a clerk or helper who filed a
 * walk-in applicant's case, an agent — or is its applicant does not decide it; another clerk of
 * the accepting department does. 409 APPLICATION.SEPARATION_OF_DUTIES naming `id`, before anything is written.
 */
export function assertSeparationOfDuties(app: ApplicationRow, actor: Actor): void {
  if (app.applicant_account_id !== null && app.applicant_account_id === actor.id) {
    throw new AppError('APPLICATION.SEPARATION_OF_DUTIES', {
      field: 'id',
      message: `受审分离：您是办件 ${app.ref} 的申请人，不能审查决定本人的办件，请由${app.department_name}其他工作人员办理`,
      messageEn: `Separation of duties: you are the applicant of ${app.ref} and may not decide it; another clerk of ${app.department_name} does`,
    });
  }
  if (filedBy(app, actor)) {
    const asAgent = app.agent_account_id === actor.id;
    throw new AppError('APPLICATION.SEPARATION_OF_DUTIES', {
      field: 'id',
      message: `受审分离：办件 ${app.ref} 由您${asAgent ? '代为' : ''}提交，不能由您审查决定，请由${app.department_name}其他工作人员办理`,
      messageEn: `Separation of duties: you filed application ${app.ref}${asAgent ? ' for the applicant' : ''}, so you may not decide it; another clerk of ${app.department_name} does`,
    });
  }
}

export function assertClerkOf(app: ApplicationRow, actor: Actor): void {
  if (!hasRole(actor, 'clerk') || actor.departmentId !== app.department_id) throw new AppError('AUTH.OUT_OF_SCOPE', { field: 'id', message: `该办件由${app.department_name}受理，不在您所在部门的范围内`, messageEn: `The application belongs to ${app.department_name}` });
}

/**
 * How the actor appears in audit entries: in the capacity it acts in on this application, not by
 * the roles its account holds. On its own application (it is the applicant) an account acts as
 * `applicant`, whatever else it is — an agent, a clerk — and on nobody's behalf. On someone
 * else's it acts for the applicant, logged in both names: as `agent` (under the applicant's
 * mandate, or as the helper who filed a walk-in case), else as the window `clerk` who filed it.
 */
export function auditActor(app: Pick<ApplicationRow, 'applicant_account_id' | 'agent_account_id' | 'applicant_code_mask'>, actor: Actor): { actorId: string; actorRole: string; onBehalfOf: string | null } {
  if (app.applicant_account_id !== null && app.applicant_account_id === actor.id) return { actorId: actor.id, actorRole: 'applicant', onBehalfOf: null };
  const role = actor.roles.includes('agent') ? 'agent' : actor.roles.includes('clerk') ? 'clerk' : actor.roles[0] ?? 'unknown';
  const onBehalf = app.applicant_account_id ?? `walk-in:${app.applicant_code_mask}`;
  return { actorId: actor.id, actorRole: role, onBehalfOf: role === 'agent' || (role === 'clerk' && app.agent_account_id === actor.id) ? onBehalf : null };
}

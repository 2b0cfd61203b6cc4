import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ApplicationsTable, MaterialResolutionsTable } from '../../db/schema-applications.ts';
import { AppError } from '../../shared/errors.ts';
import { shanghaiDate } from '../../shared/calendar/working-days.ts';
import type { ApplicationStatus } from '../domain/lifecycle.ts';
import type { Attempt, ResolutionMethod, ResolutionStatus } from '../domain/resolution.ts';

export type ApplicationRow = Selectable<ApplicationsTable>;
export type ResolutionRow = Selectable<MaterialResolutionsTable>;
type Q = Kysely<DB> | Transaction<DB>;

/** 办件编号: region, date (Asia/Shanghai) and 8 random base-32 characters, e.g. 340500-20260314-K7Q2M9XD. */
export function newApplicationRef(regionCode: string, at: Date, prefix = ''): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(8);
  let s = '';
  for (const b of bytes) s += alphabet[b % 32];
  return `${prefix}${regionCode}-${shanghaiDate(at).replaceAll('-', '')}-${s}`;
}

export async function getApplication(q: Q, id: string, forUpdate = false): Promise<ApplicationRow> {
  let query = q.selectFrom('applications').selectAll().where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new AppError('APPLICATION.NOT_FOUND', { field: 'id' });
  return row;
}

export function statusOf(row: { status: string }): ApplicationStatus {
  return row.status as ApplicationStatus;
}

export interface ResolutionState {
  id: string; method: ResolutionMethod | null; status: ResolutionStatus; attempts: Attempt[]; evidence: Record<string, unknown> | null;
}

export function resolutionState(r: ResolutionRow): ResolutionState {
  return { id: r.id, method: r.method as ResolutionMethod | null, status: r.status as ResolutionStatus, attempts: r.attempts as Attempt[], evidence: r.evidence };
}

/** Every resolution an application's materials use (its own and, in a bundle, shared ones). */
export async function resolutionsOfApplication(q: Q, applicationId: string): Promise<ResolutionRow[]> {
  return q.selectFrom('material_resolutions').selectAll()
    .where('id', 'in', q.selectFrom('application_materials').select('resolution_id').where('application_id', '=', applicationId).where('resolution_id', 'is not', null).$narrowType<{ resolution_id: string }>())
    .execute();
}

/** Applications whose materials use a resolution (one, or the members of a bundle sharing it). */
export async function applicationsUsingResolution(q: Q, resolutionId: string): Promise<string[]> {
  const rows = await q.selectFrom('application_materials').select('application_id').where('resolution_id', '=', resolutionId).execute();
  return [...new Set(rows.map((r) => r.application_id))];
}

/**
 * Locks the applications whose materials use these resolutions (the owner, and in a bundle every
 * member sharing one), in id order, and answers their states. The first lock of a transaction
 * that changes a material's resolution, commitment or verification request: every such
 * transaction locks application → resolution → commitment → verification request, and appends to
 * the audit chain only after, so no two of them wait for each other in opposite orders.
 */
export async function lockApplicationsUsing(q: Q, resolutionIds: readonly string[]): Promise<Array<{ id: string; status: ApplicationStatus }>> {
  if (resolutionIds.length === 0) return [];
  const rows = await q.selectFrom('applications').select(['id', 'status'])
    .where('id', 'in', q.selectFrom('application_materials').select('application_id').where('resolution_id', 'in', [...resolutionIds]))
    .orderBy('id').forUpdate().execute();
  return rows.map((r) => ({ id: r.id, status: statusOf(r) }));
}

/** Locks these applications in id order (see lockApplicationsUsing) and answers their states. */
export async function lockApplications(q: Q, ids: readonly string[]): Promise<Array<{ id: string; status: ApplicationStatus }>> {
  if (ids.length === 0) return [];
  const rows = await q.selectFrom('applications').select(['id', 'status']).where('id', 'in', [...ids]).orderBy('id').forUpdate().execute();
  return rows.map((r) => ({ id: r.id, status: statusOf(r) }));
}

import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CalendarOverride } from '../domain/calendar-year.ts';

/** The overrides (calendar_days), by date; of one year, or of every year. `db` may be an open transaction. */
export async function readOverrides(db: Kysely<DB>, year?: number): Promise<CalendarOverride[]> {
  // a PostgreSQL date comes back as a Date (node-postgres, in local time) or a string (PGlite): read it as text
  let q = db.selectFrom('calendar_days').select([sql<string>`to_char(date, 'YYYY-MM-DD')`.as('date'), 'work', 'name']);
  if (year !== undefined) q = q.where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`);
  return q.orderBy('calendar_days.date').execute();
}

/** Replaces a year's overrides; runs in the caller's transaction. */
export async function replaceOverrides(trx: Kysely<DB>, year: number, days: readonly CalendarOverride[], updatedBy: string | null, at: Date): Promise<void> {
  await trx.deleteFrom('calendar_days').where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).execute();
  if (days.length > 0) {
    await trx.insertInto('calendar_days').values(days.map((d) => ({ date: d.date, work: d.work, name: d.name, updated_by: updatedBy, updated_at: at }))).execute();
  }
}

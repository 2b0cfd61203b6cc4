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

/**
 * Every override with the calendar's generation (migration 0018), read in one statement so
 * both come from one snapshot. `db` may be an open transaction.
 */
export async function readCalendar(db: Kysely<DB>): Promise<{ generation: number; overrides: CalendarOverride[] }> {
  const { rows } = await sql<{ n: string | number; date: string | null; work: boolean | null; name: string | null }>`
    SELECT g.n, to_char(d.date, 'YYYY-MM-DD') AS date, d.work, d.name FROM calendar_generation g LEFT JOIN calendar_days d ON true ORDER BY d.date`.execute(db);
  return {
    generation: Number(rows[0]?.n ?? 0),
    overrides: rows.filter((r) => r.date !== null).map((r) => ({ date: r.date!, work: r.work!, name: r.name! })),
  };
}

/** Holds the calendar unchanged until the transaction ends (shared with other deadline writers); answers its generation. */
export async function holdCalendarRows(trx: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`SELECT calendar_hold() AS n`.execute(trx);
  return Number(rows[0]!.n);
}

/** Locks the calendar against deadline writers and other changes until the transaction ends; answers its new generation. */
export async function changeCalendarRows(trx: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`SELECT calendar_change() AS n`.execute(trx);
  return Number(rows[0]!.n);
}

/** Replaces a year's overrides; runs in the caller's transaction. */
export async function replaceOverrides(trx: Kysely<DB>, year: number, days: readonly CalendarOverride[], updatedBy: string | null, at: Date): Promise<void> {
  await trx.deleteFrom('calendar_days').where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).execute();
  if (days.length > 0) {
    await trx.insertInto('calendar_days').values(days.map((d) => ({ date: d.date, work: d.work, name: d.name, updated_by: updatedBy, updated_at: at }))).execute();
  }
}

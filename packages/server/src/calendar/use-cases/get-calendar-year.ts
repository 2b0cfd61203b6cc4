import type { Deps } from '../../shared/deps.ts';
import { describeYear, type CalendarYear } from '../domain/calendar-year.ts';
import { readOverrides } from '../adapters/calendar-store.ts';

/** One year of the official calendar as it stands in the database now (not the instance's cached copy). */
export async function getCalendarYear(year: number, deps: Pick<Deps, 'db'>): Promise<CalendarYear> {
  const rows = await readOverrides(deps.db, year);
  return describeYear(year, new Map(rows.map((r) => [r.date, { work: r.work, name: r.name }])));
}

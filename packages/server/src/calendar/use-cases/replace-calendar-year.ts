import { sql } from 'kysely';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { checkOverrides, type CalendarOverride, type CalendarViolation, type CalendarYear } from '../domain/calendar-year.ts';
import { readOverrides, replaceOverrides } from '../adapters/calendar-store.ts';
import { officialCalendarOf } from '../adapters/official-calendar.ts';
import { getCalendarYear } from './get-calendar-year.ts';

/** Advisory lock class of a year's overrides (two-key form: the second key is the year). */
const YEAR_LOCK = 72010300;

function throwViolations(violations: readonly CalendarViolation[]): never {
  const first = violations[0]!;
  throw new AppError(first.code, { field: first.field, message: first.message, messageEn: first.messageEn, details: violations });
}

/**
 * 录入放假安排: replaces a year's overrides with the State Council's notice as a data
 * administrator enters it — all or nothing, with its audit entry in the same transaction.
 * This instance counts with the new overrides at once; the others within the refresh window.
 */
export async function replaceCalendarYear(year: number, input: readonly CalendarOverride[], actor: Actor, deps: Deps): Promise<CalendarYear> {
  const { days, violations } = checkOverrides(year, input);
  if (violations.length > 0) throwViolations(violations);
  await deps.db.transaction().execute(async (trx) => {
    // two administrators saving the same year one after the other, not interleaved (delete + insert)
    await sql`SELECT pg_advisory_xact_lock(${YEAR_LOCK}::int, ${year}::int)`.execute(trx);
    const before = await readOverrides(trx, year);
    await replaceOverrides(trx, year, days, actor.id, deps.now());
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'data_admin', action: 'calendar.year.replace', subjectType: 'calendar_year', subjectId: String(year), change: { before, after: days },
    });
  });
  await officialCalendarOf(deps.db).reload();
  return getCalendarYear(year, deps);
}

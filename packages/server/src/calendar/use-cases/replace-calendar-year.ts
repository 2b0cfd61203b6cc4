import { appendAuditEntries } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import { staffRegionLevel } from '../../identity/use-cases/staff-region.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { checkOverrides, type CalendarOverride, type CalendarViolation, type CalendarYear } from '../domain/calendar-year.ts';
import { changeCalendarRows, readOverrides, replaceOverrides } from '../adapters/calendar-store.ts';
import { officialCalendarOf } from '../adapters/official-calendar.ts';
import { getCalendarYear } from './get-calendar-year.ts';
import { recomputeDeadlines } from './recompute-deadlines.ts';

function throwViolations(violations: readonly CalendarViolation[]): never {
  const first = violations[0]!;
  throw new AppError(first.code, { field: first.field, message: first.message, messageEn: first.messageEn, details: violations });
}

/**
 * 录入放假安排: replaces a year's overrides with the State Council's notice as the province's data
 * administrator enters it (a city's gets 403 CALENDAR.PROVINCE_ONLY) — all or nothing, with its audit entry in the same transaction.
 * The working-day deadlines still running (open verification requests, reviews) are counted
 * again from their start in the new calendar in that transaction, each change audited
 * (recompute-deadlines.ts). This instance counts with the new overrides at once; the others
 * as soon as they write a deadline (they hold the calendar and see its generation changed).
 */
export async function replaceCalendarYear(year: number, input: readonly CalendarOverride[], actor: Actor, deps: Deps): Promise<CalendarYear & { recomputed: { verificationRequests: number; reviewDeadlines: number } }> {
  // one calendar for the whole province (the State Council's notice): entered by the province's administrator
  if (!(await staffRegionLevel(actor, deps)).province) throw new AppError('CALENDAR.PROVINCE_ONLY');
  const { days, violations } = checkOverrides(year, input);
  if (violations.length > 0) throwViolations(violations);
  const recomputed = await deps.db.transaction().execute(async (trx) => {
    // first: the calendar exclusively — two administrators' saves one after the other (delete +
    // insert), and no deadline being written meanwhile (its writer holds the calendar shared)
    await changeCalendarRows(trx);
    const before = await readOverrides(trx, year);
    await replaceOverrides(trx, year, days, actor.id, deps.now());
    const moved = await recomputeDeadlines(trx, { year, before, after: days }, actor, deps);
    const counts = { verificationRequests: moved.verificationRequests, reviewDeadlines: moved.reviewDeadlines };
    // the audit chain after every row lock: the year's entry, then one per moved deadline
    await appendAuditEntries(trx, [{
      actorId: actor.id, actorRole: 'data_admin', action: 'calendar.year.replace', subjectType: 'calendar_year', subjectId: String(year), change: { before, after: days, recomputed: counts },
    }, ...moved.audits]);
    return counts;
  });
  await officialCalendarOf(deps.db).reload();
  return { ...(await getCalendarYear(year, deps)), recomputed };
}

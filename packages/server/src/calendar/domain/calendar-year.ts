/**
 * 节假日安排: one year of the official working-day calendar as an administrator sees and
 * edits it — the base calendar (the chinese-days package for a year it knows, the statutory
 * holidays otherwise) with the administrator's overrides on top. Pure.
 */
import {
  baseDay, datesOfYear, isCalendarDate, isWeekday, packageKnowsYear, statutoryHolidays, type OfficialDay,
} from '../../shared/calendar/chinese-calendar.ts';

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
/** A year's notice has some 30 dates; 100 leaves room without inviting a whole year of rows. */
export const MAX_OVERRIDES = 100;
export const NAME_MAX = 40;

/** An administrator's entry for one date: a day off (`work: false`) or a working day, with what the notice calls it. */
export interface CalendarOverride { date: string; work: boolean; name: string }

export interface CalendarYear {
  year: number;
  /** where the year's base calendar comes from */
  source: 'package' | 'statutory';
  /** how many dates of the year an administrator has entered */
  overridden: number;
  /** every date that is not what Monday–Friday would make it, every statutory holiday (also on a weekend), and every override, by date */
  days: OfficialDay[];
  /** the year's notice is neither in the package nor entered: no 调休 is known */
  warning?: { zh: string; en: string };
}

/** The year as the engine counts it, with the overrides (of any years; only this year's are used). */
export function describeYear(year: number, overrides: ReadonlyMap<string, Omit<CalendarOverride, 'date'>>): CalendarYear {
  const days: OfficialDay[] = [];
  let overridden = 0;
  const statutory = statutoryHolidays(year);
  for (const date of datesOfYear(year)) {
    const o = overrides.get(date);
    if (o) {
      overridden++;
      days.push({ date, work: o.work, name: o.name, source: 'override' });
      continue;
    }
    const d = baseDay(date);
    if (d.work !== isWeekday(date) || statutory.has(date)) days.push(d);
  }
  const source = packageKnowsYear(year) ? 'package' : 'statutory';
  return {
    year, source, overridden, days,
    ...(source === 'statutory' && overridden === 0 ? {
      warning: {
        zh: `${year} 年国务院放假安排尚未录入:按法定节假日计算,未含调休`,
        en: `The State Council's holiday arrangement for ${year} has not been entered: working days follow the statutory holidays, without make-up workdays (调休)`,
      },
    } : {}),
  };
}

export type CalendarViolationCode = 'CALENDAR.INVALID_DATE' | 'CALENDAR.DATE_OUTSIDE_YEAR' | 'CALENDAR.DUPLICATE_DATE' | 'CALENDAR.NAME_REQUIRED' | 'CALENDAR.STATUTORY_HOLIDAY';

export interface CalendarViolation { code: CalendarViolationCode; field: string; message: string; messageEn: string }

/**
 * Checks a year's overrides as entered (all of them, before anything is written): real dates
 * within the year, each once, a name of 1–40 characters, and no statutory holiday made a
 * working day (the law fixes those days; a notice only moves the days around them).
 * Returns the overrides with trimmed names, by date.
 */
export function checkOverrides(year: number, input: readonly CalendarOverride[]): { days: CalendarOverride[]; violations: CalendarViolation[] } {
  const violations: CalendarViolation[] = [];
  const seen = new Map<string, number>();
  const statutory = statutoryHolidays(year);
  const days: CalendarOverride[] = [];
  input.forEach((d, i) => {
    const at = `days.${i}`;
    const name = d.name.trim();
    if (!isCalendarDate(d.date)) {
      violations.push({ code: 'CALENDAR.INVALID_DATE', field: `${at}.date`, message: `日期 ${d.date} 不存在或格式不正确(应为 YYYY-MM-DD)`, messageEn: `${d.date} is not a real date (YYYY-MM-DD)` });
    } else if (!d.date.startsWith(`${year}-`)) {
      violations.push({ code: 'CALENDAR.DATE_OUTSIDE_YEAR', field: `${at}.date`, message: `日期 ${d.date} 不在 ${year} 年内`, messageEn: `${d.date} is not in ${year}` });
    } else if (seen.has(d.date)) {
      violations.push({ code: 'CALENDAR.DUPLICATE_DATE', field: `${at}.date`, message: `日期 ${d.date} 与第 ${seen.get(d.date)! + 1} 行重复`, messageEn: `${d.date} repeats row ${seen.get(d.date)! + 1}` });
    } else if (d.work && statutory.has(d.date)) {
      violations.push({ code: 'CALENDAR.STATUTORY_HOLIDAY', field: `${at}.work`, message: `${d.date} 是法定节假日(${statutory.get(d.date)}),不能设为工作日`, messageEn: `${d.date} is a statutory holiday (${statutory.get(d.date)}) and cannot be a working day` });
    }
    if (isCalendarDate(d.date) && !seen.has(d.date)) seen.set(d.date, i);
    const length = [...name].length;
    if (length < 1 || length > NAME_MAX) {
      violations.push({ code: 'CALENDAR.NAME_REQUIRED', field: `${at}.name`, message: `请填写名称(1–${NAME_MAX} 个字符)`, messageEn: `Enter a name (1–${NAME_MAX} characters)` });
    }
    days.push({ date: d.date, work: d.work, name });
  });
  days.sort((a, b) => a.date.localeCompare(b.date));
  return { days, violations };
}

/**
 * The dates whose working-day status differs between a year's overrides before and after a
 * change (each over the base calendar), in order: only deadlines counted across one of them move.
 * A renamed day is not a change.
 */
export function changedWorkdays(before: readonly CalendarOverride[], after: readonly CalendarOverride[]): string[] {
  const was = new Map(before.map((d) => [d.date, d.work]));
  const is = new Map(after.map((d) => [d.date, d.work]));
  const dates = [...new Set([...was.keys(), ...is.keys()])].sort();
  return dates.filter((date) => (was.get(date) ?? baseDay(date).work) !== (is.get(date) ?? baseDay(date).work));
}

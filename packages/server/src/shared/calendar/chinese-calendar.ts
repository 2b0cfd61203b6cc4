import chineseDays from 'chinese-days';
import { isCalendarDate } from './calendar-date.ts';
import { addDays, type WorkCalendar } from './working-days.ts';

/**
 * The base official calendar, without administrators' overrides (calendar/adapters/official-calendar.ts
 * adds those): for a year the `chinese-days` package carries, the State Council's 放假安排
 * notice as it holds it (holidays and 调休 make-up workdays); for a year it does not know yet,
 * Monday–Friday minus the statutory holidays (法定节假日), which the law fixes in advance — no
 * 调休 is known until the notice is published. `chinese-days` does not fail for an unknown
 * year (it answers Monday–Friday, 元旦 and 春节 included), so the year is checked first.
 */

/** Where a day's status comes from: the package's copy of the notice, the statutory rules, an administrator's entry. */
export type DaySource = 'package' | 'statutory' | 'override';

export interface OfficialDay {
  date: string;
  work: boolean;
  /** 元旦, 春节 … for a holiday or a make-up workday; the weekday (周一 … 周日) otherwise */
  name: string;
  source: DaySource;
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export { isCalendarDate };

function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Monday to Friday: what the date would be without holidays and make-up workdays. */
export function isWeekday(date: string): boolean {
  const d = dayOfWeek(date);
  return d !== 0 && d !== 6;
}

/** Every date of a year, in order. */
export function datesOfYear(year: number): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(`${year}-`); d = addDays(d, 1)) out.push(d);
  return out;
}

const knownYears = new Map<number, boolean>();

/**
 * Whether `chinese-days` carries the State Council's arrangement for the year: in every year
 * it knows, 10月1日 is 国庆节 (for an unknown year it only names the weekday).
 */
export function packageKnowsYear(year: number): boolean {
  let known = knownYears.get(year);
  if (known === undefined) {
    known = chineseDays.getDayDetail(`${year}-10-01`).name.includes('国庆');
    knownYears.set(year, known);
  }
  return known;
}

const statutoryCache = new Map<number, ReadonlyMap<string, string>>();

/**
 * The statutory holidays (全体公民放假的节日) of a year under 《全国年节及纪念日放假办法》 as in
 * force that year — since 2025-01-01 (2024 revision) 13 days: 元旦 1月1日; 春节 农历除夕、正月初一至
 * 初三; 清明节 (the 清明 solar term); 劳动节 5月1日、2日; 端午节 农历五月初五; 中秋节 农历八月十五;
 * 国庆节 10月1日至3日. Earlier revisions: 2014–2024 (2013 revision) 春节 初一至初三 and 劳动节
 * 5月1日 only; 2008–2013 (2007 revision) 春节 除夕、初一、初二; before 2008 (1999 revision) 元旦,
 * 春节 初一至初三, 劳动节 and 国庆节 three days each, no 清明 / 端午 / 中秋. A holiday that falls on a
 * weekend is still a statutory holiday (the notice moves the day off; that is 调休, not known here).
 */
export function statutoryHolidays(year: number): Map<string, string> {
  return new Map(statutoryOf(year));
}

function statutoryOf(year: number): ReadonlyMap<string, string> {
  let days = statutoryCache.get(year);
  if (!days) {
    const map = new Map<string, string>();
    const lunar = (monthDay: string) => chineseDays.getSolarDateFromLunar(`${year}-${monthDay}`).date;
    const add = (name: string, first: string, n = 1) => {
      for (let i = 0; i < n; i++) {
        const date = addDays(first, i);
        const other = map.get(date); // 中秋节 can fall within 国庆节 (2020-10-01)
        map.set(date, other ? `${other}、${name}` : name);
      }
    };
    add('元旦', `${year}-01-01`);
    const newYear = lunar('01-01'); // 正月初一; 除夕 is the day before (腊月 may have 29 days only)
    if (year >= 2025) add('春节', addDays(newYear, -1), 4);
    else if (year >= 2014) add('春节', newYear, 3);
    else if (year >= 2008) add('春节', addDays(newYear, -1), 3);
    else add('春节', newYear, 3);
    if (year >= 2008) {
      const qingming = chineseDays.getSolarTerms(`${year}-04-01`, `${year}-04-10`).find((t) => t.name === '清明');
      if (qingming) add('清明节', qingming.date);
      add('端午节', lunar('05-05'));
      add('中秋节', lunar('08-15'));
    }
    add('劳动节', `${year}-05-01`, year >= 2025 ? 2 : year >= 2008 ? 1 : 3);
    add('国庆节', `${year}-10-01`, 3);
    days = new Map([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
    statutoryCache.set(year, days);
  }
  return days;
}

/** The Chinese name in a `chinese-days` label ("Spring Festival,春节,4" → 春节). */
function packageName(label: string, date: string): string {
  const parts = label.split(',');
  return parts.length >= 2 && parts[1] ? parts[1] : WEEKDAYS[dayOfWeek(date)]!;
}

/** A date (YYYY-MM-DD) in the base calendar: the package for a year it knows, the statutory rules otherwise. */
export function baseDay(date: string): OfficialDay {
  const year = Number(date.slice(0, 4));
  if (packageKnowsYear(year)) {
    const d = chineseDays.getDayDetail(date);
    return { date, work: d.work, name: packageName(d.name, date), source: 'package' };
  }
  const holiday = statutoryOf(year).get(date);
  if (holiday) return { date, work: false, name: holiday, source: 'statutory' };
  return { date, work: isWeekday(date), name: WEEKDAYS[dayOfWeek(date)]!, source: 'statutory' };
}

/**
 * The base official calendar (no overrides). The application engine uses the official
 * calendar with administrators' overrides (calendar/adapters/official-calendar.ts); this one
 * is for what cannot change any more, e.g. the demo seed's past dates.
 */
export const chineseCalendar: WorkCalendar = {
  isWorkday(date: string): boolean {
    return baseDay(date).work;
  },
};

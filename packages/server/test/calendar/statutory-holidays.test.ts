import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import {
  baseDay, chineseCalendar, datesOfYear, isCalendarDate, packageKnowsYear, statutoryHolidays,
} from '../../src/shared/calendar/chinese-calendar.ts';
import { addWorkingDays, workingDayDeadline } from '../../src/shared/calendar/working-days.ts';
import { changedWorkdays, checkOverrides, describeYear } from '../../src/calendar/domain/calendar-year.ts';

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

describe('which years the chinese-days package carries', () => {
  it('knows 2004–2026 and not 2027 (whose 元旦 it wrongly counts as a workday)', () => {
    for (let y = 2004; y <= 2026; y++) expect(packageKnowsYear(y), String(y)).toBe(true);
    expect(packageKnowsYear(2027)).toBe(false);
    expect(packageKnowsYear(2003)).toBe(false);
    expect(chineseDays.isWorkday('2027-01-01')).toBe(true); // the package's answer the fallback corrects
  });
});

describe('statutory holidays (《全国年节及纪念日放假办法》, 2024 revision)', () => {
  it('gives the 13 days of 2027, each checked against the package\'s lunar and solar-term functions', () => {
    const days = statutoryHolidays(2027);
    expect([...days.keys()]).toEqual([
      '2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-05', '2027-05-01', '2027-05-02',
      '2027-06-09', '2027-09-15', '2027-10-01', '2027-10-02', '2027-10-03',
    ]);
    // 正月初一 and the day before it, 除夕: the last day of 腊月 (29 days long in lunar year 2026)
    expect(chineseDays.getLunarDate('2027-02-06')).toMatchObject({ lunarMon: 1, lunarDay: 1, isLeap: false });
    expect(chineseDays.getLunarDate('2027-02-05')).toMatchObject({ lunarMon: 12, lunarDay: 29 });
    expect(chineseDays.getLunarDate('2027-06-09')).toMatchObject({ lunarMon: 5, lunarDay: 5, isLeap: false });
    expect(chineseDays.getLunarDate('2027-09-15')).toMatchObject({ lunarMon: 8, lunarDay: 15, isLeap: false });
    expect(chineseDays.getSolarTerms('2027-04-05')).toEqual([expect.objectContaining({ name: '清明' })]);
    expect(days.get('2027-02-05')).toBe('春节');
    expect(days.get('2027-06-09')).toBe('端午节');
    expect(days.get('2027-09-15')).toBe('中秋节');
  });

  it('takes 除夕 as the day before 正月初一 when 腊月 has 30 days too', () => {
    // 2025: 正月初一 2025-01-29, 除夕 = 腊月廿九 2025-01-28; 2024: 正月初一 2024-02-10, 除夕 = 腊月廿九 2024-02-09
    for (let y = 2025; y <= 2100; y++) {
      const newYear = chineseDays.getSolarDateFromLunar(`${y}-01-01`).date;
      const chunjie = [...statutoryHolidays(y)].filter(([, n]) => n === '春节').map(([d]) => d);
      expect(chunjie, String(y)).toEqual([dayBefore(newYear), newYear, ...[1, 2].map((i) => new Date(Date.parse(`${newYear}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10))]);
      expect(chineseDays.getLunarDate(dayBefore(newYear)).lunarMon, String(y)).toBe(12);
    }
  });

  it('has 13 days in every year from 2025, all within the year', () => {
    for (let y = 2025; y <= 2100; y++) {
      const days = [...statutoryHolidays(y).keys()];
      expect(days.every((d) => d.startsWith(`${y}-`) && isCalendarDate(d)), String(y)).toBe(true);
      // 13 dates, or fewer only when two festivals share a day (中秋 within 国庆)
      const names = [...statutoryHolidays(y).values()].join('、').split('、');
      expect(names.length, String(y)).toBe(13);
    }
  });

  it('agrees with the package in every year it knows: no statutory holiday is a working day there', () => {
    const clashes: string[] = [];
    for (let y = 2004; y <= 2026; y++) {
      for (const [date, name] of statutoryHolidays(y)) if (chineseDays.isWorkday(date)) clashes.push(`${date} ${name}`);
    }
    expect(clashes).toEqual([]);
    expect(statutoryHolidays(2025).size).toBe(13);
    expect(statutoryHolidays(2026).size).toBe(13);
    // and every holiday-named weekday of 2025/2026 in the package that the law fixes is in the list
    expect(statutoryHolidays(2026).get('2026-02-16')).toBe('春节'); // 除夕 2026
    expect(chineseDays.getDayDetail('2026-02-16').work).toBe(false);
  });

  it('names a day two festivals share once each', () => {
    expect(statutoryHolidays(2020).get('2020-10-01')).toBe('中秋节、国庆节');
  });
});

describe('the base calendar', () => {
  it('follows the package in a year it knows, including make-up workdays', () => {
    expect(baseDay('2026-02-14')).toEqual({ date: '2026-02-14', work: true, name: '春节', source: 'package' });
    expect(baseDay('2026-10-01')).toMatchObject({ work: false, name: '国庆节', source: 'package' });
    expect(baseDay('2026-03-07')).toMatchObject({ work: false, name: '周六', source: 'package' });
  });

  it('never counts a statutory holiday of an unknown year as a working day', () => {
    for (const date of statutoryHolidays(2027).keys()) expect(chineseCalendar.isWorkday(date), date).toBe(false);
    expect(baseDay('2027-01-01')).toEqual({ date: '2027-01-01', work: false, name: '元旦', source: 'statutory' });
    expect(chineseCalendar.isWorkday('2027-01-04')).toBe(true); // Monday
    expect(chineseCalendar.isWorkday('2027-01-02')).toBe(false); // Saturday, no 调休 known
    const workdays = datesOfYear(2027).filter((d) => chineseCalendar.isWorkday(d));
    expect(workdays.length).toBe(261 - 7); // 261 weekdays in 2027, 7 of its statutory holidays fall on weekdays
  });

  it('counts a deadline from 2026-12-29 across 元旦 2027 without 2027-01-01', () => {
    const tuesday = new Date('2026-12-29T02:00:00Z'); // 10:00 Beijing
    expect(addWorkingDays(tuesday, 2, chineseCalendar)).toBe('2026-12-31');
    expect(addWorkingDays(tuesday, 3, chineseCalendar)).toBe('2027-01-04');
    expect(workingDayDeadline(tuesday, 5, chineseCalendar).toISOString()).toBe('2027-01-06T15:59:59.999Z');
    // 春节 2027: from 除夕's eve (Thursday 02-04) the next working day is Tuesday 02-09
    expect(addWorkingDays(new Date('2027-02-04T02:00:00Z'), 1, chineseCalendar)).toBe('2027-02-09');
  });
});

describe('a year as administrators see it', () => {
  it('warns when the notice of an unknown year is missing, lists its statutory holidays (on weekends too)', () => {
    const y = describeYear(2027, new Map());
    expect(y).toMatchObject({ year: 2027, source: 'statutory', overridden: 0 });
    expect(y.warning?.zh).toBe('2027 年国务院放假安排尚未录入:按法定节假日计算,未含调休');
    expect(y.days.map((d) => d.date)).toEqual([
      '2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-05', '2027-05-01', '2027-05-02', '2027-06-09', '2027-09-15', '2027-10-01', '2027-10-02', '2027-10-03',
    ]);
    expect(y.days.every((d) => d.source === 'statutory' && !d.work)).toBe(true);
  });

  it('lists a known year\'s holidays on weekdays and make-up workdays on weekends, overrides first in their place', () => {
    const y = describeYear(2026, new Map([['2026-12-31', { work: false, name: '测试' }]]));
    expect(y).toMatchObject({ source: 'package', overridden: 1 });
    expect(y.warning).toBeUndefined();
    expect(y.days).toContainEqual({ date: '2026-02-14', work: true, name: '春节', source: 'package' });
    expect(y.days).toContainEqual({ date: '2026-02-16', work: false, name: '春节', source: 'package' });
    expect(y.days.at(-1)).toEqual({ date: '2026-12-31', work: false, name: '测试', source: 'override' });
    expect(y.days.map((d) => d.date)).toEqual([...y.days.map((d) => d.date)].sort());
    const withOverride = describeYear(2027, new Map([['2027-01-02', { work: true, name: '元旦调休上班' }]]));
    expect(withOverride.warning).toBeUndefined();
    expect(withOverride.days).toContainEqual({ date: '2027-01-02', work: true, name: '元旦调休上班', source: 'override' });
  });

  it('checks entered overrides and names the field at fault', () => {
    const { violations, days } = checkOverrides(2027, [
      { date: '2027-02-09', work: false, name: ' 春节 ' },
      { date: '2027-02-30', work: false, name: '春节' },
      { date: '2026-12-31', work: false, name: '春节' },
      { date: '2027-02-09', work: false, name: '春节' },
      { date: '2027-10-01', work: true, name: '国庆节' },
      { date: '2027-02-20', work: true, name: '   ' },
      { date: '2027-02-21', work: true, name: '节'.repeat(41) },
    ]);
    expect(violations.map((v) => [v.code, v.field])).toEqual([
      ['CALENDAR.INVALID_DATE', 'days.1.date'], ['CALENDAR.DATE_OUTSIDE_YEAR', 'days.2.date'], ['CALENDAR.DUPLICATE_DATE', 'days.3.date'],
      ['CALENDAR.STATUTORY_HOLIDAY', 'days.4.work'], ['CALENDAR.NAME_REQUIRED', 'days.5.name'], ['CALENDAR.NAME_REQUIRED', 'days.6.name'],
    ]);
    expect(days[0]).toEqual({ date: '2026-12-31', work: false, name: '春节' });
    expect(checkOverrides(2027, [{ date: '2027-02-09', work: false, name: ' 春节 ' }])).toEqual({ days: [{ date: '2027-02-09', work: false, name: '春节' }], violations: [] });
    expect(checkOverrides(2027, [{ date: '2027-01-01', work: false, name: '元旦' }]).violations).toEqual([]); // a statutory holiday may be entered as one
  });
});

describe('what a change of the overrides changes', () => {
  it('names the dates whose working-day status differs, over the base calendar; a renamed day or an override the base already agrees with is no change', () => {
    expect(changedWorkdays([], [{ date: '2027-01-02', work: true, name: '元旦调休上班' }, { date: '2027-02-09', work: false, name: '春节' }])).toEqual(['2027-01-02', '2027-02-09']);
    expect(changedWorkdays([{ date: '2027-01-02', work: true, name: '班' }], [{ date: '2027-01-02', work: true, name: '元旦调休上班' }])).toEqual([]);
    // 元旦 is a day off either way; Monday Jan 4 was entered as a day off and is a working day again
    expect(changedWorkdays([{ date: '2027-01-04', work: false, name: '休' }], [{ date: '2027-01-01', work: false, name: '元旦' }])).toEqual(['2027-01-04']);
    expect(changedWorkdays([{ date: '2027-01-02', work: true, name: '班' }], [])).toEqual(['2027-01-02']);
  });
});

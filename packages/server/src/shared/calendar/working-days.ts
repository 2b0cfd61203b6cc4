/**
 * Deadlines in working days of the official Chinese calendar (法定节假日 and 调休 make-up
 * workdays), in Asia/Shanghai (UTC+8, no daylight saving). Pure: the calendar is a port.
 */
export interface WorkCalendar {
  /** Whether the date (YYYY-MM-DD, Asia/Shanghai) is a working day: weekdays that are not holidays, plus make-up workdays. */
  isWorkday(date: string): boolean;
}

const OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The calendar date in Asia/Shanghai of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** YYYY-MM of an instant in Asia/Shanghai (the month statistics count it in). */
export function periodMonth(at: Date): string {
  return shanghaiDate(at).slice(0, 7);
}

/** The calendar date `n` days after (or, negative, before) a date, both YYYY-MM-DD. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The end (23:59:59.999 Asia/Shanghai) of a calendar date, as an instant. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - OFFSET_MS - 1);
}

/**
 * The date of the n-th working day after the day of `start` (the start day itself is not
 * counted, as the day a request arrives is not counted in Chinese administrative deadlines).
 */
export function addWorkingDays(start: Date, n: number, calendar: WorkCalendar): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('working days must be a positive integer');
  let date = shanghaiDate(start);
  let left = n;
  for (let guard = 0; guard < 3660; guard++) {
    date = addDays(date, 1);
    if (calendar.isWorkday(date) && --left === 0) return date;
  }
  throw new RangeError('no working day found within ten years');
}

/** Deadline instant: the end of the n-th working day after `start`. */
export function workingDayDeadline(start: Date, n: number, calendar: WorkCalendar): Date {
  return endOfShanghaiDay(addWorkingDays(start, n, calendar));
}

/** Working days from the day of `from` (exclusive) to the day of `to` (inclusive); 0 when `to` is not later. */
export function workingDaysBetween(from: Date, to: Date, calendar: WorkCalendar): number {
  let date = shanghaiDate(from);
  const end = shanghaiDate(to);
  let n = 0;
  for (let guard = 0; date < end && guard < 3660; guard++) {
    date = addDays(date, 1);
    if (calendar.isWorkday(date)) n++;
  }
  return n;
}

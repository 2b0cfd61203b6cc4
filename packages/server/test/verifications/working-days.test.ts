import { describe, expect, it } from 'vitest';
import { chineseCalendar } from '../../src/shared/calendar/chinese-calendar.ts';
import { addWorkingDays, periodMonth, shanghaiDate, workingDayDeadline, workingDaysBetween } from '../../src/shared/calendar/working-days.ts';
import { VERIFICATION_TRANSITIONS, nextVerificationStatus, statusAfterDeadlineChange, type VerificationEvent, type VerificationStatus } from '../../src/verifications/domain/verification-state.ts';

/** 2025-09-30 10:00 in Beijing. */
const sep30 = new Date('2025-09-30T02:00:00Z');

describe('working days in the official calendar', () => {
  it('skips the National Day week and counts the make-up Saturday 2025-10-11', () => {
    // 10-01..10-08 are holidays; 10-09 (Thu), 10-10 (Fri) and 10-11 (Sat, make-up workday) are working days.
    expect(addWorkingDays(sep30, 1, chineseCalendar)).toBe('2025-10-09');
    expect(addWorkingDays(sep30, 3, chineseCalendar)).toBe('2025-10-11');
    expect(addWorkingDays(sep30, 4, chineseCalendar)).toBe('2025-10-13');
  });
  it('counts the make-up Sunday 2025-09-28 before the holiday', () => {
    expect(addWorkingDays(new Date('2025-09-26T02:00:00Z'), 1, chineseCalendar)).toBe('2025-09-28');
  });
  it('ends the deadline at the end of the Beijing day', () => {
    expect(workingDayDeadline(sep30, 3, chineseCalendar).toISOString()).toBe('2025-10-11T15:59:59.999Z');
  });
  it('uses the Beijing date of an instant (late UTC evening is the next day)', () => {
    expect(shanghaiDate(new Date('2025-09-30T17:00:00Z'))).toBe('2025-10-01');
    expect(periodMonth(new Date('2025-09-30T17:00:00Z'))).toBe('2025-10');
  });
  it('counts working days between two instants', () => {
    expect(workingDaysBetween(sep30, new Date('2025-10-11T05:00:00Z'), chineseCalendar)).toBe(3);
    expect(workingDaysBetween(sep30, sep30, chineseCalendar)).toBe(0);
  });
  it('refuses a non-positive count', () => {
    expect(() => addWorkingDays(sep30, 0, chineseCalendar)).toThrow(RangeError);
  });
});

describe('verification request transitions', () => {
  const allowed: Record<string, VerificationStatus> = {
    'pending/confirm': 'confirmed', 'pending/deny': 'denied', 'pending/escalate': 'escalated', 'pending/withdraw': 'withdrawn',
    'escalated/confirm': 'confirmed', 'escalated/deny': 'denied', 'escalated/withdraw': 'withdrawn', 'escalated/extend': 'pending',
  };
  const states = Object.keys(VERIFICATION_TRANSITIONS) as VerificationStatus[];
  const events: VerificationEvent[] = ['confirm', 'deny', 'escalate', 'withdraw', 'extend'];
  for (const s of states) for (const e of events) {
    it(`${s} --${e}--> ${allowed[`${s}/${e}`] ?? 'forbidden'}`, () => expect(nextVerificationStatus(s, e)).toBe(allowed[`${s}/${e}`]));
  }
});

describe('a calendar change moving a request\'s deadline', () => {
  const due = new Date('2027-01-04T15:59:59.999Z');
  it('makes an escalated request pending again when its new deadline has not passed (to the millisecond)', () => {
    expect(statusAfterDeadlineChange('escalated', due, new Date('2027-01-03T02:00:00Z'))).toBe('pending');
    expect(statusAfterDeadlineChange('escalated', due, due)).toBe('pending');
  });
  it('leaves an escalated request whose new deadline has passed too, and a pending one (the sweep escalates it)', () => {
    expect(statusAfterDeadlineChange('escalated', due, new Date(due.getTime() + 1))).toBe('escalated');
    expect(statusAfterDeadlineChange('pending', due, new Date(due.getTime() + 1))).toBe('pending');
    expect(statusAfterDeadlineChange('pending', due, new Date('2027-01-03T02:00:00Z'))).toBe('pending');
  });
});

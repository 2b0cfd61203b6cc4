/**
 * The UI shows every time in Beijing time (UTC+8), the zone the platform's deadlines, report
 * months and signed commitments are counted in — not in the zone of the browser, which on a
 * kiosk or a clerk's machine set to UTC showed a review deadline of 23:59 Beijing time as 15:59.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingInstant, formatDateTime } from '../src/shell/i18n/i18n';

describe('formatDateTime', () => {
  const saved = process.env.TZ;
  // a browser whose clock is set to UTC (the default of many images)
  beforeAll(() => { process.env.TZ = 'UTC'; });
  afterAll(() => { if (saved === undefined) delete process.env.TZ; else process.env.TZ = saved; });

  it('shows a review deadline (end of a Beijing day) as 23:59 of that day, in either language', () => {
    const due = '2026-11-27T15:59:59.999Z'; // 2026-11-27 23:59:59.999 +08:00
    expect(new Date(due).getHours()).toBe(15); // the process really runs in UTC
    expect(formatDateTime(due, 'zh-CN')).toContain('2026年11月27日');
    expect(formatDateTime(due, 'zh-CN')).toContain('23:59');
    expect(formatDateTime(due, 'en')).toContain('27 Nov 2026');
    expect(formatDateTime(due, 'en')).toContain('23:59');
  });

  it('moves a time after 16:00 UTC to the next Beijing day', () => {
    expect(formatDateTime('2026-01-01T16:30:00Z', 'zh-CN')).toContain('2026年1月2日');
    expect(formatDateTime('2026-01-01T16:30:00Z', 'zh-CN')).toContain('00:30');
  });

  it('returns an unparsable value as it is and nothing for none', () => {
    expect(formatDateTime('not a date', 'en')).toBe('not a date');
    expect(formatDateTime(null, 'zh-CN')).toBe('');
  });
});

describe('beijingInstant', () => {
  it('takes a picked wall-clock time as Beijing time, whatever the browser\'s zone', async () => {
    const dayjs = (await import('dayjs')).default;
    const saved = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      const picked = dayjs('2026-11-27 00:00:00');
      expect(picked.toISOString()).toBe('2026-11-27T00:00:00.000Z'); // the browser's zone would make it 08:00 in Beijing
      expect(beijingInstant(picked)).toBe('2026-11-27T00:00:00+08:00');
      expect(new Date(beijingInstant(picked)).toISOString()).toBe('2026-11-26T16:00:00.000Z');
    } finally {
      if (saved === undefined) delete process.env.TZ; else process.env.TZ = saved;
    }
  });
});

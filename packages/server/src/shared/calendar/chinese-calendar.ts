import chineseDays from 'chinese-days';
import type { WorkCalendar } from './working-days.ts';

/**
 * The official calendar from the `chinese-days` package (State Council holiday notices,
 * make-up workdays included). Years the package does not know yet fall back to Monday–Friday.
 */
export const chineseCalendar: WorkCalendar = {
  isWorkday(date: string): boolean {
    try {
      return chineseDays.isWorkday(date);
    } catch {
      const d = new Date(`${date}T00:00:00Z`).getUTCDay();
      return d !== 0 && d !== 6;
    }
  },
};

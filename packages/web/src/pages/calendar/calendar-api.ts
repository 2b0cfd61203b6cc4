import { apiFetch } from '../../api/http';

export type DaySource = 'package' | 'statutory' | 'override';
export interface CalendarDay { date: string; work: boolean; name: string; source: DaySource }
export interface CalendarYear {
  year: number;
  /** package: the chinese-days package carries the year's notice; statutory: statutory holidays only */
  source: 'package' | 'statutory';
  overridden: number;
  days: CalendarDay[];
  warning?: { zh: string; en: string };
  /** mayEdit: a data administrator of the province (a city's reads only) */
  viewer?: { mayEdit: boolean };
}
export interface CalendarOverride { date: string; work: boolean; name: string }

export const calendarApi = {
  year: (year: number, signal?: AbortSignal) => apiFetch<CalendarYear>(`/api/v1/calendar/${year}`, { signal }),
  replace: (year: number, days: CalendarOverride[]) => apiFetch<CalendarYear>(`/api/v1/calendar/${year}`, { method: 'PUT', json: { days } }),
};

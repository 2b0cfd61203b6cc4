import { Type } from 'typebox';
import type { Role } from '../../identity/domain/roles.ts';
import { staffRegionLevel } from '../../identity/use-cases/staff-region.ts';
import { requireActor, responses, type App } from '../../shared/http.ts';
import { MAX_OVERRIDES, MAX_YEAR, MIN_YEAR, NAME_MAX } from '../domain/calendar-year.ts';
import { getCalendarYear } from '../use-cases/get-calendar-year.ts';
import { replaceCalendarYear } from '../use-cases/replace-calendar-year.ts';

/** Staff whose work runs on working-day deadlines see the calendar; the province's data administrators maintain it. */
const STAFF: readonly Role[] = ['clerk', 'issuer', 'catalog_admin', 'data_admin', 'supervisor'];

const Params = Type.Object({ year: Type.Integer({ minimum: MIN_YEAR, maximum: MAX_YEAR }) });
const Source = Type.Union([Type.Literal('package'), Type.Literal('statutory'), Type.Literal('override')]);
const CalendarYear = Type.Object({
  year: Type.Integer(),
  source: Type.Union([Type.Literal('package'), Type.Literal('statutory')], { description: 'package: the chinese-days package carries the year\'s notice; statutory: it does not, statutory holidays only' }),
  overridden: Type.Integer({ description: 'dates of the year an administrator has entered' }),
  days: Type.Array(Type.Object({
    date: Type.String({ format: 'date' }), work: Type.Boolean(), name: Type.String(), source: Source,
  }), { description: 'every date that is not what Monday–Friday would make it (holidays on weekdays, make-up workdays on weekends), and every override, by date' }),
  warning: Type.Optional(Type.Object({ zh: Type.String(), en: Type.String() })),
});
const Viewer = Type.Object({
  mayEdit: Type.Boolean({ description: 'the caller may enter the notice: a data administrator of the province (a city\'s reads only)' }),
});

const CalendarYearReplaced = Type.Object({
  ...CalendarYear.properties,
  recomputed: Type.Object({
    verificationRequests: Type.Integer({ description: 'open department verification requests whose deadline moved' }),
    reviewDeadlines: Type.Integer({ description: 'applications under review whose review deadline moved' }),
  }, { description: 'working-day deadlines still running, counted again from their start in the new calendar (each change audited)' }),
});

export function calendarRoutes(app: App): void {
  app.get('/api/v1/calendar/:year', {
    config: { roles: STAFF },
    schema: {
      tags: ['calendar'], summary: '节假日安排 The official working-day calendar of a year: holidays, make-up workdays and their source',
      params: Params,
      response: responses({ 200: Type.Object({ ...CalendarYear.properties, viewer: Viewer }) }),
    },
  }, async (request) => {
    const actor = requireActor(request);
    const [year, level] = await Promise.all([getCalendarYear(request.params.year, app.deps), staffRegionLevel(actor, app.deps)]);
    return { ...year, viewer: { mayEdit: actor.roles.includes('data_admin') && level.province } };
  });

  app.put('/api/v1/calendar/:year', {
    config: { roles: ['data_admin'] },
    schema: {
      tags: ['calendar'], summary: '录入放假安排 Replace a year\'s overrides with the State Council\'s holiday notice (all or nothing); working-day deadlines still running are recomputed',
      params: Params,
      body: Type.Object({
        days: Type.Array(Type.Object({
          date: Type.String({ format: 'date', description: 'YYYY-MM-DD, within the year' }),
          work: Type.Boolean({ description: 'true: a working day (调休 make-up workday); false: a day off' }),
          name: Type.String({ minLength: 1, maxLength: NAME_MAX, description: 'e.g. 春节, 国庆节调休上班' }),
        }, { additionalProperties: false }), { maxItems: MAX_OVERRIDES }),
      }, { additionalProperties: false }),
      response: responses({ 200: CalendarYearReplaced }),
    },
  }, async (request) => replaceCalendarYear(request.params.year, request.body.days, requireActor(request), app.deps));
}

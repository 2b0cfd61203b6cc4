import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireActor, responses, type App } from '../../shared/http.ts';
import { caseStats, commitmentStats, exemptionRate, scopedFilter, verificationStats, type Dimension } from '../use-cases/application-stats.ts';
import { monthlyReport } from '../use-cases/monthly-report.ts';
import { viewableRegions } from '../use-cases/viewable-regions.ts';

const STATS_ROLES = ['supervisor', 'catalog_admin', 'data_admin'] as const;
/** YYYY-MM, years 2000–2099 (the platform's data begin in the 2020s; earlier years would label report months wrongly) */
const Month = Type.String({ pattern: '^20\\d{2}-(0[1-9]|1[0-2])$' });
const Filter = { from: Type.Optional(Month), to: Type.Optional(Month), region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })) };
const NNum = Type.Union([Type.Number(), Type.Null()]);

export function statsRoutes(app: App): void {
  const deps = app.deps;
  /** The query as the caller may read it: a region within the caller's, by default the caller's. */
  const scoped = <T extends { region?: string }>(request: FastifyRequest, query: T) => scopedFilter(query, 'querystring.region', requireActor(request), deps);
  const RegionSchema = Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), parentCode: Type.Union([Type.String(), Type.Null()]) });
  app.get('/api/v1/stats/regions', {
    config: { roles: STATS_ROLES },
    schema: {
      tags: ['stats'], summary: '可查看的地区 The regions the caller\'s statistics may be filtered by: the caller\'s region (its own, else its department\'s) and those within it',
      response: responses({ 200: Type.Object({
        scope: Type.Union([RegionSchema, Type.Null()], { description: 'the caller\'s region, the figures\' default; null: every region' }),
        items: Type.Array(RegionSchema),
      }) }),
    },
  }, async (request) => viewableRegions(requireActor(request), deps));

  app.get('/api/v1/stats/exemption-rate', {
    config: { roles: STATS_ROLES },
    schema: {
      tags: ['stats'], summary: '免提交率 Materials satisfied without submission / all proof materials required, by region, department, service item, method or month',
      querystring: Type.Object({ ...Filter, by: Type.Union(['region', 'department', 'service_item', 'method', 'month'].map((d) => Type.Literal(d)), { default: 'month' }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ by: Type.String(), total: Type.Integer(), exempt: Type.Integer(), rate: NNum, items: Type.Array(Type.Object({ key: Type.String(), total: Type.Integer(), exempt: Type.Integer(), rate: NNum })) }) }),
    },
  }, async (request) => exemptionRate(await scoped(request, request.query), request.query.by as Dimension, deps));

  app.get('/api/v1/stats/commitments', {
    config: { roles: STATS_ROLES },
    schema: {
      tags: ['stats'], summary: '告知承诺 Commitment cases, post-checks and their outcomes, credit records',
      querystring: Type.Object(Filter, { additionalProperties: false }),
      response: responses({
        200: Type.Object({
          cases: Type.Integer(), signed: Type.Integer(), byMonth: Type.Array(Type.Object({ month: Type.String(), cases: Type.Integer(), signed: Type.Integer() })),
          postChecks: Type.Object({ total: Type.Integer(), open: Type.Integer(), overdue: Type.Integer(), truthful: Type.Integer(), false: Type.Integer(), sampled: Type.Integer(), creditHistory: Type.Integer(), falseRate: NNum }),
          creditRecords: Type.Object({ active: Type.Integer(), total: Type.Integer() }),
        }),
      }),
    },
  }, async (request) => commitmentStats(await scoped(request, request.query), deps));

  app.get('/api/v1/stats/verifications', {
    config: { roles: STATS_ROLES },
    schema: {
      tags: ['stats'], summary: '部门核验 Verification requests and the on-time rate (answered within the working-day deadline)',
      querystring: Type.Object(Filter, { additionalProperties: false }),
      response: responses({
        200: Type.Object({
          requests: Type.Integer(), answered: Type.Integer(), onTime: Type.Integer(), confirmed: Type.Integer(), escalated: Type.Integer(), onTimeRate: NNum,
          byMonth: Type.Array(Type.Object({ month: Type.String(), requests: Type.Integer(), answered: Type.Integer(), onTime: Type.Integer(), confirmed: Type.Integer(), escalated: Type.Integer(), onTimeRate: NNum })),
        }),
      }),
    },
  }, async (request) => verificationStats(await scoped(request, request.query), deps));

  app.get('/api/v1/stats/cases', {
    config: { roles: STATS_ROLES },
    schema: {
      tags: ['stats'], summary: '办件量 Cases per month with year-on-year change',
      querystring: Type.Object(Filter, { additionalProperties: false }),
      response: responses({
        200: Type.Object({
          total: Type.Integer(),
          byMonth: Type.Array(Type.Object({ month: Type.String(), cases: Type.Integer(), approved: Type.Integer(), rejected: Type.Integer(), sameMonthLastYear: Type.Union([Type.Integer(), Type.Null()]), yoy: NNum })),
        }),
      }),
    },
  }, async (request) => caseStats(await scoped(request, request.query), deps));

  app.get('/api/v1/stats/monthly-report.xlsx', {
    config: { roles: STATS_ROLES },
    schema: {
      tags: ['stats'], summary: '月度报告 One month\'s figures as .xlsx: overview with year-on-year, exemption rate by region, department, service item and method, the last 12 months',
      querystring: Type.Object({ month: Month, region: Filter.region }, { additionalProperties: false }),
      response: { 200: Type.Any({ description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), ...responses({}) },
    },
  }, async (request, reply) => {
    const { month, region } = await scoped(request, request.query);
    const { workbook, regionName } = await monthlyReport({ month, region }, deps);
    const zhName = `免证月度报告-${regionName}-${month}.xlsx`;
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="monthly-report-${region ?? 'all'}-${month}.xlsx"; filename*=UTF-8''${encodeURIComponent(zhName)}`).send(workbook);
  });
}

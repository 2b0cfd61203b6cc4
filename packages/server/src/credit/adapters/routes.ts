import { Type } from 'typebox';
import { PageNumber, requireActor, responses, type App } from '../../shared/http.ts';
import { exportCreditRecords, listCreditRecords, listPostChecks, recordPostCheckResult, repairCreditRecord } from '../use-cases/credit-supervision.ts';

const NStr = Type.Union([Type.String(), Type.Null()]);
const CreditRecordSchema = Type.Object({
  id: Type.String(), subjectName: Type.String(), subjectCodeMask: Type.String(), subjectKind: Type.String(), type: Type.String(), typeLabel: Type.String(),
  source: Type.Object({ type: Type.String(), id: Type.String(), ref: Type.String() }), departmentName: Type.String(), detail: Type.String(),
  recordedAt: Type.String(), validUntil: Type.String(), status: Type.String(), repairedAt: NStr, repairReason: NStr,
});
const CreditQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('repaired'), Type.Literal('expired')])), q: Type.Optional(Type.String({ maxLength: 64 })),
  page: PageNumber, pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
}, { additionalProperties: false });

export function creditRoutes(app: App): void {
  const deps = app.deps;
  app.get('/api/v1/post-checks', {
    config: { roles: ['issuer'] },
    schema: {
      tags: ['credit'], summary: '事后核查任务 Post-check tasks assigned to my department',
      querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done')])), page: PageNumber, pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }, { additionalProperties: false }),
      response: responses({
        200: Type.Object({
          total: Type.Integer(),
          items: Type.Array(Type.Object({
            id: Type.String(), commitmentId: Type.String(), applicationId: Type.String(), applicationRef: Type.String(), proofItemName: Type.String(), subjectName: Type.String(),
            subjectCodeMask: Type.String(), reason: Type.String(), status: Type.String(), createdAt: Type.String(), dueAt: Type.String(), overdue: Type.Boolean(),
            result: Type.Union([Type.Boolean(), Type.Null()]), note: NStr, checkedAt: NStr,
          })),
        }),
      }),
    },
  }, async (request) => listPostChecks(request.query, requireActor(request), deps));

  app.post('/api/v1/post-checks/:id/result', {
    config: { roles: ['issuer'] },
    schema: {
      tags: ['credit'], summary: '核查结论 Record whether the commitment was true; false → credit record',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      body: Type.Object({ truthful: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ id: Type.String(), status: Type.String(), result: Type.Boolean(), creditRecordId: NStr }) }),
    },
  }, async (request) => recordPostCheckResult({ id: request.params.id, ...request.body }, requireActor(request), deps));

  app.get('/api/v1/credit/records', {
    config: { roles: ['supervisor'] },
    schema: { tags: ['credit'], summary: '信用记录 Credit records (false commitments) of my region', querystring: CreditQuery, response: responses({ 200: Type.Object({ items: Type.Array(CreditRecordSchema), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }) }) },
  }, async (request) => listCreditRecords(request.query, requireActor(request), deps));

  app.get('/api/v1/credit/records/export.xlsx', {
    config: { roles: ['supervisor'] },
    schema: { tags: ['credit'], summary: '导出信用记录 Export the credit records of my region as .xlsx', querystring: CreditQuery, response: { 200: Type.Any(), ...responses({}) } },
  }, async (request, reply) => {
    const data = await exportCreditRecords(request.query, requireActor(request), deps);
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="credit-records.xlsx"; filename*=UTF-8''${encodeURIComponent('信用记录.xlsx')}`).send(data);
  });

  app.post('/api/v1/credit/records/:id/repair', {
    config: { roles: ['supervisor'] },
    schema: {
      tags: ['credit'], summary: '信用修复 Repair a credit record of my region (ends the exclusion early), with a reason; another region\'s is 404',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }), body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ ok: Type.Boolean() }) }),
    },
  }, async (request) => {
    await repairCreditRecord({ id: request.params.id, reason: request.body.reason }, requireActor(request), deps);
    return { ok: true };
  });
}

import { Type } from 'typebox';
import { PageNumber, requireActor, responses, type App } from '../../shared/http.ts';
import { answerVerification, escalateOverdue, listEscalated, listInbox } from '../use-cases/verification-requests.ts';

const NStr = Type.Union([Type.String(), Type.Null()]);
export const VerificationSchema = Type.Object({
  id: Type.String(), applicationId: Type.String(), applicationRef: Type.String(), proofItemId: Type.String(), proofItemName: Type.String(),
  requestingDepartmentName: Type.String(), issuingDepartmentId: Type.String(), subjectName: Type.String(), subjectCodeMask: Type.String(), question: Type.String(),
  status: Type.String(), requestedAt: Type.String(), dueAt: Type.String(), workingDays: Type.Integer(), overdue: Type.Boolean(), escalatedAt: NStr, answeredAt: NStr,
  reason: NStr, onTime: Type.Union([Type.Boolean(), Type.Null()]), issuingDepartmentName: Type.Optional(Type.String()),
});

/** Sweeps overdue verification requests every minute while the app runs. */
function startEscalationSweep(app: App): void {
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(() => { escalateOverdue(app.deps).catch((err) => app.log.warn({ err }, 'verification escalation sweep failed')); }, 60_000);
    timer.unref();
  });
  app.addHook('onClose', async () => { if (timer) clearInterval(timer); });
}

export function verificationRoutes(app: App): void {
  const deps = app.deps;
  startEscalationSweep(app);
  app.get('/api/v1/verifications/inbox', {
    config: { roles: ['issuer'] },
    schema: {
      tags: ['verifications'], summary: '核验收件箱 Requests addressed to my department (issuing department staff)',
      querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('answered')])), page: PageNumber, pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ total: Type.Integer(), items: Type.Array(VerificationSchema) }) }),
    },
  }, async (request) => listInbox(request.query, requireActor(request), deps));

  app.post('/api/v1/verifications/:id/answer', {
    config: { roles: ['issuer'] },
    schema: {
      tags: ['verifications'], summary: '答复核验 Confirm or deny, with a reason (issuing department only)',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      body: Type.Object({ confirmed: Type.Boolean(), reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      response: responses({ 200: VerificationSchema }),
    },
  }, async (request) => answerVerification({ id: request.params.id, ...request.body }, requireActor(request), deps));

  app.get('/api/v1/verifications/escalated', {
    config: { roles: ['supervisor'] },
    schema: {
      tags: ['verifications'], summary: '超期核验 Overdue requests escalated to supervisors of their region, oldest deadline first',
      querystring: Type.Object({ page: PageNumber, pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ total: Type.Integer(), items: Type.Array(VerificationSchema) }) }),
    },
  }, async (request) => listEscalated(request.query, requireActor(request), deps));
}

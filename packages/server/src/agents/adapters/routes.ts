import { Type } from 'typebox';
import { PageNumber, requireActor, responses, type App } from '../../shared/http.ts';
import { DateTimeInput } from '../../shared/date-time-input.ts';
import { checkIdentity } from '../use-cases/check-identity.ts';
import { authorizeAgent, listAuthorizations, revokeAuthorization } from '../use-cases/manage-authorizations.ts';
import { documentCheck, faceVerificationUnavailable } from './document-check.ts';

const AuthorizationSchema = Type.Object({
  id: Type.String(),
  principal: Type.Object({
    id: Type.String(), name: Type.String(),
    kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')], { description: '服务对象 the principal applies as: person 自然人 / enterprise 法人' }),
  }),
  agent: Type.Object({ id: Type.String(), name: Type.String() }),
  serviceItemCodes: Type.Array(Type.String()),
  serviceItems: Type.Array(Type.Object({
    code: Type.String(), name: Type.String(), applicantKinds: Type.Array(Type.String()),
    offered: Type.Boolean({ description: 'false: removed from the published list since; the authorization no longer covers applying for it' }),
  }), { description: 'the items of serviceItemCodes, in order, named as the published list has them' }),
  validFrom: Type.String(), validUntil: Type.String(), status: Type.String(), createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

export function agentRoutes(app: App): void {
  const deps = app.deps;
  app.post('/api/v1/agent-authorizations', {
    config: { roles: ['applicant'] },
    schema: {
      tags: ['agents'], summary: '代办授权 Authorise an agent for service items and a period (at most a year); only items the principal\'s kind (服务对象) may apply for',
      body: Type.Object({
        agentUsername: Type.String({ minLength: 1, maxLength: 64 }), serviceItemCodes: Type.Array(Type.String({ minLength: 3, maxLength: 64 }), { minItems: 1, maxItems: 50 }),
        validFrom: Type.Optional(DateTimeInput({ description: 'the mandate begins (default: now)' })), validUntil: DateTimeInput({ description: 'the mandate ends' }),
      }, { additionalProperties: false }),
      response: responses({ 201: AuthorizationSchema }),
    },
  }, async (request, reply) => reply.status(201).send(await authorizeAgent(request.body, requireActor(request), deps)));

  app.get('/api/v1/agent-authorizations', {
    config: { roles: ['applicant', 'agent'] },
    schema: {
      tags: ['agents'], summary: '授权列表 Authorizations I gave (applicant) or hold (agent): those in force first, then newest first; one page with the total',
      querystring: Type.Object({
        side: Type.Union([Type.Literal('given'), Type.Literal('received')], { default: 'given' }),
        page: PageNumber, pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 200 }),
      }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ items: Type.Array(AuthorizationSchema), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }) }),
    },
  }, async (request) => listAuthorizations(request.query, requireActor(request), deps));

  app.post('/api/v1/agent-authorizations/:id/revoke', {
    config: { roles: ['applicant'] },
    schema: { tags: ['agents'], summary: '撤销授权 Revoke an authorization', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: responses({ 200: AuthorizationSchema }) },
  }, async (request) => revokeAuthorization(request.params.id, requireActor(request), deps));

  app.post('/api/v1/identity-checks', {
    config: { roles: ['agent', 'clerk'] },
    schema: {
      tags: ['agents'], summary: '现场身份核验 Check a walk-in applicant\'s identity (document check by the clerk; face verification later)',
      body: Type.Object({
        method: Type.Union([Type.Literal('document'), Type.Literal('face')], { default: 'document' }), name: Type.String({ minLength: 1, maxLength: 100 }),
        kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')], { default: 'person' }), code: Type.String({ minLength: 18, maxLength: 18 }),
        documentInspected: Type.Boolean(),
      }, { additionalProperties: false }),
      response: responses({
        201: Type.Object({
          id: Type.String(), method: Type.String(), subjectName: Type.String(), subjectCodeMask: Type.String(), verified: Type.Boolean(),
          checks: Type.Array(Type.Object({ name: Type.String(), passed: Type.Boolean() })), checkedAt: Type.String(), validUntil: Type.String(),
        }),
      }),
    },
  }, async (request, reply) => {
    const { method, ...input } = request.body;
    return reply.status(201).send(await checkIdentity(input, method === 'face' ? faceVerificationUnavailable : documentCheck, requireActor(request), deps));
  });
}

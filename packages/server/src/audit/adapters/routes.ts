import { Type } from 'typebox';
import { PageNumber, requireActor, responses, type App } from '../../shared/http.ts';
import { listMyAccessLog } from '../use-cases/list-my-access-log.ts';
import { verifyAuditChain } from '../use-cases/verify-audit-chain.ts';

export function auditRoutes(app: App): void {
  app.get('/api/v1/audit/verify', {
    config: { roles: ['supervisor'] },
    schema: {
      tags: ['audit'], summary: '核验审计链 Recompute the audit hash chain and report the first broken link',
      response: responses({
        200: Type.Object({
          ok: Type.Boolean(), checked: Type.Integer(), chains: Type.Integer(),
          firstBroken: Type.Optional(Type.Object({ chain: Type.Integer(), seq: Type.Integer(), reason: Type.String() })),
        }),
      }),
    },
  }, async () => verifyAuditChain(app.deps.db));

  app.get('/api/v1/me/access-log', {
    config: { roles: ['applicant', 'agent', 'clerk', 'issuer', 'catalog_admin', 'data_admin', 'supervisor', 'verifier'] },
    schema: {
      tags: ['audit'], summary: '数据留痕 Who used my data: every use, with purpose and legal basis',
      querystring: Type.Object({ page: PageNumber, pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }, { additionalProperties: false }),
      response: responses({
        200: Type.Object({
          total: Type.Integer(),
          items: Type.Array(Type.Object({
            id: Type.String(), at: Type.String(), accessorName: Type.String(), dataItem: Type.String(), dataItemLabel: Type.String(), purpose: Type.String(),
            applicationRef: Type.Union([Type.String(), Type.Null()]), legalBasis: Type.String(), outcome: Type.String(), onBehalfOf: Type.Union([Type.String(), Type.Null()]),
            namedAs: Type.Union([Type.Object({
              field: Type.String(), label: Type.String(),
              path: Type.Union([Type.String(), Type.Null()], { description: 'where in the data read: `spouseIdNumber`, `records[2].memberIdNumber` (null: entry written before paths were kept)' }),
              record: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'the record of a many-record answer that names them, counted from 1 (null: not a list of records)' }),
            }, { description: 'set when the data read was not the caller\'s own record but names them (the spouse on a 结婚证): the field that does, and where' }), Type.Null()]),
          })),
        }),
      }),
    },
  }, async (request) => listMyAccessLog(requireActor(request), request.query, app.deps));
}

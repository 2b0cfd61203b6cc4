import { Type } from 'typebox';
import { responses, type App } from '../../shared/http.ts';
import { verifyAuditChain } from '../use-cases/verify-audit-chain.ts';

export function auditRoutes(app: App): void {
  app.get('/api/v1/audit/verify', {
    config: { roles: ['supervisor'] },
    schema: {
      tags: ['audit'], summary: '核验审计链 Recompute the audit hash chain and report the first broken link',
      response: responses({
        200: Type.Object({
          ok: Type.Boolean(), checked: Type.Integer(),
          firstBroken: Type.Optional(Type.Object({ seq: Type.Integer(), reason: Type.String() })),
        }),
      }),
    },
  }, async () => verifyAuditChain(app.deps.db));
}

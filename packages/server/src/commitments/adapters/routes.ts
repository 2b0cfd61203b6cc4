import { Type } from 'typebox';
import { requireActor, responses, type App } from '../../shared/http.ts';
import { getCommitment } from '../use-cases/get-commitment.ts';
import { signCommitment } from '../use-cases/sign-commitment.ts';
import { renderCommitmentPdf } from './commitment-pdf.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const NStr = Type.Union([Type.String(), Type.Null()]);
const CommitmentSchema = Type.Object({
  id: Type.String(), applicationId: Type.String(), applicationRef: Type.String(), serviceItemName: Type.String(), proofItemId: Type.String(), proofItemName: Type.String(),
  applicantName: Type.String(), applicantCodeMask: Type.String(), notice: Type.Record(Type.String(), Type.String()), statements: Type.Array(Type.String()),
  text: Type.String(), textDigest: Type.String(),
  rule: Type.Object({ conditions: Type.String(), consequence: Type.String(), postCheck: Type.Object({ samplingRate: Type.Number(), withinDays: Type.Number() }) }),
  status: Type.String(), createdAt: Type.String(), signedAt: NStr, signedVia: NStr,
  seal: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]), canSign: Type.Boolean(),
});

export function commitmentRoutes(app: App): void {
  const deps = app.deps;
  app.get('/api/v1/commitments/:id', {
    config: { roles: ['applicant', 'agent', 'clerk', 'issuer', 'supervisor'] },
    schema: { tags: ['commitments'], summary: '告知承诺书 The notice, the statements and the full text to sign', params: IdParams, response: responses({ 200: CommitmentSchema }) },
  }, async (request) => getCommitment(request.params.id, requireActor(request), deps));

  app.post('/api/v1/commitments/:id/sign', {
    config: { roles: ['applicant', 'agent', 'clerk'] },
    schema: {
      tags: ['commitments'],
      summary: '签署承诺 The applicant signs with their own account (an agent cannot); a walk-in applicant signs in person with a current identity check (identityCheckId)',
      params: IdParams,
      body: Type.Object({ accept: Type.Literal(true), identityCheckId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ status: Type.String(), postCheckScheduled: Type.Boolean(), commitment: CommitmentSchema }) }),
    },
  }, async (request) => {
    const actor = requireActor(request);
    return signCommitment({ commitmentId: request.params.id, accept: request.body.accept, identityCheckId: request.body.identityCheckId }, actor, deps);
  });

  app.get('/api/v1/commitments/:id/pdf', {
    config: { roles: ['applicant', 'agent', 'clerk', 'issuer', 'supervisor'] },
    schema: { tags: ['commitments'], summary: '打印承诺书 The commitment as a printable PDF (Chinese text, CJK font embedded)', params: IdParams, response: { 200: Type.Any({ description: 'application/pdf' }), ...responses({}) } },
  }, async (request, reply) => {
    const c = await getCommitment(request.params.id, requireActor(request), deps);
    const pdf = await renderCommitmentPdf({ text: c.text, textDigest: c.textDigest, status: c.status, signedAt: c.signedAt, signedVia: c.signedVia, seal: c.seal as { keyId?: string; signature?: string } | null });
    // which characters (code points only, not the text) need a font installed: printed as □ meanwhile
    if (pdf.missing.length) request.log.warn({ commitmentId: c.id, missing: pdf.missing }, 'commitment PDF: characters no installed font has, printed as □');
    return reply.header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="commitment-${c.applicationRef}.pdf"; filename*=UTF-8''${encodeURIComponent(`告知承诺书-${c.applicationRef}.pdf`)}`)
      .send(Buffer.from(pdf.bytes));
  });
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { APPLICANT_KINDS } from '../../catalog/domain/applicant-kinds.ts';
import type { PublishedServiceItem } from '../../catalog/domain/published.ts';
import { hasRole, type Actor } from '../../identity/domain/roles.ts';
import { AppError } from '../../shared/errors.ts';
import { PageNumber, requireActor, responses, type App } from '../../shared/http.ts';
import { BUNDLES, bundleServiceCodes, findBundle } from '../domain/bundles.ts';
import type { ResolutionMethod } from '../domain/resolution.ts';
import { assertCanRead } from '../use-cases/access.ts';
import { createApplications, type CreateInput } from '../use-cases/create-application.ts';
import { completeApplication, decideApplication, withdrawApplication, type Decision } from '../use-cases/decide-application.ts';
import { applicationView, getApplicationView } from '../use-cases/get-application.ts';
import { listApplications } from '../use-cases/list-applications.ts';
import { chooseMethod, retryMaterial, uploadMaterial } from '../use-cases/material-actions.ts';
import { previewApplication } from '../use-cases/preview-application.ts';
import { applicantContext, resolveMaterials } from '../use-cases/resolve-materials.ts';
import { resolveFiling } from '../use-cases/applicant.ts';
import { draftMembersOfBundle, submitApplications, submitBundle, submitInTransaction } from '../use-cases/submit-application.ts';
import { getApplication } from './application-store.ts';
import { completeIdempotencyKey, IdempotentReplay, requestHash, type IdempotencyRequest } from './idempotency.ts';
import { resolutionPorts } from './resolution-ports.ts';
import { ApplicationSchema, BundleViewSchema, FormSchema, PlanSchema, ResolutionMethodSchema, ServiceItemCode, Uuid } from './schemas.ts';
import { MAX_UPLOAD_BYTES } from '../domain/file-type.ts';

const FILERS = ['applicant', 'agent', 'clerk'] as const;
const READERS = ['applicant', 'agent', 'clerk', 'supervisor'] as const;
const APPLICANT_SIDE = ['applicant', 'agent', 'clerk'] as const;
const IdemHeader = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' })) });
const IdParams = Type.Object({ id: Uuid });
const MaterialParams = Type.Object({ id: Uuid, materialId: Type.String({ minLength: 1, maxLength: 80 }) });
const ListQuery = {
  status: Type.Optional(Type.Union(['draft', 'submitted', 'resolving', 'awaiting', 'under_review', 'approved', 'rejected', 'returned', 'completed', 'withdrawn'].map((s) => Type.Literal(s)))),
  q: Type.Optional(Type.String({ maxLength: 64 })), serviceItem: Type.Optional(ServiceItemCode),
  page: PageNumber, pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
};
const ListItem = Type.Object({
  id: Type.String(), ref: Type.String(), bundleId: Type.Union([Type.String(), Type.Null()]), serviceItem: Type.Object({ code: Type.String(), name: Type.String() }),
  departmentName: Type.String(), status: Type.String(), statusLabel: Type.String(), applicantName: Type.String(), applicantCodeMask: Type.String(), viaAgent: Type.Boolean(),
  createdAt: Type.String(), submittedAt: Type.Union([Type.String(), Type.Null()]), reviewDueAt: Type.Union([Type.String(), Type.Null()]), decidedAt: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(), proofMaterials: Type.Integer(), satisfiedWithoutSubmission: Type.Integer(), awaitingMaterials: Type.Integer(), revocationSuggested: Type.Boolean(),
});
const ListResponse = Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(ListItem) });

/**
 * What reading a multipart upload failed on, as the client's error: the file over the limit (413), a
 * limit or state the multipart plugin answers itself (its 4xx), else a body the parser could not read —
 * no boundary, cut off inside a part or its headers — 400 naming `file` (the parser throws plain errors).
 */
function malformedUpload(e: unknown): never {
  if (e instanceof AppError) throw e;
  const err = e as { code?: string; statusCode?: number };
  if (err.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('APPLICATION.FILE_TOO_LARGE', { field: 'file', details: { maxBytes: MAX_UPLOAD_BYTES } });
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) throw e;
  throw new AppError('REQUEST.INVALID', { field: 'file', message: '上传内容不是完整的 multipart/form-data 请求体', messageEn: 'The upload is not a complete multipart/form-data body' });
}

/** A file name as an RFC 8187 ext-value: UTF-8, percent-encoded but for attr-char (encodeURIComponent leaves ' ( ) * as they are). */
function extValue(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Where resuming is safe: the first request died after creating, before resolving (no work under way for 30 s). */
const STUCK_MS = 30_000;

export function applicationRoutes(app: App): void {
  app.addSchema(ApplicationSchema);
  app.addSchema(BundleViewSchema);
  const deps = app.deps;
  const ports = () => resolutionPorts(deps);

  function idempotencyOf(request: FastifyRequest, actor: Actor, scope: string): IdempotencyRequest | undefined {
    const key = (request.headers as Record<string, string | undefined>)['idempotency-key'];
    return key ? { key, accountId: actor.id, requestHash: requestHash(scope, request.body) } : undefined;
  }

  /**
   * A request replayed under its Idempotency-Key: the stored answer; while the first is still under way,
   * the applications as they are now (200) — resuming their resolution if the first died before it.
   */
  async function replay(e: IdempotentReplay, reply: FastifyReply, actor: Actor, render: (ids: string[], bundleId: string | null) => Promise<unknown>) {
    if (e.replay.status !== 0) return reply.status(e.replay.status).send(e.replay.response);
    const placeholder = e.replay.response as { applicationIds: string[]; bundleId: string | null };
    const apps = await deps.db.selectFrom('applications').select(['id', 'status', 'updated_at']).where('id', 'in', placeholder.applicationIds).execute();
    const stuck = apps.filter((a) => a.status === 'submitted' && deps.now().getTime() - new Date(a.updated_at).getTime() > STUCK_MS).map((a) => a.id);
    if (stuck.length) await resolveMaterials(stuck, actor, deps, ports());
    return reply.status(200).send(await render(placeholder.applicationIds, placeholder.bundleId));
  }

  /** Creates (and by default submits) applications, idempotently: one application per key, whatever the retries. */
  async function file(request: FastifyRequest, reply: FastifyReply, input: CreateInput, submit: boolean, scope: string, render: (ids: string[], bundleId: string | null) => Promise<unknown>) {
    const actor = requireActor(request);
    const idem = idempotencyOf(request, actor, scope);
    let created;
    try {
      // filed and submitted in one transaction; the materials are resolved after it commits
      created = await createApplications(input, actor, deps, idem, submit ? (trx, ids) => submitInTransaction(trx, ids, actor, deps) : undefined);
    } catch (e) {
      if (!(e instanceof IdempotentReplay)) throw e;
      return replay(e, reply, actor, render);
    }
    if (submit) await resolveMaterials(created.applicationIds, actor, deps, ports());
    const body = await render(created.applicationIds, created.bundleId);
    if (idem) await completeIdempotencyKey(deps.db, idem, 201, body);
    return reply.status(201).send(body);
  }

  const viewOf = async (id: string, actor: Actor) => applicationView(await getApplication(deps.db, id), actor, deps);
  async function bundleView(bundleId: string, actor: Actor) {
    const b = await deps.db.selectFrom('bundle_applications').selectAll().where('id', '=', bundleId).executeTakeFirst();
    if (!b) throw new AppError('APPLICATION.NOT_FOUND', { field: 'id' });
    const order = findBundle(b.bundle_code)?.itemKeys ?? [];
    const rank = (code: string) => order.findIndex((k) => code.endsWith(`-${k}`));
    const members = (await deps.db.selectFrom('applications').selectAll().where('bundle_id', '=', bundleId).execute()).sort((x, y) => rank(x.service_item_code) - rank(y.service_item_code));
    // each member by its own rights: a clerk sees the members of the own department only, the applicant side all
    const readable: typeof members = [];
    for (const m of members) {
      try {
        await assertCanRead(m, actor, deps);
        readable.push(m);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
      }
    }
    if (readable.length === 0) throw new AppError('APPLICATION.NOT_YOURS', { field: 'id' });
    return { id: b.id, ref: b.ref, code: b.bundle_code, name: b.bundle_name, applications: await Promise.all(readable.map((m) => applicationView(m, actor, deps))) };
  }

  // ---- before applying ----
  app.get('/api/v1/bundles', {
    schema: {
      tags: ['applications'], summary: '一件事主题 Integrated services of a region, with their de-duplicated materials',
      querystring: Type.Object({ region: Type.String({ pattern: '^\\d{6}$', default: '340500' }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ items: Type.Array(Type.Object({
        code: Type.String(), name: Type.String(), description: Type.String(), serviceItemCodes: Type.Array(Type.String()),
        applicantKinds: Type.Array(Type.Union([Type.Literal('person'), Type.Literal('enterprise')]), { description: '服务对象: who may apply for every member (an applicant of another kind is refused)' }),
        plan: PlanSchema,
      })) }) }),
    },
  }, async (request) => {
    const model = await deps.catalogReadModels.get();
    if (!model) throw new AppError('CATALOG.NOT_PUBLISHED');
    const items = BUNDLES.map((b) => ({ b, members: bundleServiceCodes(b, request.query.region).map((c) => model.findServiceItem(c)) }))
      .filter((x): x is { b: typeof x.b; members: PublishedServiceItem[] } => x.members.every((s) => !!s));
    return { items: items.map(({ b, members }) => {
      const codes = members.map((s) => s.code);
      const applicantKinds = APPLICANT_KINDS.filter((k) => members.every((s) => s.applicantKinds.includes(k)));
      return { code: b.code, name: b.name, description: b.description, serviceItemCodes: codes, applicantKinds, plan: previewApplication(model, codes, { commitmentExcluded: null }, deps) };
    }) };
  });

  app.get('/api/v1/applications/preview', {
    config: { roles: ['applicant', 'agent', 'clerk'] },
    schema: {
      tags: ['applications'], summary: '办理前告知 Per material: nothing to provide — we will …, or please upload; with reason and legal basis',
      querystring: Type.Object({
        serviceItemCode: Type.Optional(ServiceItemCode), bundleCode: Type.Optional(Type.String({ maxLength: 16 })), region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
        onBehalfOf: Type.Optional(Uuid), identityCheckId: Type.Optional(Uuid),
      }, { additionalProperties: false }),
      response: responses({ 200: PlanSchema }),
    },
  }, async (request) => {
    const actor = requireActor(request);
    const model = await deps.catalogReadModels.get();
    if (!model) throw new AppError('CATALOG.NOT_PUBLISHED');
    const { serviceItemCode, bundleCode, region, onBehalfOf, identityCheckId } = request.query;
    let codes: string[];
    if (bundleCode) {
      const def = findBundle(bundleCode);
      if (!def) throw new AppError('APPLICATION.BUNDLE_NOT_FOUND', { field: 'bundleCode' });
      codes = bundleServiceCodes(def, region ?? '340500');
    } else if (serviceItemCode) codes = [serviceItemCode];
    else throw new AppError('REQUEST.INVALID', { field: 'serviceItemCode', message: '请指定事项或一件事主题', messageEn: 'Give serviceItemCode or bundleCode' });
    // The plan is for whom the application would be filed, under the same rules as filing:
    // the applicant, a principal who authorised this agent, or a walk-in person this helper checked.
    const filing = identityCheckId || onBehalfOf || hasRole(actor, 'applicant') ? await resolveFiling({ onBehalfOf, identityCheckId }, codes, actor, deps) : null;
    const ctx = filing ? await applicantContext(deps.pii.lookupHash(filing.applicant.code), deps) : { commitmentExcluded: null };
    return previewApplication(model, codes, ctx, deps, filing?.applicant.kind);
  });

  // ---- filing ----
  const filingFields = {
    form: Type.Optional(FormSchema), submit: Type.Boolean({ default: true }),
    onBehalfOf: Type.Optional(Uuid), identityCheckId: Type.Optional(Uuid),
  };
  app.post('/api/v1/applications', {
    config: { roles: FILERS },
    schema: {
      tags: ['applications'], summary: '申请 File an application (draft, or submitted at once — the default); Idempotency-Key makes retries safe',
      headers: IdemHeader,
      body: Type.Object({ serviceItemCode: ServiceItemCode, ...filingFields }, { additionalProperties: false }),
      response: responses({ 200: Type.Ref('Application'), 201: Type.Ref('Application') }),
    },
  }, async (request, reply) => {
    const b = request.body;
    return file(request, reply, { serviceItemCodes: [b.serviceItemCode], form: b.form ?? {}, onBehalfOf: b.onBehalfOf, identityCheckId: b.identityCheckId }, b.submit, 'POST /applications',
      async (ids) => viewOf(ids[0]!, requireActor(request)));
  });

  app.post('/api/v1/bundle-applications', {
    config: { roles: FILERS },
    schema: {
      tags: ['applications'], summary: '一件事申请 Apply for an integrated service: one form, materials de-duplicated, each item decided on its own',
      headers: IdemHeader,
      body: Type.Object({ bundleCode: Type.String({ minLength: 1, maxLength: 16 }), region: Type.String({ pattern: '^\\d{6}$' }), ...filingFields }, { additionalProperties: false }),
      response: responses({ 200: Type.Ref('BundleApplication'), 201: Type.Ref('BundleApplication') }),
    },
  }, async (request, reply) => {
    const b = request.body;
    const def = findBundle(b.bundleCode);
    if (!def) throw new AppError('APPLICATION.BUNDLE_NOT_FOUND', { field: 'bundleCode' });
    return file(request, reply, {
      serviceItemCodes: bundleServiceCodes(def, b.region), bundle: { code: def.code, name: def.name }, form: b.form ?? {}, onBehalfOf: b.onBehalfOf, identityCheckId: b.identityCheckId,
    }, b.submit, 'POST /bundle-applications', async (_ids, bundleId) => bundleView(bundleId!, requireActor(request)));
  });

  app.get('/api/v1/bundle-applications/:id', {
    config: { roles: READERS },
    schema: { tags: ['applications'], summary: '一件事办件 One integrated-service request and each item\'s state', params: IdParams, response: responses({ 200: Type.Ref('BundleApplication') }) },
  }, async (request) => bundleView(request.params.id, requireActor(request)));

  app.post('/api/v1/bundle-applications/:id/submit', {
    config: { roles: APPLICANT_SIDE },
    schema: { tags: ['applications'], summary: '提交一件事 Submit every draft member of a bundle', params: IdParams, response: responses({ 200: Type.Ref('BundleApplication') }) },
  }, async (request) => {
    const actor = requireActor(request);
    await submitBundle(request.params.id, actor, deps, ports());
    return bundleView(request.params.id, actor);
  });

  // ---- the applicant's side ----
  app.get('/api/v1/applications', {
    config: { roles: ['applicant', 'agent'] },
    schema: { tags: ['applications'], summary: '我的办件 My applications (and, for agents, those I filed)', querystring: Type.Object(ListQuery, { additionalProperties: false }), response: responses({ 200: ListResponse }) },
  }, async (request) => listApplications('mine', request.query, requireActor(request), deps));

  app.get('/api/v1/applications/:id', {
    config: { roles: READERS },
    schema: { tags: ['applications'], summary: '办件详情 Every material with its resolution, evidence and legal basis', params: IdParams, response: responses({ 200: Type.Ref('Application') }) },
  }, async (request) => getApplicationView(request.params.id, requireActor(request), deps));

  app.post('/api/v1/applications/:id/submit', {
    config: { roles: APPLICANT_SIDE },
    schema: { tags: ['applications'], summary: '提交 / 补正后重新提交 Submit a draft or resubmit a returned application', headers: IdemHeader, params: IdParams, response: responses({ 200: Type.Ref('Application') }) },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const idem = idempotencyOf(request, actor, `POST /applications/${request.params.id}/submit`);
    const a = await getApplication(deps.db, request.params.id);
    const ids = a.bundle_id && a.status === 'draft' ? await draftMembersOfBundle(deps.db, a.bundle_id) : [a.id];
    try {
      // the key is reserved in the submit's transaction: a retry while the first still resolves replays it
      await submitApplications(ids, actor, deps, ports(), idem);
    } catch (e) {
      if (!(e instanceof IdempotentReplay)) throw e;
      return replay(e, reply, actor, async () => viewOf(a.id, actor));
    }
    const body = await viewOf(a.id, actor);
    if (idem) await completeIdempotencyKey(deps.db, idem, 200, body);
    return body;
  });

  app.post('/api/v1/applications/:id/withdraw', {
    config: { roles: APPLICANT_SIDE },
    schema: { tags: ['applications'], summary: '撤回 Withdraw (until decided)', params: IdParams, response: responses({ 200: Type.Ref('Application') }) },
  }, async (request) => {
    const actor = requireActor(request);
    await withdrawApplication(request.params.id, actor, deps);
    return viewOf(request.params.id, actor);
  });

  app.post('/api/v1/applications/:id/materials/:materialId/upload', {
    config: { roles: APPLICANT_SIDE },
    schema: {
      tags: ['applications'], summary: `上传材料 Upload a document (PDF, JPEG, PNG or OFD, sniffed from the bytes; at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB), multipart field "file"`,
      params: MaterialParams, consumes: ['multipart/form-data'], response: responses({ 200: Type.Ref('Application') }),
    },
  }, async (request) => {
    const actor = requireActor(request);
    if (!request.isMultipart()) throw new AppError('REQUEST.UNSUPPORTED_MEDIA_TYPE', { field: 'file' });
    const part = await request.file({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } }).catch(malformedUpload);
    if (!part) throw new AppError('APPLICATION.FILE_REQUIRED', { field: 'file' });
    const data = await part.toBuffer().catch(malformedUpload);
    await uploadMaterial({ applicationId: request.params.id, materialId: request.params.materialId, filename: part.filename, data }, actor, deps, ports());
    return viewOf(request.params.id, actor);
  });

  app.get('/api/v1/applications/:id/files/:fileId', {
    config: { roles: READERS },
    schema: { tags: ['applications'], summary: '下载材料 Download an uploaded document', params: Type.Object({ id: Uuid, fileId: Uuid }), response: { 200: Type.Any(), ...responses({}) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const a = await getApplication(deps.db, request.params.id);
    await assertCanRead(a, actor, deps);
    const f = await deps.db.selectFrom('application_files').selectAll().where('id', '=', request.params.fileId)
      .where('resolution_id', 'in', deps.db.selectFrom('application_materials').select('resolution_id').where('application_id', '=', a.id).where('resolution_id', 'is not', null).$narrowType<{ resolution_id: string }>())
      .executeTakeFirst();
    if (!f) throw new AppError('APPLICATION.FILE_NOT_FOUND', { field: 'fileId' });
    // the type was sniffed from the bytes at upload: the browser must not guess another
    return reply.header('content-type', f.media_type).header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename*=UTF-8''${extValue(f.filename)}`).send(f.content);
  });

  app.post('/api/v1/applications/:id/materials/:materialId/method', {
    config: { roles: APPLICANT_SIDE },
    schema: {
      tags: ['applications'], summary: '改用其他方式 Switch a waiting material to another allowed method (declining a commitment is always possible)',
      params: MaterialParams, body: Type.Object({ method: ResolutionMethodSchema }, { additionalProperties: false }), response: responses({ 200: Type.Ref('Application') }),
    },
  }, async (request) => {
    const actor = requireActor(request);
    await chooseMethod({ applicationId: request.params.id, materialId: request.params.materialId, method: request.body.method as ResolutionMethod }, actor, deps, ports());
    return viewOf(request.params.id, actor);
  });

  app.post('/api/v1/applications/:id/materials/:materialId/retry', {
    config: { roles: APPLICANT_SIDE },
    schema: { tags: ['applications'], summary: '重试电子证照 Retry the e-license after granting its use', params: MaterialParams, response: responses({ 200: Type.Ref('Application') }) },
  }, async (request) => {
    const actor = requireActor(request);
    await retryMaterial({ applicationId: request.params.id, materialId: request.params.materialId }, actor, deps, ports());
    return viewOf(request.params.id, actor);
  });

  // ---- the clerk's workbench ----
  app.get('/api/v1/workbench/applications', {
    config: { roles: ['clerk'] },
    schema: {
      tags: ['workbench'], summary: '受理工作台 The department queue with filters and deadlines (own department only)',
      querystring: Type.Object({ ...ListQuery, overdue: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: responses({ 200: ListResponse }),
    },
  }, async (request) => listApplications('queue', request.query, requireActor(request), deps));

  for (const decision of ['approve', 'reject', 'return'] as const satisfies readonly Decision[]) {
    app.post(`/api/v1/applications/:id/${decision}`, {
      config: { roles: ['clerk'] },
      schema: {
        tags: ['workbench'], summary: { approve: '准予 Approve', reject: '不予许可 Reject (reason required)', return: '退回补正 Return for correction (reason required)' }[decision],
        params: IdParams, body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), response: responses({ 200: Type.Ref('Application') }),
      },
    }, async (request) => {
      const actor = requireActor(request);
      await decideApplication(request.params.id, decision, (request.body as { reason?: string } | undefined)?.reason, actor, deps);
      return viewOf(request.params.id, actor);
    });
  }

  app.post('/api/v1/applications/:id/complete', {
    config: { roles: ['clerk'] },
    schema: { tags: ['workbench'], summary: '办结 Complete an approved application (result delivered)', params: IdParams, response: responses({ 200: Type.Ref('Application') }) },
  }, async (request) => {
    const actor = requireActor(request);
    await completeApplication(request.params.id, actor, deps);
    return viewOf(request.params.id, actor);
  });

}

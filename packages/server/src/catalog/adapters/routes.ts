import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { regionPrefix } from '../../identity/domain/roles.ts';
import { AppError } from '../../shared/errors.ts';
import { requireActor, responses, VersionNumber, type App } from '../../shared/http.ts';
import { diffCatalog, diffServiceItems } from '../domain/changelog.ts';
import type { ApplicantKind } from '../domain/applicant-kinds.ts';
import type { CommitmentRule, ExemptionMethod, ProofItemFields, RiskCategory } from '../domain/proof-item.ts';
import type { PublishedProofItem, PublishedServiceItem } from '../domain/published.ts';
import type { CatalogReadModel } from '../search/catalog-read-model.ts';
import { catalogAdminScope } from '../use-cases/catalog-admin-scope.ts';
import { createProofItem } from '../use-cases/create-proof-item.ts';
import { deleteProofItem } from '../use-cases/delete-proof-item.ts';
import { importCatalog } from '../use-cases/import-catalog.ts';
import { publishCatalogVersion } from '../use-cases/publish-catalog-version.ts';
import { updateProofItem } from '../use-cases/update-proof-item.ts';
import { createServiceItem } from '../use-cases/create-service-item.ts';
import { deleteServiceItem } from '../use-cases/delete-service-item.ts';
import { updateServiceItem } from '../use-cases/update-service-item.ts';
import { importServiceItems } from '../use-cases/import-service-items.ts';
import { exportCatalogVersion } from '../use-cases/export-catalog-version.ts';
import { registerDepartment } from '../use-cases/register-department.ts';
import { loadDraftProofItems, loadDraftServiceItems, toComparable } from './draft-store.ts';
import { draftServiceItemViews } from './service-item-views.ts';
import { writeServiceItemWorkbook } from '../spreadsheet/write-service-item-workbook.ts';
import { listVersions } from './published-store.ts';
import {
  ApplicantKindSchema, ChangelogEntrySchema, ServiceItemChangeSchema, CommitmentRuleSchema, DraftProofItemSchema, DraftServiceItemSchema, MaterialSchema, MethodSchema, PageQuery, ProofItemDetailSchema,
  ProofItemInputSchema, ProofItemPatchSchema, ProofItemSummarySchema, RegionCode, ServiceItemDetailSchema, ServiceItemInputSchema, ServiceItemPatchSchema,
  ServiceItemSummarySchema, VersionSchema,
} from './schemas.ts';

const ADMIN = ['catalog_admin'] as const;
const MAX_UPLOAD = 10 * 1024 * 1024;

function summary(p: PublishedProofItem) {
  return {
    id: p.id, name: p.name, issuingDepartment: { id: p.issuingDepartmentId, name: p.issuingDepartmentName }, regionCode: p.regionCode,
    regionName: p.regionName, legalBasis: p.legalBasis, methods: p.methods, serviceItemCount: p.serviceItemCodes.length, notes: p.notes,
  };
}

function serviceSummary(model: CatalogReadModel, s: PublishedServiceItem) {
  const explained = model.explainServiceItem(s);
  return {
    code: s.code, name: s.name, department: { id: s.departmentId, name: s.departmentName }, regionCode: s.regionCode, regionName: s.regionName,
    applicantKinds: s.applicantKinds, materialCount: explained.length, proofFreeCount: explained.filter((m) => !m.mustProvide).length,
  };
}

/** The one file of a multipart upload (field "file", at most MAX_UPLOAD bytes, not empty). */
async function uploadedFile(request: FastifyRequest): Promise<{ data: Buffer; filename: string }> {
  if (!request.isMultipart()) throw new AppError('CATALOG.IMPORT_FILE_REQUIRED', { field: 'file' });
  const part = await request.file({ limits: { fileSize: MAX_UPLOAD, files: 1 } });
  if (!part || part.fieldname !== 'file') throw new AppError('CATALOG.IMPORT_FILE_REQUIRED', { field: 'file' });
  const data = await part.toBuffer();
  if (part.file.truncated) throw new AppError('REQUEST.TOO_LARGE', { field: 'file' });
  if (data.length === 0) throw new AppError('CATALOG.IMPORT_FILE_REQUIRED', { field: 'file', message: '上传的文件为空', messageEn: 'The uploaded file is empty' });
  return { data, filename: part.filename };
}

function versionRef(model: CatalogReadModel) {
  return { number: model.version.number, publishedAt: model.version.publishedAt };
}

export function catalogRoutes(app: App): void {
  for (const s of [MethodSchema, ApplicantKindSchema, CommitmentRuleSchema, VersionSchema, ProofItemSummarySchema, ProofItemDetailSchema, ServiceItemSummarySchema, MaterialSchema, ServiceItemDetailSchema, ChangelogEntrySchema, ServiceItemChangeSchema, DraftProofItemSchema, DraftServiceItemSchema]) {
    app.addSchema(s);
  }
  const models = () => app.deps.catalogReadModels;

  async function model(version?: number): Promise<CatalogReadModel> {
    const m = await models().get(version);
    if (!m) throw version ? new AppError('CATALOG.VERSION_NOT_FOUND', { field: 'version' }) : new AppError('CATALOG.NOT_PUBLISHED');
    return m;
  }

  // ---- reference data ----
  app.get('/api/v1/regions', {
    schema: {
      tags: ['catalog'], summary: '行政区划 Regions (GB/T 2260)',
      response: responses({ 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), parentCode: Type.Union([Type.String(), Type.Null()]) })) }) }),
    },
  }, async () => {
    const rows = await app.deps.db.selectFrom('regions').selectAll().orderBy('code').execute();
    return { items: rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code })) };
  });

  app.get('/api/v1/departments', {
    schema: {
      tags: ['catalog'], summary: '部门 Departments, optionally within a region',
      querystring: Type.Object({ region: Type.Optional(RegionCode) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), regionCode: Type.String(), category: Type.String() })) }) }),
    },
  }, async (request) => {
    let q = app.deps.db.selectFrom('departments').selectAll().orderBy('region_code').orderBy('name');
    const region = request.query.region;
    if (region) q = q.where('region_code', 'like', `${regionPrefix(region)}%`);
    const rows = await q.execute();
    return { items: rows.map((d) => ({ id: d.id, code: d.uscc, name: d.name, regionCode: d.region_code, category: d.category })) };
  });

  app.post('/api/v1/admin/departments', {
    config: { roles: ['data_admin'] },
    schema: {
      tags: ['catalog admin'], summary: '登记部门 Register a department (USCC check character validated)',
      body: Type.Object({
        id: Type.String({ pattern: '^[a-z0-9-]{2,40}$' }), name: Type.String({ minLength: 2, maxLength: 100 }), uscc: Type.String({ minLength: 1, maxLength: 18 }),
        regionCode: RegionCode, category: Type.String({ minLength: 1, maxLength: 20 }),
        acceptLegacyCheckChar: Type.Optional(Type.Boolean({ description: 'accept an early USCC whose check character is wrong (recorded as a warning)' })),
      }, { additionalProperties: false }),
      response: responses({ 201: Type.Object({ id: Type.String(), warnings: Type.Array(Type.String()) }) }),
    },
  }, async (request, reply) => {
    const { warnings } = await registerDepartment(request.body, requireActor(request), app.deps);
    return reply.status(201).send({ id: request.body.id, warnings });
  });

  // ---- public list ----
  app.get('/api/v1/proof-items', {
    schema: {
      tags: ['catalog'], summary: '查询证明事项免提交清单 Search the published list',
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 100 })), region: Type.Optional(RegionCode), department: Type.Optional(Type.String({ maxLength: 64 })),
        method: Type.Optional(Type.Ref('ExemptionMethod')), ...PageQuery,
      }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ version: Type.Object({ number: Type.Integer(), publishedAt: Type.String() }), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(Type.Ref('ProofItemSummary')) }) }),
    },
  }, async (request) => {
    const { version, ...query } = request.query;
    const m = await model(version);
    const page = m.searchProofItems({ ...query, method: query.method as ExemptionMethod | undefined });
    return { version: versionRef(m), ...page, items: page.items.map(summary) };
  });

  app.get('/api/v1/proof-items/:id', {
    schema: {
      tags: ['catalog'], summary: '证明事项详情 One proof item of a version',
      params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      querystring: Type.Object({ version: Type.Optional(VersionNumber()) }, { additionalProperties: false }),
      response: responses({ 200: Type.Ref('ProofItemDetail') }),
    },
  }, async (request) => {
    const m = await model(request.query.version);
    const p = m.findProofItem(request.params.id);
    if (!p) throw new AppError('CATALOG.PROOF_ITEM_NOT_FOUND', { field: 'id' });
    const serviceItems = p.serviceItemCodes.map((c) => m.findServiceItem(c)).filter((s): s is PublishedServiceItem => !!s)
      .map((s) => ({ code: s.code, name: s.name, departmentName: s.departmentName, regionName: s.regionName, applicantKinds: s.applicantKinds }));
    return { ...summary(p), riskCategory: p.riskCategory, commitment: p.commitment, serviceItems, version: versionRef(m) };
  });

  app.get('/api/v1/service-items', {
    schema: {
      tags: ['catalog'], summary: '查询政务服务事项 Search service items',
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 100 })), region: Type.Optional(RegionCode), department: Type.Optional(Type.String({ maxLength: 64 })),
        applicantKind: Type.Optional(Type.Ref('ApplicantKind', { description: 'only the items this kind of applicant may apply for (服务对象)' })), ...PageQuery,
      }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ version: Type.Object({ number: Type.Integer(), publishedAt: Type.String() }), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(Type.Ref('ServiceItemSummary')) }) }),
    },
  }, async (request) => {
    const { version, ...query } = request.query;
    const m = await model(version);
    const page = m.searchServiceItems({ ...query, applicantKind: query.applicantKind as ApplicantKind | undefined });
    return { version: versionRef(m), ...page, items: page.items.map((s) => serviceSummary(m, s)) };
  });

  app.get('/api/v1/service-items/:code', {
    schema: {
      tags: ['catalog'], summary: '事项详情：每项材料是否需要提交及原因 Each material explained',
      params: Type.Object({ code: Type.String({ maxLength: 64 }) }),
      querystring: Type.Object({ version: Type.Optional(VersionNumber()) }, { additionalProperties: false }),
      response: responses({ 200: Type.Ref('ServiceItemDetail') }),
    },
  }, async (request) => {
    const m = await model(request.query.version);
    const s = m.findServiceItem(request.params.code);
    if (!s) throw new AppError('CATALOG.SERVICE_ITEM_NOT_FOUND', { field: 'code' });
    return {
      code: s.code, name: s.name, department: { id: s.departmentId, name: s.departmentName }, regionCode: s.regionCode, regionName: s.regionName,
      applicantKinds: s.applicantKinds, version: versionRef(m), materials: m.explainServiceItem(s),
    };
  });

  // ---- versions and changelog ----
  app.get('/api/v1/catalog/versions', {
    schema: { tags: ['catalog'], summary: '清单版本 Published versions, newest first', response: responses({ 200: Type.Object({ items: Type.Array(Type.Ref('CatalogVersion')) }) }) },
  }, async () => ({ items: await listVersions(app.deps.db) }));

  app.get('/api/v1/catalog/versions/:number', {
    schema: {
      tags: ['catalog'], summary: '一个版本 One version', params: Type.Object({ number: VersionNumber() }),
      response: responses({ 200: Type.Ref('CatalogVersion') }),
    },
  }, async (request) => (await model(request.params.number)).version);

  app.get('/api/v1/catalog/changelog', {
    schema: {
      tags: ['catalog'], summary: '版本变更 Changelog between two versions (default: the latest against the one before)',
      querystring: Type.Object({ from: Type.Optional(VersionNumber(0)), to: Type.Optional(VersionNumber()) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({
        from: Type.Integer(), to: Type.Integer(), entries: Type.Array(Type.Ref('ChangelogEntry')),
        serviceItemEntries: Type.Array(Type.Ref('ServiceItemChange'), { description: '政务服务事项 added, removed or changed' }),
      }) }),
    },
  }, async (request) => {
    const to = await model(request.query.to);
    const fromNumber = request.query.from ?? to.version.number - 1;
    const from = fromNumber === 0 ? undefined : await model(fromNumber);
    return {
      from: fromNumber, to: to.version.number, entries: diffCatalog((from?.proofItems ?? []).map(toComparable), to.proofItems.map(toComparable)),
      serviceItemEntries: diffServiceItems(from?.serviceItems ?? [], to.serviceItems),
    };
  });

  app.get('/api/v1/catalog/versions/:number/export.xlsx', {
    schema: {
      tags: ['catalog'], summary: '导出清单 Export a published version as .xlsx',
      params: Type.Object({ number: VersionNumber() }),
      response: { 200: Type.Any({ description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), ...responses({}) },
    },
  }, async (request, reply) => {
    const m = await model(request.params.number);
    const data = await exportCatalogVersion(m);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="catalog-v${m.version.number}.xlsx"; filename*=UTF-8''${encodeURIComponent(`证明事项免提交清单-第${m.version.number}版.xlsx`)}`)
      .send(data);
  });

  // ---- administration (司法局) ----
  /** what the caller may change in the draft (catalogAdminScope) */
  const ViewerSchema = Type.Object({
    regionCode: Type.Union([Type.String(), Type.Null()], { description: 'the caller changes the proof items and service items of this region and those within it; null: of every region' }),
    regionName: Type.Union([Type.String(), Type.Null()]),
    mayPublish: Type.Boolean({ description: 'only the province\'s catalog administrator publishes a version' }),
  });
  app.get('/api/v1/admin/catalog/draft', {
    config: { roles: ADMIN },
    schema: {
      tags: ['catalog admin'], summary: '草稿 The draft and its changes against the latest version, and what the caller may change in it',
      response: responses({ 200: Type.Object({
        basedOn: Type.Union([Type.Integer(), Type.Null()]), proofItems: Type.Array(Type.Ref('DraftProofItem')), pendingChanges: Type.Array(Type.Ref('ChangelogEntry')),
        pendingServiceItemChanges: Type.Array(Type.Ref('ServiceItemChange'), { description: '政务服务事项 the next version adds, removes or changes' }),
        viewer: ViewerSchema,
      }) }),
    },
  }, async (request) => {
    const [draft, services, latest, viewer] = await Promise.all([
      loadDraftProofItems(app.deps.db), loadDraftServiceItems(app.deps.db), models().get(), catalogAdminScope(requireActor(request), app.deps),
    ]);
    return {
      basedOn: latest?.version.number ?? null,
      viewer,
      proofItems: draft,
      pendingChanges: diffCatalog((latest?.proofItems ?? []).map(toComparable), draft.map(toComparable)),
      pendingServiceItemChanges: diffServiceItems(latest?.serviceItems ?? [], services.items),
    };
  });

  const toFields = (b: Static<typeof ProofItemInputSchema>): ProofItemFields => ({
    name: b.name.trim(), issuingDepartmentId: b.issuingDepartmentId, regionCode: b.regionCode, legalBasis: b.legalBasis.trim(),
    methods: b.methods as ExemptionMethod[], riskCategory: (b.riskCategory ?? null) as RiskCategory | null, commitment: (b.commitment ?? null) as CommitmentRule | null, notes: b.notes ?? '',
  });

  app.post('/api/v1/admin/catalog/proof-items', {
    config: { roles: ADMIN },
    schema: { tags: ['catalog admin'], summary: '新增证明事项 Add a proof item to the draft', body: ProofItemInputSchema, response: responses({ 201: Type.Ref('DraftProofItem') }) },
  }, async (request, reply) => {
    const { id } = await createProofItem(toFields(request.body), requireActor(request), app.deps);
    const [item] = await loadDraftProofItems(app.deps.db, [id]);
    return reply.status(201).send(item);
  });

  app.patch('/api/v1/admin/catalog/proof-items/:id', {
    config: { roles: ADMIN },
    schema: {
      tags: ['catalog admin'], summary: '修改证明事项 Change a draft proof item', params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      body: ProofItemPatchSchema, response: responses({ 200: Type.Ref('DraftProofItem') }),
    },
  }, async (request) => {
    const b = request.body;
    const patch: Partial<ProofItemFields> = {};
    if (b.name !== undefined) patch.name = b.name.trim();
    if (b.issuingDepartmentId !== undefined) patch.issuingDepartmentId = b.issuingDepartmentId;
    if (b.regionCode !== undefined) patch.regionCode = b.regionCode;
    if (b.legalBasis !== undefined) patch.legalBasis = b.legalBasis.trim();
    if (b.methods !== undefined) patch.methods = b.methods as ExemptionMethod[];
    if (b.notes !== undefined) patch.notes = b.notes;
    if (b.riskCategory !== undefined) patch.riskCategory = b.riskCategory as RiskCategory | null;
    if (b.commitment !== undefined) patch.commitment = b.commitment as CommitmentRule | null;
    await updateProofItem(request.params.id, patch, requireActor(request), app.deps);
    return (await loadDraftProofItems(app.deps.db, [request.params.id]))[0]!;
  });

  app.delete('/api/v1/admin/catalog/proof-items/:id', {
    config: { roles: ADMIN },
    schema: {
      tags: ['catalog admin'], summary: '删除证明事项 Remove a proof item from the draft', params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      querystring: Type.Object({ detach: Type.Optional(Type.Boolean({ description: 'also drop it from the service items that require it' })) }, { additionalProperties: false }),
      response: responses({ 204: Type.Null() }),
    },
  }, async (request, reply) => {
    await deleteProofItem(request.params.id, request.query.detach ?? false, requireActor(request), app.deps);
    return reply.status(204).send(null);
  });

  // 政务服务事项 in the draft: what people apply for and the materials each requires
  const SERVICE_ITEM_PAGE = 200;
  /** the list's and the export's filter */
  const serviceItemFilter = {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'code or name contains it' })),
    regionCode: Type.Optional(RegionCode),
  };

  app.get('/api/v1/admin/catalog/service-items', {
    config: { roles: ADMIN },
    schema: {
      tags: ['catalog admin'], summary: '草稿中的政务服务事项 The draft\'s service items, a page at a time by region and code (total counts every match)',
      querystring: Type.Object({
        ...serviceItemFilter,
        page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 }),
        pageSize: Type.Integer({ minimum: 1, maximum: SERVICE_ITEM_PAGE, default: SERVICE_ITEM_PAGE }),
      }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ items: Type.Array(Type.Ref('DraftServiceItem')), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), viewer: ViewerSchema }) }),
    },
  }, async (request) => {
    const scope = await catalogAdminScope(requireActor(request), app.deps);
    const { q, regionCode, page, pageSize } = request.query;
    const { items, total } = await draftServiceItemViews(app.deps.db, scope, { q, regionCode, limit: pageSize, offset: (page - 1) * pageSize }, app.deps.now());
    return { items, total, page, pageSize, viewer: scope };
  });

  app.get('/api/v1/admin/catalog/service-items/export.xlsx', {
    config: { roles: ADMIN },
    schema: {
      tags: ['catalog admin'], summary: '导出政务服务事项 The draft\'s service items as a .xlsx the import reads back (every match, no limit)',
      querystring: Type.Object({
        ...serviceItemFilter,
      }, { additionalProperties: false }),
      response: { 200: Type.Any({ description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), ...responses({}) },
    },
  }, async (request, reply) => {
    const { items } = await loadDraftServiceItems(app.deps.db, { q: request.query.q, regionCode: request.query.regionCode });
    const region = request.query.regionCode ? items.find((i) => i.regionCode === request.query.regionCode)?.regionName ?? request.query.regionCode : '';
    const data = await writeServiceItemWorkbook({ title: `${region}政务服务事项清单（草稿）`, rows: items });
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="service-items.xlsx"; filename*=UTF-8''${encodeURIComponent(`${region}政务服务事项清单.xlsx`)}`)
      .send(data);
  });

  const oneServiceItem = async (code: string, actor: ReturnType<typeof requireActor>) => {
    const { items } = await draftServiceItemViews(app.deps.db, await catalogAdminScope(actor, app.deps), { codes: [code] }, app.deps.now());
    return items[0]!;
  };
  const materialsOf = (materials: Static<typeof ServiceItemInputSchema>['materials']) =>
    materials.map((m) => ({ ...(m.id !== undefined ? { id: m.id } : {}), name: m.name ?? '', proofItemId: m.proofItemId ?? null, required: m.required }));

  app.post('/api/v1/admin/catalog/service-items', {
    config: { roles: ADMIN },
    schema: { tags: ['catalog admin'], summary: '新增政务服务事项 Add a service item to the draft', body: ServiceItemInputSchema, response: responses({ 201: Type.Ref('DraftServiceItem') }) },
  }, async (request, reply) => {
    const b = request.body;
    const actor = requireActor(request);
    await createServiceItem(b.code, { name: b.name, departmentId: b.departmentId, applicantKinds: b.applicantKinds as ApplicantKind[], materials: materialsOf(b.materials) }, actor, app.deps);
    return reply.status(201).send(await oneServiceItem(b.code, actor));
  });

  app.patch('/api/v1/admin/catalog/service-items/:code', {
    config: { roles: ADMIN },
    schema: {
      tags: ['catalog admin'], summary: '修改政务服务事项 Change a draft service item (materials: the whole list, in order)', params: Type.Object({ code: Type.String({ maxLength: 64 }) }),
      body: ServiceItemPatchSchema, response: responses({ 200: Type.Ref('DraftServiceItem') }),
    },
  }, async (request) => {
    const b = request.body;
    const actor = requireActor(request);
    await updateServiceItem(request.params.code, {
      ...(b.name !== undefined ? { name: b.name } : {}), ...(b.departmentId !== undefined ? { departmentId: b.departmentId } : {}),
      ...(b.applicantKinds !== undefined ? { applicantKinds: b.applicantKinds as ApplicantKind[] } : {}), ...(b.materials !== undefined ? { materials: materialsOf(b.materials) } : {}),
    }, actor, app.deps);
    return oneServiceItem(request.params.code, actor);
  });

  app.delete('/api/v1/admin/catalog/service-items/:code', {
    config: { roles: ADMIN },
    schema: {
      tags: ['catalog admin'], summary: '删除政务服务事项 Remove a service item from the draft', params: Type.Object({ code: Type.String({ maxLength: 64 }) }),
      response: responses({ 204: Type.Null() }),
    },
  }, async (request, reply) => {
    await deleteServiceItem(request.params.code, requireActor(request), app.deps);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/admin/catalog/import', {
    config: { roles: ADMIN },
    schema: {
      tags: ['catalog admin'], summary: '导入清单 Import a .xlsx/.csv list into the draft (all or nothing); multipart field "file"', consumes: ['multipart/form-data'],
      response: responses({ 200: Type.Object({ total: Type.Integer(), created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), linked: Type.Integer() }) }),
    },
  }, async (request) => {
    const actor = requireActor(request);
    return importCatalog(await uploadedFile(request), actor, app.deps);
  });

  app.post('/api/v1/admin/catalog/service-items/import', {
    config: { roles: ADMIN },
    schema: {
      tags: ['catalog admin'], summary: '导入政务服务事项 Import a .xlsx/.csv list of service items into the draft (all or nothing); multipart field "file"', consumes: ['multipart/form-data'],
      response: responses({ 200: Type.Object({
        total: Type.Integer(), created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(),
        proofMaterials: Type.Integer({ description: 'materials that require a proof item of the list' }), formMaterials: Type.Integer({ description: 'materials that are forms' }),
      }) }),
    },
  }, async (request) => {
    const actor = requireActor(request);
    return importServiceItems(await uploadedFile(request), actor, app.deps);
  });

  app.post('/api/v1/admin/catalog/publish', {
    config: { roles: ADMIN },
    schema: {
      tags: ['catalog admin'], summary: '发布新版本 Publish the draft as a new version',
      body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 500, description: '调整说明' }) }, { additionalProperties: false }),
      response: responses({ 201: Type.Ref('CatalogVersion') }),
    },
  }, async (request, reply) => {
    const version = await publishCatalogVersion({ note: request.body.note.trim() }, requireActor(request), app.deps);
    models().published(version.number);
    return reply.status(201).send(version);
  });
}

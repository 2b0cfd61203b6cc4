import { Type } from 'typebox';
import type { Role } from '../../identity/domain/roles.ts';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/hash.ts';
import { PageNumber, requireActor, responses, type App } from '../../shared/http.ts';
import { DateTimeInput } from '../../shared/date-time-input.ts';
import type { FieldDefinition, LicenseTypeDefinition } from '../domain/license-type.ts';
import { changeLicenseStatus } from '../use-cases/change-license-status.ts';
import { createPresentation } from '../use-cases/create-presentation.ts';
import { grantLicenseUse, listGrants, revokeLicenseGrant } from '../use-cases/grant-license-use.ts';
import { issueLicense } from '../use-cases/issue-license.ts';
import { issueLicensesFromXlsx } from '../use-cases/issue-licenses-from-xlsx.ts';
import { listIssuerKeys, listIssuers, rotateIssuerKey } from '../use-cases/issuer-keys.ts';
import { linkProofItems } from '../use-cases/link-proof-items.ts';
import { getIssuedLicense, listIssuedLicenses } from '../use-cases/list-issued-licenses.ts';
import { computeLicenseAssociation, exportLicenseUsage, listLicenseUsage } from '../use-cases/list-license-usage.ts';
import { listLicenseTypeViews, listVerifiers } from '../use-cases/list-license-types.ts';
import { getMyLicenseDocument, listMyLicenses } from '../use-cases/list-my-licenses.ts';
import { publishStatusList } from '../use-cases/publish-status-list.ts';
import { readLicenseUnderGrant } from '../use-cases/read-license-under-grant.ts';
import { registerLicenseType } from '../use-cases/register-license-type.ts';
import { updateLicenseType, type LicenseTypePatch } from '../use-cases/update-license-type.ts';
import { verifyInputOf, verifyLicense } from '../use-cases/verify-license.ts';
import { verifyPresentation } from '../use-cases/verify-presentation.ts';
import { holderHashOf, getLicenseType } from './license-store.ts';
import { writeBatchTemplate } from './batch-workbook.ts';
import { idempotent } from './idempotency.ts';
import {
  AudienceSchema, CodeParams, GrantSchema, IdParams, IssueLicenseSchema, LicenseStatusSchema, LicenseTypeInputSchema, LicenseTypePatchSchema,
  PresentationVerificationSchema, RegionQuery, SCHEMAS, StatusEventSchema, Suite, WalletLicenseSchema,
} from './schemas.ts';

const TAGS = ['licenses'];
const HOLDER: readonly Role[] = ['applicant'];
const ISSUER: readonly Role[] = ['issuer'];
const DATA_ADMIN: readonly Role[] = ['data_admin'];
const VERIFIERS: readonly Role[] = ['verifier', 'clerk', 'issuer'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_UPLOAD = 10 * 1024 * 1024;

function attachment(name: string, zh: string): string {
  return `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(zh)}`;
}

export function licenseRoutes(app: App): void {
  for (const s of SCHEMAS) app.addSchema(s);
  const deps = () => app.deps;

  // ---- license types (public read; data_admin writes) ----
  app.get('/api/v1/license-types', {
    schema: { tags: TAGS, summary: '证照类型 License types, with issuing departments and linked proof items', response: responses({ 200: Type.Object({ items: Type.Array(Type.Ref('LicenseType')) }) }) },
  }, async () => ({ items: await listLicenseTypeViews(deps()) }));

  app.get('/api/v1/license-types/:code', {
    schema: { tags: TAGS, summary: '证照类型详情 One license type', params: CodeParams, response: responses({ 200: Type.Ref('LicenseType') }) },
  }, async (request) => (await listLicenseTypeViews(deps(), request.params.code))[0]!);

  app.post('/api/v1/admin/license-types', {
    config: { roles: DATA_ADMIN },
    schema: { tags: TAGS, summary: '登记证照类型 Register a license type', body: LicenseTypeInputSchema, response: responses({ 201: Type.Ref('LicenseType') }) },
  }, async (request, reply) => {
    const b = request.body;
    const def: LicenseTypeDefinition = { ...b, fields: b.fields as FieldDefinition[], validity: b.validity as LicenseTypeDefinition['validity'], description: b.description ?? '' };
    await registerLicenseType(def, requireActor(request), deps());
    return reply.status(201).send((await listLicenseTypeViews(deps(), b.code))[0]!);
  });

  app.patch('/api/v1/admin/license-types/:code', {
    config: { roles: DATA_ADMIN },
    schema: { tags: TAGS, summary: '修改证照类型 Change a license type (fields only additively once licenses exist)', params: CodeParams, body: LicenseTypePatchSchema, response: responses({ 200: Type.Ref('LicenseType') }) },
  }, async (request) => {
    await updateLicenseType(request.params.code, request.body as LicenseTypePatch, requireActor(request), deps());
    return (await listLicenseTypeViews(deps(), request.params.code))[0]!;
  });

  app.put('/api/v1/admin/license-types/:code/proof-items', {
    config: { roles: DATA_ADMIN },
    schema: {
      tags: TAGS, summary: '关联证明事项 Set the proof items this license type satisfies', params: CodeParams,
      body: Type.Object({ proofItemIds: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ proofItemIds: Type.Array(Type.String()) }) }),
    },
  }, async (request) => linkProofItems(request.params.code, request.body.proofItemIds, requireActor(request), deps()));

  app.get('/api/v1/license-types/:code/batch-template.xlsx', {
    config: { roles: [...ISSUER, ...DATA_ADMIN] },
    schema: { tags: TAGS, summary: '批量颁发模板 The .xlsx template for batch issuance of a type', params: CodeParams, response: { 200: Type.Any({ description: XLSX }), ...responses({}) } },
  }, async (request, reply) => {
    const type = await getLicenseType(deps().db, request.params.code);
    return reply.header('content-type', XLSX).header('content-disposition', attachment('batch-template.xlsx', `${type.name}-批量颁发模板.xlsx`)).send(await writeBatchTemplate(type));
  });

  // ---- lists and rates (public) ----
  const usageQuery = Type.Object({ type: Type.Optional(Type.String({ maxLength: 21 })), region: Type.Optional(RegionQuery) }, { additionalProperties: false });
  app.get('/api/v1/license-usage', {
    schema: {
      tags: TAGS, summary: '用证事项清单 Service items that accept each license type (latest published catalog)', querystring: usageQuery,
      response: responses({
        200: Type.Object({
          version: Type.Object({ number: Type.Integer(), publishedAt: Type.String() }),
          types: Type.Array(Type.Object({
            code: Type.String(), name: Type.String(),
            serviceItems: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), departmentName: Type.String(), regionCode: Type.String(), regionName: Type.String(), materials: Type.Array(Type.Object({ name: Type.String(), proofItemId: Type.String() })) })),
          })),
        }),
      }),
    },
  }, async (request) => listLicenseUsage({ typeCode: request.query.type, region: request.query.region }, deps()));

  app.get('/api/v1/license-usage/export.xlsx', {
    schema: { tags: TAGS, summary: '导出用证事项清单 Export the list as .xlsx', querystring: usageQuery, response: { 200: Type.Any({ description: XLSX }), ...responses({}) } },
  }, async (request, reply) => {
    const data = await exportLicenseUsage({ typeCode: request.query.type, region: request.query.region }, deps());
    return reply.header('content-type', XLSX).header('content-disposition', attachment('license-usage.xlsx', '用证事项清单.xlsx')).send(data);
  });

  app.get('/api/v1/stats/license-association', {
    schema: {
      tags: TAGS, summary: '电子证照关联率 Share of service items whose license-kind materials are all linked to a license type',
      querystring: Type.Object({ region: Type.Optional(RegionQuery) }, { additionalProperties: false }),
      response: responses({
        200: Type.Object({
          version: Type.Object({ number: Type.Integer(), publishedAt: Type.String() }), region: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
          total: Type.Integer(), linked: Type.Integer(), rate: Type.Union([Type.Number(), Type.Null()]),
          byRegion: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), total: Type.Integer(), linked: Type.Integer(), rate: Type.Union([Type.Number(), Type.Null()]) })),
          unlinked: Type.Array(Type.Object({ proofItemId: Type.String(), name: Type.String(), regionName: Type.String(), serviceItemCount: Type.Integer() })),
        }),
      }),
    },
  }, async (request) => computeLicenseAssociation({ region: request.query.region }, deps()));

  // ---- verification, keys, status lists (public) ----
  app.post('/api/v1/licenses/verify', {
    schema: {
      tags: TAGS, summary: '核验电子证照 Verify a license document or identifier: { verified, checks, errors } (never an error for a bad document)',
      description: 'Public: verification reveals nothing beyond what the caller holds (a document) or non-personal metadata (an identifier). ',
      body: Type.Object({ document: Type.Optional(Type.Unknown({ description: 'the license document (object or its JSON text)' })), identifier: Type.Optional(Type.Unknown({ description: 'GB/T 36904 identifier' })) }),
      response: responses({ 200: Type.Ref('LicenseVerificationResult') }),
    },
  }, async (request) => verifyLicense(verifyInputOf(request.body ?? {}), request.actor, deps()));

  app.get('/api/v1/issuers', {
    schema: { tags: TAGS, summary: '颁发机构 Issuers (departments that issue licenses)', response: responses({ 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), departmentId: Type.String(), regionCode: Type.String() })) }) }) },
  }, async () => ({ items: await listIssuers(deps()) }));

  app.get('/api/v1/issuers/:code/keys', {
    schema: {
      tags: TAGS, summary: '颁发机构公钥 Public keys of an issuer (by USCC) or of the platform ("platform"): active and retired', params: CodeParams,
      response: responses({ 200: Type.Object({ issuer: Type.Object({ code: Type.String(), name: Type.String(), departmentId: Type.String() }), keys: Type.Array(Type.Ref('LicensePublicKey')) }) }),
    },
  }, async (request) => listIssuerKeys(request.params.code, deps()));

  app.post('/api/v1/issuers/:code/keys/rotate', {
    config: { roles: [...ISSUER, ...DATA_ADMIN] },
    schema: {
      tags: TAGS, summary: '轮换签名密钥 Rotate an issuer key (the old one stays valid for verification)', params: CodeParams,
      body: Type.Object({ suite: Type.Optional(Suite) }, { additionalProperties: false }), response: responses({ 201: Type.Ref('LicensePublicKey') }),
    },
  }, async (request, reply) => reply.status(201).send(await rotateIssuerKey(request.params.code, request.body?.suite ?? 'SM2-SM3', requireActor(request), deps())));

  app.get('/api/v1/issuers/:code/status-list', {
    schema: {
      tags: TAGS, summary: '证照状态列表 The issuer\'s signed IETF Token Status List (application/statuslist+jwt)', params: CodeParams,
      response: { 200: Type.String({ description: 'statuslist+jwt token' }), ...responses({}) },
    },
  }, async (request, reply) => {
    const { token } = await publishStatusList(request.params.code, deps());
    return reply.header('content-type', 'application/statuslist+jwt').header('cache-control', 'public, max-age=60').send(token);
  });

  // ---- issuance and status (issuer of the issuing department) ----
  app.post('/api/v1/licenses', {
    config: { roles: ISSUER },
    schema: {
      tags: TAGS, summary: '颁发电子证照 Issue a license (SM2-SM3 by default); optional Idempotency-Key header',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 128 })) }),
      body: IssueLicenseSchema, response: responses({ 201: Type.Ref('IssuedLicense') }),
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const out = await idempotent(deps(), actor.id, request.headers['idempotency-key'], request.body, async () => ({ status: 201, body: await issueLicense(request.body, actor, deps()) }));
    if (out.replayed) reply.header('idempotent-replayed', 'true');
    return reply.status(out.status as 201).send(out.body);
  });

  app.post('/api/v1/licenses/batch', {
    config: { roles: ISSUER },
    schema: {
      tags: TAGS, summary: '批量颁发(存量迁移) Batch issuance from .xlsx, all or nothing; multipart field "file"; optional Idempotency-Key header', consumes: ['multipart/form-data'],
      querystring: Type.Object({ type: Type.String({ minLength: 21, maxLength: 21 }), suite: Type.Optional(Suite) }, { additionalProperties: false }),
      response: responses({ 201: Type.Object({ batchId: Type.String(), issued: Type.Integer(), licenses: Type.Array(Type.Ref('IssuedLicense')) }) }),
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    if (!request.isMultipart()) throw new AppError('LICENSE.BATCH_FILE_REQUIRED', { field: 'file' });
    const part = await request.file({ limits: { fileSize: MAX_UPLOAD, files: 1 } });
    if (!part || part.fieldname !== 'file') throw new AppError('LICENSE.BATCH_FILE_REQUIRED', { field: 'file' });
    const data = await part.toBuffer();
    if (part.file.truncated) throw new AppError('REQUEST.TOO_LARGE', { field: 'file' });
    if (data.length === 0) throw new AppError('LICENSE.BATCH_FILE_REQUIRED', { field: 'file' });
    const key = request.headers['idempotency-key'];
    const out = await idempotent(deps(), actor.id, typeof key === 'string' ? key : undefined, { ...request.query, file: sha256Hex(data) },
      async () => ({ status: 201, body: await issueLicensesFromXlsx({ typeCode: request.query.type, data, filename: part.filename, suite: request.query.suite }, actor, deps()) }));
    if (out.replayed) reply.header('idempotent-replayed', 'true');
    return reply.status(out.status as 201).send(out.body);
  });

  app.get('/api/v1/licenses', {
    config: { roles: ISSUER },
    schema: {
      tags: TAGS, summary: '本部门颁发的证照 Licenses issued by my department',
      querystring: Type.Object({
        type: Type.Optional(Type.String({ maxLength: 21 })), status: Type.Optional(LicenseStatusSchema), q: Type.Optional(Type.String({ maxLength: 120 })),
        page: PageNumber, pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
      }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ total: Type.Integer(), items: Type.Array(Type.Ref('IssuerLicense')) }) }),
    },
  }, async (request) => listIssuedLicenses(request.query, requireActor(request), deps()));

  app.get('/api/v1/licenses/:id', {
    config: { roles: ISSUER },
    schema: {
      tags: TAGS, summary: '证照详情(本部门)', params: IdParams,
      response: responses({ 200: Type.Intersect([Type.Ref('IssuerLicense'), Type.Object({ fields: Type.Array(Type.Ref('LicenseDisplayedField')), statusHistory: Type.Array(StatusEventSchema) })]) }),
    },
  }, async (request) => getIssuedLicense(request.params.id, requireActor(request), deps()));

  app.post('/api/v1/licenses/:id/status', {
    config: { roles: ISSUER },
    schema: {
      tags: TAGS, summary: '暂停/恢复/吊销 Suspend, reinstate or revoke a license, with a reason', params: IdParams,
      body: Type.Object({ action: Type.Union([Type.Literal('suspend'), Type.Literal('reinstate'), Type.Literal('revoke')]), reason: Type.String({ minLength: 1, maxLength: 300 }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ id: Type.String(), identifier: Type.String(), from: LicenseStatusSchema, status: LicenseStatusSchema, at: Type.String() }) }),
    },
  }, async (request) => changeLicenseStatus(request.params.id, request.body, requireActor(request), deps()));

  app.post('/api/v1/licenses/read-under-grant', {
    config: { roles: ['clerk', 'issuer'] },
    schema: {
      tags: TAGS, summary: '依授权调用证照 Read a holder\'s license under their use grant (my department); every read is logged for the holder',
      body: Type.Object({
        licenseId: Type.Optional(Type.String({ maxLength: 64 })), holderCode: Type.Optional(Type.String({ maxLength: 18 })), licenseTypeCode: Type.Optional(Type.String({ maxLength: 21 })),
        serviceItemCode: Type.Optional(Type.String({ maxLength: 64 })), applicationRef: Type.Optional(Type.String({ maxLength: 64 })), purpose: Type.String({ minLength: 1, maxLength: 200 }),
      }, { additionalProperties: false }),
      response: responses({
        200: Type.Object({
          ok: Type.Boolean(), reason: Type.Optional(Type.String()), message: Type.Optional(Type.String()), messageEn: Type.Optional(Type.String()),
          grantId: Type.Optional(Type.String()), accessLogId: Type.Optional(Type.String()),
          verification: Type.Optional(Type.Object({ verified: Type.Boolean(), checks: Type.Array(Type.Ref('LicenseCheck')), errors: Type.Array(Type.Ref('LicenseVerificationError')) })),
          license: Type.Optional(Type.Object({
            id: Type.String(), identifier: Type.String(), licenseNumber: Type.String(), licenseType: Type.Object({ code: Type.String(), name: Type.String() }), issuer: Type.Object({ code: Type.String(), name: Type.String() }),
            holder: Type.Object({ name: Type.String(), code: Type.String(), codeType: Type.String() }), issuedAt: Type.String(), validFrom: Type.String(),
            validUntil: Type.Union([Type.String(), Type.Null()]), status: LicenseStatusSchema, fields: Type.Array(Type.Ref('LicenseDisplayedField')),
          })),
        }),
      }),
    },
  }, async (request) => {
    const actor = requireActor(request);
    if (!actor.departmentId) throw new AppError('AUTH.OUT_OF_SCOPE');
    return readLicenseUnderGrant({ ...request.body, departmentId: actor.departmentId }, actor, deps());
  });

  // ---- holder: wallet, grants, presentations ----
  app.get('/api/v1/me/licenses', {
    config: { roles: HOLDER },
    schema: { tags: TAGS, summary: '我的证照 My licenses: fields, status, grants and every use', response: responses({ 200: Type.Object({ items: Type.Array(WalletLicenseSchema) }) }) },
  }, async (request) => listMyLicenses(requireActor(request), deps()));

  app.get('/api/v1/me/licenses/:id/document', {
    config: { roles: HOLDER },
    schema: { tags: TAGS, summary: '下载证照文件 My signed license document with all disclosures (for offline verification)', params: IdParams, response: { 200: Type.Unknown(), ...responses({}) } },
  }, async (request, reply) => {
    const doc = await getMyLicenseDocument(request.params.id, requireActor(request), deps());
    return reply.header('content-disposition', attachment('license.json', `${doc.licenseType.name}-${doc.licenseNumber}.json`)).send(doc);
  });

  app.post('/api/v1/me/licenses/:id/grants', {
    config: { roles: HOLDER },
    schema: {
      tags: TAGS, summary: '用证授权 Grant a department the use of this license for a service item or application until a time; optional Idempotency-Key header', params: IdParams,
      body: Type.Object({
        departmentId: Type.String({ maxLength: 64 }), serviceItemCode: Type.Optional(Type.String({ maxLength: 64 })), applicationRef: Type.Optional(Type.String({ maxLength: 64 })),
        purpose: Type.Optional(Type.String({ maxLength: 200 })), validUntil: DateTimeInput({ description: 'the grant ends at this time' }),
      }, { additionalProperties: false }),
      response: responses({ 201: Type.Ref('LicenseGrant') }),
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const key = request.headers['idempotency-key'];
    const out = await idempotent(deps(), actor.id, typeof key === 'string' ? key : undefined, { id: request.params.id, ...request.body },
      async () => ({ status: 201, body: await grantLicenseUse(request.params.id, request.body, actor, deps()) }));
    return reply.status(out.status as 201).send(out.body);
  });

  app.get('/api/v1/me/license-grants', {
    config: { roles: HOLDER },
    schema: { tags: TAGS, summary: '我的用证授权 My use grants', response: responses({ 200: Type.Object({ items: Type.Array(Type.Ref('LicenseGrant')) }) }) },
  }, async (request) => {
    const hash = await holderHashOf(deps().db, requireActor(request).id);
    return { items: hash ? await listGrants(hash, deps()) : [] };
  });

  app.post('/api/v1/me/license-grants/:id/revoke', {
    config: { roles: HOLDER },
    schema: { tags: TAGS, summary: '撤销用证授权 Revoke a use grant', params: IdParams, response: responses({ 200: Type.Object({ id: Type.String(), revokedAt: Type.String() }) }) },
  }, async (request) => revokeLicenseGrant(request.params.id, requireActor(request), deps()));

  app.post('/api/v1/me/licenses/:id/presentations', {
    config: { roles: HOLDER },
    schema: {
      tags: TAGS, summary: '亮证 Create a single-use presentation (≤ 5 min) of chosen fields, optionally for one verifier', params: IdParams,
      body: Type.Object({
        fields: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 40 }),
        audience: Type.Optional(Type.Union([Type.Null(), Type.Object({ kind: Type.Union([Type.Literal('account'), Type.Literal('department')]), id: Type.String({ maxLength: 64 }) }, { additionalProperties: false })])),
        expiresInSeconds: Type.Optional(Type.Integer({ minimum: 30, maximum: 300 })),
      }, { additionalProperties: false }),
      response: responses({ 201: Type.Object({ text: Type.String(), nonce: Type.String(), createdAt: Type.String(), expiresAt: Type.String(), disclosed: Type.Array(Type.String()), audience: Type.Union([AudienceSchema, Type.Null()]) }) }),
    },
  }, async (request, reply) => reply.status(201).send(await createPresentation(request.params.id, request.body, requireActor(request), deps())));

  app.get('/api/v1/verifiers', {
    config: { roles: HOLDER },
    schema: { tags: TAGS, summary: '核验方 Verifier accounts a presentation may be addressed to', response: responses({ 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) }) }) },
  }, async () => ({ items: await listVerifiers(deps()) }));

  app.post('/api/v1/presentations/verify', {
    config: { roles: VERIFIERS },
    schema: {
      tags: TAGS, summary: '核验亮证码 Verify a presentation: only the disclosed fields are shown; single use',
      body: Type.Object({ presentation: Type.String({ minLength: 1, maxLength: 16384 }) }, { additionalProperties: false }),
      response: responses({ 200: PresentationVerificationSchema }),
    },
  }, async (request) => verifyPresentation(request.body.presentation, requireActor(request), deps()));
}

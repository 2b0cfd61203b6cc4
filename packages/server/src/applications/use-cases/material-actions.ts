import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import { METHOD_LABELS, type ExemptionMethod } from '../../catalog/domain/proof-item.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { sm3Hex } from '../../shared/hash.ts';
import { getApplication, lockApplicationsUsing, statusOf, type ApplicationRow, type ResolutionRow } from '../adapters/application-store.ts';
import type { ApplicationStatus } from '../domain/lifecycle.ts';
import { cleanUploadFilename, MAX_UPLOAD_BYTES, sniffUploadType } from '../domain/file-type.ts';
import { remainingMethods, type Attempt, type ResolutionMethod } from '../domain/resolution.ts';
import type { ResolutionPorts } from '../ports/resolvers.ts';
import { assertApplicantSide, auditActor } from './access.ts';
import { applicantContext, resolveMaterials } from './resolve-materials.ts';
import { withdrawOpenVerifications } from '../../verifications/use-cases/verification-requests.ts';

async function materialResolution(app: ApplicationRow, materialId: string, deps: Deps): Promise<ResolutionRow> {
  const m = await deps.db.selectFrom('application_materials').select('resolution_id').where('application_id', '=', app.id).where('material_id', '=', materialId).executeTakeFirst();
  if (!m?.resolution_id) throw new AppError('APPLICATION.MATERIAL_NOT_FOUND', { field: 'materialId' });
  return deps.db.selectFrom('material_resolutions').selectAll().where('id', '=', m.resolution_id).executeTakeFirstOrThrow();
}

const ACTIVE = new Set(['awaiting', 'returned']);
/** States in which the applicant may upload: waiting for materials, returned for correction, and a draft (a retained proof only). */
const UPLOADABLE = new Set([...ACTIVE, 'draft']);

/**
 * Whether the application, in its state, takes an upload for this material: 409
 * APPLICATION.INVALID_TRANSITION (withdrawn, decided, under review …), or 409
 * APPLICATION.UPLOAD_NOT_EXPECTED (the material waits for nothing to upload).
 */
function assertUploadExpected(status: ApplicationStatus, r: Pick<ResolutionRow, 'methods' | 'method' | 'status'>): void {
  if (!UPLOADABLE.has(status)) throw new AppError('APPLICATION.INVALID_TRANSITION', { field: 'status', details: { from: status, event: 'upload' } });
  const draftRetained = status === 'draft' && r.methods[0] === 'retained';
  const expects = r.status === 'awaiting_upload' || (status === 'returned' && (r.method === 'upload' || r.method === 'retained'));
  if (!(draftRetained || (ACTIVE.has(status) && expects))) throw new AppError('APPLICATION.UPLOAD_NOT_EXPECTED', { field: 'materialId' });
}

/**
 * The applicant uploads a document for a material: a retained proof (also while the
 * application is a draft), a material left to upload, or a replacement while it is
 * returned for correction. The type is sniffed from the bytes. The state is checked
 * again in the transaction that writes the file, under the application's lock: an upload
 * racing a withdrawal or a decision writes nothing.
 */
export async function uploadMaterial(input: { applicationId: string; materialId: string; filename: string; data: Buffer }, actor: Actor, deps: Deps, ports: ResolutionPorts): Promise<void> {
  const app = await getApplication(deps.db, input.applicationId);
  await assertApplicantSide(app, actor, deps);
  const checked = await materialResolution(app, input.materialId, deps);
  assertUploadExpected(statusOf(app), checked);
  if (input.data.length === 0) throw new AppError('APPLICATION.FILE_REQUIRED', { field: 'file' });
  if (input.data.length > MAX_UPLOAD_BYTES) throw new AppError('APPLICATION.FILE_TOO_LARGE', { field: 'file', details: { maxBytes: MAX_UPLOAD_BYTES } });
  const type = sniffUploadType(input.data);
  if (!type) throw new AppError('APPLICATION.FILE_TYPE_NOT_ALLOWED', { field: 'file' });
  const now = deps.now();
  const fileId = randomUUID();
  const digest = sm3Hex(input.data);
  const filename = cleanUploadFilename(input.filename);
  let status: ApplicationStatus = statusOf(app);
  let r: ResolutionRow = checked;
  await deps.db.transaction().execute(async (trx) => {
    // application (and bundle members sharing the proof) → resolution, as every writer of a material locks them
    const users = await lockApplicationsUsing(trx, [checked.id]);
    status = users.find((u) => u.id === app.id)?.status ?? status;
    r = await trx.selectFrom('material_resolutions').selectAll().where('id', '=', checked.id).forUpdate().executeTakeFirstOrThrow();
    assertUploadExpected(status, r);
    await trx.insertInto('application_files').values({
      id: fileId, application_id: r.application_id, resolution_id: r.id, filename, media_type: type, size: input.data.length,
      sm3: digest, content: input.data, uploaded_by: actor.id, uploaded_at: now,
    }).execute();
    if (status === 'returned' && r.status === 'satisfied') {
      const attempts = [...(r.attempts as Attempt[]), { method: r.method as ResolutionMethod, outcome: 'satisfied', reason: '申请人补正后重新上传', reasonEn: 're-uploaded after correction', at: now.toISOString() }];
      await trx.updateTable('material_resolutions').set({
        evidence: JSON.stringify({ fileId, filename, mediaType: type, sm3: digest, size: input.data.length }), attempts: JSON.stringify(attempts), updated_at: now,
      }).where('id', '=', r.id).execute();
    }
    await appendAudit(trx, { ...auditActor(app, actor), action: 'application.upload', subjectType: 'application', subjectId: app.id, change: { materialId: input.materialId, fileId, sm3: digest, mediaType: type, size: input.data.length } });
  });
  if (status !== 'draft' && r.status === 'awaiting_upload') {
    await resolveMaterials([r.application_id], actor, deps, ports, { resolutionIds: [r.id], forced: new Map([[r.id, r.method === 'retained' ? 'retained' : 'upload']]) });
  }
}

/**
 * The applicant switches a waiting material to another method the catalog allows (e.g.
 * declines the commitment — it is voluntary — or chooses to upload instead of waiting).
 */
export async function chooseMethod(input: { applicationId: string; materialId: string; method: ResolutionMethod }, actor: Actor, deps: Deps, ports: ResolutionPorts): Promise<void> {
  const app = await getApplication(deps.db, input.applicationId);
  await assertApplicantSide(app, actor, deps);
  if (!ACTIVE.has(statusOf(app))) throw new AppError('APPLICATION.INVALID_TRANSITION', { field: 'status', details: { from: app.status, event: 'choose_method' } });
  const r = await materialResolution(app, input.materialId, deps);
  const ctx = await applicantContext(app.applicant_code_hash, deps);
  const open = r.status.startsWith('awaiting_') || r.status === 'failed';
  const options = open ? remainingMethods(r.methods as ExemptionMethod[], r.attempts as Attempt[], r.method as ResolutionMethod | null, ctx) : [];
  if (input.method === 'commitment' && ctx.commitmentExcluded) throw new AppError('COMMITMENT.EXCLUDED_BY_CREDIT', { field: 'method', message: ctx.commitmentExcluded.reason, messageEn: ctx.commitmentExcluded.reasonEn });
  if (!options.includes(input.method)) throw new AppError('APPLICATION.METHOD_NOT_OFFERED', { field: 'method', details: { offered: options } });
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    // application (and bundle members sharing the proof) → resolution → commitment → verification request; the audit chain last
    const users = await lockApplicationsUsing(trx, [r.id]);
    const current = users.find((u) => u.id === app.id)?.status ?? statusOf(app);
    if (!ACTIVE.has(current)) throw new AppError('APPLICATION.INVALID_TRANSITION', { field: 'status', details: { from: current, event: 'choose_method' } });
    const label = input.method === 'upload' ? '上传' : METHOD_LABELS[input.method].zh;
    const attempts = [...(r.attempts as Attempt[]), { method: r.method as ResolutionMethod, outcome: 'declined', reason: `申请人选择改用${label}`, reasonEn: `the applicant chose ${input.method}`, at: now.toISOString() }];
    const res = await trx.updateTable('material_resolutions').set({ attempts: JSON.stringify(attempts), updated_at: now }).where('id', '=', r.id).where('updated_at', '=', r.updated_at).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new AppError('APPLICATION.METHOD_NOT_OFFERED', { field: 'method', message: '材料状态已变化，请刷新后重试', messageEn: 'The material changed meanwhile; reload and retry' });
    if (r.method === 'commitment') {
      await trx.updateTable('commitments').set({ status: 'declined' }).where('resolution_id', '=', r.id).where('status', '=', 'pending_signature').execute();
    }
    if (r.method === 'dept_verification') {
      await withdrawOpenVerifications(trx, [r.id], `申请人改用${input.method === 'upload' ? '上传材料' : label}`, auditActor(app, actor));
    }
    await appendAudit(trx, { ...auditActor(app, actor), action: 'application.choose_method', subjectType: 'application', subjectId: app.id, change: { materialId: input.materialId, from: r.method, to: input.method } });
  });
  await resolveMaterials([r.application_id], actor, deps, ports, { resolutionIds: [r.id], forced: new Map([[r.id, input.method]]) });
}

/** Retries the method a material waits on (e.g. the e-license after the applicant granted its use). */
export async function retryMaterial(input: { applicationId: string; materialId: string }, actor: Actor, deps: Deps, ports: ResolutionPorts): Promise<void> {
  const app = await getApplication(deps.db, input.applicationId);
  await assertApplicantSide(app, actor, deps);
  const r = await materialResolution(app, input.materialId, deps);
  if (r.status !== 'awaiting_grant' || !ACTIVE.has(statusOf(app))) throw new AppError('APPLICATION.NOT_RETRYABLE', { field: 'materialId' });
  await resolveMaterials([r.application_id], actor, deps, ports, { resolutionIds: [r.id], forced: new Map([[r.id, 'e_license']]) });
}

import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import { recordDataAccesses, type DataAccess } from '../../audit/use-cases/record-data-access.ts';
import type { CommitmentRule, ExemptionMethod } from '../../catalog/domain/proof-item.ts';
import { defaultCommitmentRule } from '../../catalog/domain/proof-item.ts';
import { commitmentExclusion, CREDIT_MEMO } from '../../credit/domain/credit-rules.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import { commitmentNotice, commitmentText } from '../../commitments/domain/commitment-text.ts';
import { VERIFICATION_WORKING_DAYS } from '../../verifications/domain/verification-state.ts';
import { periodMonth, shanghaiDate, workingDayDeadline, type WorkCalendar } from '../../shared/calendar/working-days.ts';
import { holdCalendar } from '../../calendar/adapters/official-calendar.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { memoInRequest } from '../../shared/request-scope.ts';
import { sm3Hex } from '../../shared/hash.ts';
import { IN_HAND_STATUSES } from '../domain/lifecycle.ts';
import { applicationsUsingResolution, resolutionState, type ApplicationRow, type ResolutionRow } from '../adapters/application-store.ts';
import {
  describeResolution, nextMethod, type ApplicantContext, type Attempt, type MethodOutcome, type ResolutionMethod, type ResolutionStatus,
} from '../domain/resolution.ts';
import type { ResolutionPorts, ResolutionRequest } from '../ports/resolvers.ts';
import { auditActor } from './access.ts';
import { calendarOf, notifierOf, settleApplications } from './settle-application.ts';

interface Effects {
  accessLogs: DataAccess[];
  commitment?: { id: string; notice: Record<string, string>; text: string; rule: CommitmentRule };
  /** the deadline is counted when the request is written, in the calendar held by that transaction */
  verification?: { id: string; question: string; dueAt?: Date };
}

interface ResolutionWrite {
  row: ResolutionRow;
  app: ApplicationRow;
  method: ResolutionMethod;
  status: ResolutionStatus;
  attempts: Attempt[];
  evidence: Record<string, unknown> | null;
  withoutSubmission: boolean | null;
  effects: Effects;
}

export interface ResolveOptions {
  /** Resolve only these resolutions (default: every pending one the applications' materials use, owned or shared in a bundle). */
  resolutionIds?: readonly string[];
  /** Start these resolutions with the given method (a retry, or the applicant's explicit choice). */
  forced?: ReadonlyMap<string, ResolutionMethod>;
}

/** The applicant's situation: an active false-commitment credit record withdraws the commitment route. */
export async function applicantContext(subjectHash: string, deps: Deps): Promise<ApplicantContext> {
  // read once per HTTP request (create, resolve and the answer's view all ask); credit-supervision forgets it when it writes
  const records = await memoInRequest(`${CREDIT_MEMO}${subjectHash}`, () => deps.db.selectFrom('credit_records').select(['status', 'valid_until']).where('subject_code_hash', '=', subjectHash).execute());
  return { commitmentExcluded: commitmentExclusion(records.map((r) => ({ status: r.status, validUntil: new Date(r.valid_until) })), deps.now()) };
}

function legalBasisOf(r: ResolutionRow): string {
  return r.legal_basis.trim() || '《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》';
}

/**
 * The resolution engine. For each pending material it tries the catalog's methods in
 * order (outside any transaction, since data sharing calls provider nodes), then writes
 * every outcome, its evidence, the access-log entries, verification requests and
 * commitments in one transaction, and settles the applications' states.
 */
export async function resolveMaterials(appIds: readonly string[], actor: Actor, deps: Deps, ports: ResolutionPorts, options: ResolveOptions = {}): Promise<void> {
  if (appIds.length === 0) return;
  const apps = await deps.db.selectFrom('applications').selectAll().where('id', 'in', appIds).execute();
  const byId = new Map(apps.map((a) => [a.id, a]));
  // the resolutions the applications' materials use: their own and, in a bundle, those shared with another member
  let q = deps.db.selectFrom('material_resolutions').selectAll()
    .where('id', 'in', deps.db.selectFrom('application_materials').select('resolution_id').where('application_id', 'in', appIds).where('resolution_id', 'is not', null).$narrowType<{ resolution_id: string }>());
  if (options.resolutionIds) q = q.where('id', 'in', options.resolutionIds.length ? [...options.resolutionIds] : ['00000000-0000-0000-0000-000000000000']);
  else q = q.where('status', '=', 'pending');
  const rows = await q.execute();
  // A bundle's shared proof is resolved for a member still in hand, first one of these applications: the member
  // that generated it may have been withdrawn (or decided) on its own, and its department reads nothing for it
  // any more, or not be among them (a member resubmitted on its own resolves a proof it shares again).
  const orphaned = rows.filter((r) => r.bundle_id && !RESOLVABLE.includes(byId.get(r.application_id)?.status ?? '')).map((r) => r.id);
  const actingFor = new Map<string, ApplicationRow>();
  if (orphaned.length) {
    const users = await deps.db.selectFrom('application_materials as m').innerJoin('applications as a', 'a.id', 'm.application_id').selectAll('a').select('m.resolution_id as shared_resolution_id')
      .where('m.resolution_id', 'in', orphaned).orderBy('a.id').execute();
    // in hand and among these applications, then in hand, then among these (its outcome is then not written)
    const rank = (a: ApplicationRow) => (RESOLVABLE.includes(a.status) ? 0 : 2) + (byId.has(a.id) ? 0 : 1);
    for (const { shared_resolution_id: rid, ...a } of users) {
      const current = rid ? actingFor.get(rid) : undefined;
      if (rid && (!current || rank(a) < rank(current))) actingFor.set(rid, a);
    }
  }
  const appFor = (row: ResolutionRow): ApplicationRow => actingFor.get(row.id) ?? byId.get(row.application_id)!;
  const first = apps[0]!;
  const ctx = await applicantContext(first.applicant_code_hash, deps);
  const holderCode = deps.pii.reveal(first.applicant_code_enc, 'applicant_code');
  const files = rows.length ? await deps.db.selectFrom('application_files').select(['id', 'resolution_id', 'filename', 'media_type', 'sm3', 'size'])
    .where('resolution_id', 'in', rows.map((r) => r.id)).orderBy('uploaded_at', 'desc').execute() : [];
  const models = new Map<number, Awaited<ReturnType<Deps['catalogReadModels']['get']>>>();
  for (const a of [...apps, ...actingFor.values()]) if (!models.has(a.catalog_version)) models.set(a.catalog_version, await deps.catalogReadModels.get(a.catalog_version));

  for (const row of rows) {
    if (options.forced?.get(row.id) === 'commitment' && ctx.commitmentExcluded) throw new AppError('COMMITMENT.EXCLUDED_BY_CREDIT', { field: 'method', message: ctx.commitmentExcluded.reason, messageEn: ctx.commitmentExcluded.reasonEn });
  }

  // Materials are independent of one another: they are resolved concurrently (each one's
  // methods still in the catalog's order), and their outcomes written in the rows' order.
  const resolveRow = async (row: ResolutionRow): Promise<ResolutionWrite | undefined> => {
    const app = appFor(row);
    const who = auditActor(app, actor);
    const at = deps.now().toISOString();
    const req: ResolutionRequest = {
      application: { id: app.id, ref: app.ref, serviceItemCode: app.service_item_code, serviceItemName: app.service_item_name },
      holder: { code: holderCode, kind: app.applicant_kind, name: app.applicant_name, accountId: app.applicant_account_id },
      proofItem: { id: row.proof_item_id, name: row.proof_item_name, legalBasis: row.legal_basis, issuingDepartmentId: row.issuing_department_id, issuingDepartmentName: row.issuing_department_name },
      requester: { departmentId: app.department_id, departmentName: app.department_name, accountId: actor.id, role: who.actorRole, onBehalfOf: who.onBehalfOf },
    };
    const access = (dataItem: string, outcome: string, detail: Record<string, unknown>): DataAccess => ({
      subjectCode: holderCode, subjectKind: app.applicant_kind, accessorDepartmentId: app.department_id, accessorName: app.department_name,
      accessorAccountId: actor.id, accessorRole: who.actorRole, onBehalfOf: who.onBehalfOf, dataItem, dataItemLabel: row.proof_item_name,
      purpose: 'application', applicationRef: app.ref, legalBasis: legalBasisOf(row), outcome, detail,
    });
    const effects: Effects = { accessLogs: [] };
    const state = resolutionState(row);
    const attempts: Attempt[] = [...state.attempts];
    let method: ResolutionMethod | null = options.forced?.get(row.id) ?? null;
    const methods = row.methods as ExemptionMethod[];

    const attempt = async (m: ResolutionMethod): Promise<MethodOutcome> => {
      switch (m) {
        case 'cancelled':
          return { kind: 'satisfied', withoutSubmission: true, evidence: { legalBasis: row.legal_basis, note: '该证明事项已直接取消，无需任何材料' }, note: '该证明已直接取消', noteEn: 'the proof is cancelled' };
        case 'e_license': {
          const out = await ports.licenses.resolve(req);
          if (out.kind === 'verified') {
            if (!out.accessLogged) effects.accessLogs.push(access(`license:${out.licenseTypeCode}`, 'verified', { identifier: out.identifier, grantId: out.grantId }));
            const { kind: _k, accessLogged: _a, ...evidence } = out;
            return { kind: 'satisfied', withoutSubmission: true, evidence, note: `已调用并核验电子证照 ${out.identifier}`, noteEn: `e-license ${out.identifier} used and verified` };
          }
          if (out.kind === 'grant_required') {
            return { kind: 'awaiting', status: 'awaiting_grant', evidence: { licenseTypeCode: out.licenseTypeCode, licenseTypeName: out.licenseTypeName }, note: out.reason, noteEn: out.reasonEn };
          }
          if (out.kind === 'invalid' && !out.accessLogged) effects.accessLogs.push(access(`license:${row.proof_item_id}`, 'invalid', { identifier: out.identifier ?? null }));
          return { kind: 'fallback', outcome: out.kind, reason: out.reason, reasonEn: out.reasonEn };
        }
        case 'data_sharing': {
          const out = await ports.dataSharing.query(req);
          if (out.kind === 'answered') {
            if (!out.accessLogged) effects.accessLogs.push(access(`exchange:${row.proof_item_id}`, 'answered', { queryId: out.queryId, providerId: out.providerId, asOf: out.asOf }));
            const { kind: _k, accessLogged: _a, ...evidence } = out;
            return { kind: 'satisfied', withoutSubmission: true, evidence, note: `${out.providerName}已答复（数据截至 ${out.asOf}）`, noteEn: `${out.providerName} answered (as of ${out.asOf})` };
          }
          if (out.kind !== 'unavailable' && !out.accessLogged) effects.accessLogs.push(access(`exchange:${row.proof_item_id}`, out.kind, { queryId: out.queryId ?? null }));
          return { kind: 'fallback', outcome: out.kind, reason: out.reason, reasonEn: out.reasonEn };
        }
        case 'online_issue': {
          const out = await ports.onlineIssuer.issue(req);
          if (out.kind === 'issued') {
            effects.accessLogs.push(access(`online_issue:${row.proof_item_id}`, 'issued', { documentId: out.document.documentId }));
            return { kind: 'satisfied', withoutSubmission: true, evidence: { document: out.document }, note: `${row.issuing_department_name}已在线开具`, noteEn: `issued online by ${row.issuing_department_name}` };
          }
          return { kind: 'fallback', outcome: 'unavailable', reason: out.reason, reasonEn: out.reasonEn };
        }
        case 'dept_verification': {
          effects.verification = { id: randomUUID(), question: `请核实：申请人“${app.applicant_name}”是否符合“${row.proof_item_name}”所证明的事实（用于办理“${app.service_item_name}”）。` };
          // the deadline (evidence.dueAt, the date in the note) is set when the request is written: stampVerificationDeadline
          return {
            kind: 'awaiting', status: 'awaiting_verification', evidence: { verificationRequestId: effects.verification.id },
            note: `已向${row.issuing_department_name}发起核验，时限 ${VERIFICATION_WORKING_DAYS} 个工作日`, noteEn: `verification requested from ${row.issuing_department_name}`,
          };
        }
        case 'commitment': {
          const model = models.get(app.catalog_version);
          const proof = model?.findProofItem(row.proof_item_id);
          const rule = proof?.commitment ?? defaultCommitmentRule(row.proof_item_name);
          const input = {
            proofItemName: row.proof_item_name, legalBasis: row.legal_basis, issuingDepartmentName: row.issuing_department_name, acceptingDepartmentName: app.department_name,
            serviceItemName: app.service_item_name, applicationRef: app.ref, applicantName: app.applicant_name, applicantCodeMask: app.applicant_code_mask,
            applicantKind: app.applicant_kind, rule, date: shanghaiDate(deps.now()),
          };
          effects.commitment = { id: randomUUID(), notice: { ...commitmentNotice(input) }, text: commitmentText(input), rule };
          return { kind: 'awaiting', status: 'awaiting_signature', evidence: { commitmentId: effects.commitment.id }, note: '告知承诺书已生成，待申请人本人签署', noteEn: 'commitment generated; the applicant signs it' };
        }
        case 'retained':
        case 'upload': {
          const file = files.find((f) => f.resolution_id === row.id);
          if (file) return { kind: 'satisfied', withoutSubmission: false, evidence: { fileId: file.id, filename: file.filename, mediaType: file.media_type, sm3: file.sm3, size: file.size }, note: '申请人已上传', noteEn: 'uploaded by the applicant' };
          return { kind: 'awaiting', status: 'awaiting_upload', note: m === 'retained' ? '该证明依法保留，请上传' : '免提交方式均无法使用，请上传', noteEn: m === 'retained' ? 'retained by law: please upload' : 'no exemption method could be used: please upload' };
        }
      }
    };

    let write: ResolutionWrite | undefined;
    for (let guard = 0; guard < 12 && !write; guard++) {
      if (!method) {
        const n = nextMethod(methods, attempts, ctx, deps.now().toISOString());
        attempts.push(...n.skipped);
        method = n.method;
      }
      const out = await attempt(method);
      if (out.kind === 'fallback') {
        attempts.push({ method, outcome: out.outcome, reason: out.reason, reasonEn: out.reasonEn, at });
        method = null;
        continue;
      }
      attempts.push({ method, outcome: out.kind, reason: out.note, reasonEn: out.noteEn, at });
      write = {
        row, app, method, attempts, effects,
        status: out.kind === 'satisfied' ? 'satisfied' : out.status,
        evidence: out.evidence ?? null,
        withoutSubmission: out.kind === 'satisfied' ? out.withoutSubmission : null,
      };
    }
    return write;
  };
  const writes = (await Promise.all(rows.map(resolveRow))).filter((w): w is ResolutionWrite => w !== undefined);

  await deps.db.transaction().execute(async (trx) => {
    // a verification deadline or a review deadline may be written: the calendar is held before any row lock
    await holdCalendar(trx);
    const affected = new Set(appIds);
    for (const w of writes) if (w.row.bundle_id) for (const id of await applicationsUsingResolution(trx, w.row.id)) affected.add(id);
    // The applications are locked first (as withdrawing and deciding do): one withdrawn while the
    // providers were answering gets no verification request and no commitment to sign — only an
    // outcome some application still in hand uses is written.
    const inHand = await lockInHand(trx, [...affected]);
    // a bundle's shared proof is still wanted while any member using it is in hand
    const shared = writes.filter((w) => w.row.bundle_id).map((w) => w.row.id);
    const sharedNeeded = shared.length && inHand.length ? new Set((await trx.selectFrom('application_materials').select('resolution_id')
      .where('resolution_id', 'in', shared).where('application_id', 'in', inHand).execute()).map((m) => m.resolution_id)) : new Set<string | null>();
    const wanted = writes.filter((w) => (w.row.bundle_id ? sharedNeeded.has(w.row.id) : inHand.includes(w.row.application_id)));
    await writeResolutions(trx, wanted, actor, deps);
    await settleApplications(trx, [...affected], actor, deps);
  });
}

/** Statuses in which the engine's outcomes are still wanted: in hand, or a draft (nothing was released yet); not withdrawn or decided. */
const RESOLVABLE: readonly string[] = [...IN_HAND_STATUSES, 'draft'];

/** Locks the applications (in id order) and answers those whose materials are still to be resolved. */
async function lockInHand(trx: Transaction<DB>, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await trx.selectFrom('applications').select(['id', 'status']).where('id', 'in', ids).orderBy('id').forUpdate().execute();
  return rows.filter((r) => RESOLVABLE.includes(r.status)).map((r) => r.id);
}

/**
 * Sets a department verification's deadline as the request is written: the end of the 3rd working
 * day after `now` (its requested_at) in the calendar the transaction holds — the rule a calendar
 * change recomputes it by.
 */
function stampVerificationDeadline(w: ResolutionWrite, now: Date, calendar: WorkCalendar): void {
  const v = w.effects.verification;
  if (!v) return;
  v.dueAt = workingDayDeadline(now, VERIFICATION_WORKING_DAYS, calendar);
  w.evidence = { ...w.evidence, dueAt: v.dueAt.toISOString() };
  const last = w.attempts.at(-1);
  if (last?.method === 'dept_verification') {
    w.attempts[w.attempts.length - 1] = { ...last, reason: `${last.reason}（至 ${shanghaiDate(v.dueAt)}）`, reasonEn: `${last.reasonEn}, due ${shanghaiDate(v.dueAt)}` };
  }
}

async function writeResolutions(trx: Transaction<DB>, writes: ResolutionWrite[], actor: Actor, deps: Deps): Promise<void> {
  if (writes.length === 0) return;
  const now = deps.now();
  if (writes.some((w) => w.effects.verification)) {
    const calendar = await calendarOf(deps, trx);
    for (const w of writes) stampVerificationDeadline(w, now, calendar);
  }
  const byApp = new Map<string, { app: ApplicationRow; items: unknown[] }>();
  // Every outcome in one statement; each row only if it is still as this engine read it
  // (status and updated_at): a row changed meanwhile keeps the other writer's outcome.
  const values = sql.join(writes.map((w) => {
    const proof = { name: w.row.proof_item_name, methods: w.row.methods as ExemptionMethod[], legalBasis: w.row.legal_basis, issuingDepartmentName: w.row.issuing_department_name };
    const text = describeResolution(proof, w.method, w.status, w.attempts);
    return sql`(${w.row.id}::uuid, ${w.row.status}::text, ${w.row.updated_at}::timestamptz, ${w.method}::text, ${w.status}::text, ${JSON.stringify(w.attempts)}::jsonb,
      ${JSON.stringify(w.evidence)}::jsonb, ${w.withoutSubmission}::boolean, ${text.zh}::text, ${text.en}::text, ${w.status === 'satisfied' ? now : null}::timestamptz)`;
  }));
  const updated = await sql<{ id: string }>`UPDATE material_resolutions AS m SET method = v.method, status = v.status, attempts = v.attempts, evidence = v.evidence,
      without_submission = v.without_submission, explanation = v.explanation, explanation_en = v.explanation_en, resolved_at = v.resolved_at, updated_at = ${now}::timestamptz
    FROM (VALUES ${values}) AS v(id, old_status, old_updated_at, method, status, attempts, evidence, without_submission, explanation, explanation_en, resolved_at)
    WHERE m.id = v.id AND m.status = v.old_status AND m.updated_at = v.old_updated_at RETURNING m.id`.execute(trx);
  const written = new Set(updated.rows.map((r) => r.id));
  const accessLogs: DataAccess[] = [];
  for (const w of writes) {
    if (!written.has(w.row.id)) continue; // changed meanwhile: the other writer's outcome stands
    const app = w.app;
    if (w.effects.commitment) {
      const c = w.effects.commitment;
      await trx.insertInto('commitments').values({
        id: c.id, application_id: app.id, resolution_id: w.row.id, proof_item_id: w.row.proof_item_id, proof_item_name: w.row.proof_item_name,
        issuing_department_id: w.row.issuing_department_id, applicant_account_id: app.applicant_account_id, applicant_name: app.applicant_name,
        applicant_code_hash: app.applicant_code_hash, applicant_code_mask: app.applicant_code_mask, notice: JSON.stringify(c.notice), text: c.text,
        text_digest: sm3Hex(c.text), rule: JSON.stringify(c.rule), status: 'pending_signature', created_at: now, period_month: periodMonth(now),
      }).execute();
      if (app.applicant_account_id) {
        await notifierOf(deps).notify(trx, {
          recipientAccountId: app.applicant_account_id, kind: 'commitment.to_sign', title: '请签署告知承诺书',
          body: `办件 ${app.ref}（${app.service_item_name}）中的“${w.row.proof_item_name}”可以告知承诺方式办理，请您本人阅读并签署。`,
          titleEn: 'Please sign a commitment',
          bodyEn: `In application ${app.ref} (${app.service_item_name}), "${w.row.proof_item_name}" may be satisfied by your commitment (告知承诺): please read and sign it yourself.`,
          link: `/commitments/${c.id}`,
        });
      }
    }
    if (w.effects.verification) {
      const v = w.effects.verification;
      await trx.insertInto('verification_requests').values({
        id: v.id, application_id: app.id, application_ref: app.ref, resolution_id: w.row.id, proof_item_id: w.row.proof_item_id, proof_item_name: w.row.proof_item_name,
        issuing_department_id: w.row.issuing_department_id, requesting_department_id: app.department_id, requesting_department_name: app.department_name,
        subject_name: app.applicant_name, subject_kind: app.applicant_kind, subject_code_hash: app.applicant_code_hash, subject_code_mask: app.applicant_code_mask,
        question: v.question, status: 'pending', requested_at: now, due_at: v.dueAt!, working_days: VERIFICATION_WORKING_DAYS, period_month: periodMonth(now),
      }).execute();
    }
    const entry = byApp.get(app.id) ?? { app, items: [] };
    entry.items.push({ resolutionId: w.row.id, proofItemId: w.row.proof_item_id, method: w.method, status: w.status, attempts: w.attempts.map((a) => `${a.method}:${a.outcome}`) });
    byApp.set(app.id, entry);
    accessLogs.push(...w.effects.accessLogs);
  }
  if (accessLogs.length) await recordDataAccesses(trx, deps.pii, accessLogs);
  for (const { app, items } of byApp.values()) {
    const who = auditActor(app, actor);
    await appendAudit(trx, { ...who, action: 'application.resolve', subjectType: 'application', subjectId: app.id, purpose: 'application', change: { ref: app.ref, resolutions: items } });
  }
}

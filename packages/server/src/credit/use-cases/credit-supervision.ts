import { randomUUID } from 'node:crypto';
import { forgetInRequest } from '../../shared/request-scope.ts';
import { loadExcelJs } from '../../shared/lazy-modules.ts';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import { hasRole, regionPrefix } from '../../identity/domain/roles.ts';
import { staffRegion } from '../../identity/use-cases/staff-region.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { notifierOf } from '../../applications/use-cases/settle-application.ts';
import { applicationsUsingResolution, lockApplications } from '../../applications/adapters/application-store.ts';
import { shanghaiDate } from '../../shared/calendar/working-days.ts';
import { CREDIT_MEMO, FALSE_COMMITMENT_PERIOD_DAYS, isActiveCredit } from '../domain/credit-rules.ts';
import { containsPattern } from '../../shared/like.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** Post-check tasks of the actor's department (issuer staff): open ones first, by deadline, then by id (no task lost or repeated between pages on a tie). */
export async function listPostChecks(query: { status?: 'open' | 'done'; page: number; pageSize: number }, actor: Actor, deps: Deps) {
  if (!actor.departmentId) throw new AppError('AUTH.OUT_OF_SCOPE');
  let q = deps.db.selectFrom('post_checks').where('assigned_department_id', '=', actor.departmentId);
  if (query.status) q = q.where('status', '=', query.status);
  const [{ n }, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.selectAll().orderBy('status', 'desc').orderBy('due_at').orderBy('id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
  ]);
  const now = deps.now();
  return {
    total: Number(n),
    items: rows.map((r) => ({
      id: r.id, commitmentId: r.commitment_id, applicationId: r.application_id, applicationRef: r.application_ref, proofItemName: r.proof_item_name,
      subjectName: r.subject_name, subjectCodeMask: r.subject_code_mask, reason: r.reason, status: r.status, createdAt: iso(r.created_at)!, dueAt: iso(r.due_at)!,
      overdue: r.status === 'open' && new Date(r.due_at).getTime() < now.getTime(), result: r.result, note: r.note, checkedAt: iso(r.checked_at),
    })),
  };
}

/**
 * The issuing department records a post-check result. False → the commitment is found
 * false, a credit record withdraws the commitment route for a period, the decision is
 * flagged for revocation, and the applicant is told why.
 */
export async function recordPostCheckResult(input: { id: string; truthful: boolean; note?: string }, actor: Actor, deps: Deps) {
  const note = (input.note ?? '').trim();
  if (!input.truthful && note.length < 2) throw new AppError('CREDIT.NOTE_REQUIRED', { field: 'note' });
  const task = await deps.db.selectFrom('post_checks').innerJoin('commitments', 'commitments.id', 'post_checks.commitment_id')
    .select(['post_checks.application_id', 'post_checks.assigned_department_id', 'commitments.resolution_id']).where('post_checks.id', '=', input.id).executeTakeFirst();
  if (!task) throw new AppError('CREDIT.POST_CHECK_NOT_FOUND', { field: 'id' });
  if (!hasRole(actor, 'issuer') || actor.departmentId !== task.assigned_department_id) throw new AppError('AUTH.OUT_OF_SCOPE', { field: 'id' });
  return deps.db.transaction().execute(async (trx) => {
    // a false result flags the applications and marks the commitment: the applications are locked first,
    // as by every transaction that changes an application's rows, then the task, then the commitment.
    // In a bundle the commitment is shared: every member using it rests on it, not only the one that generated it.
    const users = await lockApplications(trx, [task.application_id, ...await applicationsUsingResolution(trx, task.resolution_id)]);
    const pc = await trx.selectFrom('post_checks').selectAll().where('id', '=', input.id).forUpdate().executeTakeFirst();
    if (!pc) throw new AppError('CREDIT.POST_CHECK_NOT_FOUND', { field: 'id' });
    if (!hasRole(actor, 'issuer') || actor.departmentId !== pc.assigned_department_id) throw new AppError('AUTH.OUT_OF_SCOPE', { field: 'id' });
    if (pc.status === 'done') throw new AppError('CREDIT.POST_CHECK_DONE', { field: 'id' });
    const now = deps.now();
    await trx.updateTable('post_checks').set({ status: 'done', result: input.truthful, note: note || null, checked_by: actor.id, checked_at: now }).where('id', '=', pc.id).execute();
    let creditRecordId: string | null = null;
    if (!input.truthful) {
      const c = await trx.selectFrom('commitments').select(['id', 'applicant_account_id', 'applicant_name']).where('id', '=', pc.commitment_id).executeTakeFirstOrThrow();
      const app = await trx.selectFrom('applications').select(['applicant_kind']).where('id', '=', pc.application_id).executeTakeFirstOrThrow();
      await trx.updateTable('commitments').set({ status: 'found_false' }).where('id', '=', c.id).execute();
      // every decision resting on the commitment is flagged; a withdrawn application has none to revoke
      const resting = users.filter((u) => u.status !== 'withdrawn').map((u) => u.id);
      if (resting.length) await trx.updateTable('applications').set({ revocation_suggested: true, updated_at: now }).where('id', 'in', resting).execute();
      creditRecordId = randomUUID();
      const validUntil = new Date(now.getTime() + FALSE_COMMITMENT_PERIOD_DAYS * 86_400_000);
      await trx.insertInto('credit_records').values({
        id: creditRecordId, subject_code_hash: pc.subject_code_hash, subject_code_mask: pc.subject_code_mask, subject_name: pc.subject_name, subject_kind: app.applicant_kind,
        type: 'false_commitment', source_type: 'post_check', source_id: pc.id, source_ref: pc.application_ref, department_id: pc.assigned_department_id,
        detail: `“${pc.proof_item_name}”告知承诺经核查不实：${note}`, recorded_at: now, valid_until: validUntil, status: 'active',
      }).execute();
      forgetInRequest(CREDIT_MEMO);
      if (c.applicant_account_id) {
        await notifierOf(deps).notify(trx, {
          recipientAccountId: c.applicant_account_id, kind: 'credit.recorded', title: '告知承诺核查不实，已记入信用记录',
          body: `办件 ${pc.application_ref} 中“${pc.proof_item_name}”的承诺经${actor.departmentName ?? '开具部门'}核查不实（${note}）。在 ${shanghaiDate(validUntil)} 前或信用修复前，您办理事项时将不能选择告知承诺方式。`,
          titleEn: 'Commitment found untrue: entered in your credit record',
          bodyEn: `Your commitment for "${pc.proof_item_name}" in application ${pc.application_ref} was found untrue by ${actor.departmentName ?? 'the issuing department'} (${note}). Until ${shanghaiDate(validUntil)}, or until your credit is repaired, you cannot choose the commitment route when you apply.`,
          link: `/applications/${pc.application_id}`,
        });
      }
    }
    await appendAudit(trx, { actorId: actor.id, actorRole: 'issuer', action: 'post_check.result', subjectType: 'post_check', subjectId: pc.id, change: { truthful: input.truthful, note, creditRecordId } });
    return { id: pc.id, status: 'done' as const, result: input.truthful, creditRecordId };
  });
}

export interface CreditQuery { status?: 'active' | 'repaired' | 'expired'; q?: string; page: number; pageSize: number }

/**
 * The region an actor reads credit records in, as a code prefix for `LIKE '<prefix>%'`, or null
 * for all. A credit record belongs to the region of the department that recorded it (the issuing
 * department that did the post-check). The scope is the account's region, else its department's;
 * a province (xx0000) reads the whole province, a city its city and districts. An account with
 * neither reads all (a platform-wide supervisor), as for applications and escalations.
 */
async function creditScope(actor: Actor, deps: Deps): Promise<string | null> {
  const region = await staffRegion(actor, deps);
  return region === null ? null : regionPrefix(region);
}

async function creditRows(query: CreditQuery, actor: Actor, deps: Deps, limit?: number, withTotal = false) {
  let q = deps.db.selectFrom('credit_records').innerJoin('departments', 'departments.id', 'credit_records.department_id').selectAll('credit_records').select('departments.name as department_name');
  // the region is filtered in the query, before the limit: a city's page is never cut short, nor filled, by other cities' records
  const scope = await creditScope(actor, deps);
  if (scope !== null) q = q.where('departments.region_code', 'like', `${scope}%`);
  const now = deps.now();
  if (query.status === 'active') q = q.where('credit_records.status', '=', 'active').where('valid_until', '>', now);
  if (query.status === 'expired') q = q.where('credit_records.status', '=', 'active').where('valid_until', '<=', now);
  if (query.status === 'repaired') q = q.where('credit_records.status', '=', 'repaired');
  if (query.q) {
    const pattern = containsPattern(query.q);
    q = q.where((eb) => eb.or([eb('subject_name', 'like', pattern), eb('source_ref', 'like', pattern)]));
  }
  const [rows, total] = await Promise.all([
    q.orderBy('recorded_at', 'desc').orderBy('credit_records.id').limit(limit ?? query.pageSize).offset(limit ? 0 : (query.page - 1) * query.pageSize).execute(),
    withTotal ? q.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n)) : Promise.resolve(undefined),
  ]);
  return { total, items: rows.map((r) => ({
    id: r.id, subjectName: r.subject_name, subjectCodeMask: r.subject_code_mask, subjectKind: r.subject_kind, type: r.type, typeLabel: '虚假承诺',
    source: { type: r.source_type, id: r.source_id, ref: r.source_ref }, departmentName: r.department_name, detail: r.detail,
    recordedAt: iso(r.recorded_at)!, validUntil: iso(r.valid_until)!,
    status: r.status === 'repaired' ? 'repaired' as const : isActiveCredit({ status: r.status, validUntil: new Date(r.valid_until) }, now) ? 'active' as const : 'expired' as const,
    repairedAt: iso(r.repaired_at), repairReason: r.repair_reason,
  })) };
}

/** Credit records in the actor's region (supervisors), newest first: one page, and how many there are in all. */
export async function listCreditRecords(query: CreditQuery, actor: Actor, deps: Deps) {
  const { items, total } = await creditRows(query, actor, deps, undefined, true);
  return { items, total: total!, page: query.page, pageSize: query.pageSize };
}

/** Why supervisors may hand out a file of persons' credit records: the supervision of commitments and their credit consequences. */
export const CREDIT_EXPORT_LEGAL_BASIS = '《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发〔2020〕42号）';

/** An instant as Beijing wall-clock time, `YYYY-MM-DD HH:mm:ss` (the sheet says so in its headers). */
function beijingTime(at: string): string {
  return new Date(Date.parse(at) + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The credit records in the actor's region as an .xlsx workbook (supervisors), times in Beijing
 * time. Handing out the file is a use of the persons' data: audited with purpose and legal basis.
 */
export async function exportCreditRecords(query: CreditQuery, actor: Actor, deps: Deps): Promise<Buffer> {
  // one row more than the file may hold (CREDIT_EXPORT_MAX_ROWS): a file cut short at the limit would pass for all the records
  const maxRows = deps.config.creditExportMaxRows;
  const { items: rows } = await creditRows(query, actor, deps, maxRows + 1);
  if (rows.length > maxRows) {
    throw new AppError('CREDIT.EXPORT_TOO_LARGE', {
      field: query.q ? 'q' : 'status', details: { maxRows },
      message: `符合条件的信用记录超过 ${maxRows} 条的导出上限，请按状态或关键字缩小范围后再导出`,
      messageEn: `More than ${maxRows} credit records match, more than one export may hold: narrow them by status or keyword`,
    });
  }
  const scope = await creditScope(actor, deps);
  await deps.db.transaction().execute((trx) => appendAudit(trx, {
    actorId: actor.id, actorRole: 'supervisor', action: 'credit.export', subjectType: 'credit_records', subjectId: scope ?? 'all',
    purpose: '信用监管 credit supervision', legalBasis: CREDIT_EXPORT_LEGAL_BASIS,
    change: { count: rows.length, status: query.status ?? null, q: query.q ?? null, records: rows.map((r) => r.id) },
  }));
  const wb = new (await loadExcelJs()).Workbook();
  wb.creator = '免证 Mianzheng';
  const ws = wb.addWorksheet('信用记录');
  ws.columns = [
    { header: '主体名称', key: 'subjectName', width: 28 }, { header: '证件号码（掩码）', key: 'subjectCodeMask', width: 22 }, { header: '类型', key: 'typeLabel', width: 12 },
    { header: '来源办件', key: 'sourceRef', width: 30 }, { header: '记录部门', key: 'departmentName', width: 24 }, { header: '情况', key: 'detail', width: 50 },
    { header: '记录时间（北京时间）', key: 'recordedAt', width: 22 }, { header: '有效期至（北京时间）', key: 'validUntil', width: 22 }, { header: '状态', key: 'status', width: 10 }, { header: '修复说明', key: 'repairReason', width: 30 },
  ];
  const label = { active: '有效', expired: '已到期', repaired: '已修复' } as const;
  for (const r of rows) ws.addRow({ ...r, sourceRef: r.source.ref, recordedAt: beijingTime(r.recordedAt), validUntil: beijingTime(r.validUntil), status: label[r.status], repairReason: r.repairReason ?? '' });
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Credit repair (信用修复): a supervisor of the record's region ends it early, with a reason.
 * A record of another region is CREDIT.RECORD_NOT_FOUND, as if there were none: its existence is not disclosed.
 */
export async function repairCreditRecord(input: { id: string; reason: string }, actor: Actor, deps: Deps) {
  const reason = input.reason.trim();
  if (reason.length < 2) throw new AppError('APPLICATION.REASON_REQUIRED', { field: 'reason' });
  const scope = await creditScope(actor, deps);
  await deps.db.transaction().execute(async (trx) => {
    let q = trx.selectFrom('credit_records').selectAll('credit_records').where('credit_records.id', '=', input.id);
    if (scope !== null) q = q.where('credit_records.department_id', 'in', trx.selectFrom('departments').select('id').where('region_code', 'like', `${scope}%`));
    const r = await q.forUpdate().executeTakeFirst();
    if (!r) throw new AppError('CREDIT.RECORD_NOT_FOUND', { field: 'id' });
    if (r.status === 'repaired') throw new AppError('CREDIT.ALREADY_REPAIRED', { field: 'id' });
    await trx.updateTable('credit_records').set({ status: 'repaired', repaired_at: deps.now(), repaired_by: actor.id, repair_reason: reason }).where('id', '=', r.id).execute();
    forgetInRequest(CREDIT_MEMO);
    await appendAudit(trx, { actorId: actor.id, actorRole: 'supervisor', action: 'credit.repair', subjectType: 'credit_record', subjectId: r.id, change: { reason } });
  });
}

import { parseIdentityNumber, parseUscc } from '@mianzheng/crypto';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';

export interface ExchangeLogQuery {
  provider?: string; item?: string; consumer?: string; outcome?: 'answered' | 'not_found' | 'denied' | 'unavailable'; reason?: string;
  applicationRef?: string; purpose?: string;
  /** identity number or USCC of the data subject (matched by its keyed hash) */
  subject?: string;
  from?: string; to?: string; page: number; pageSize: number;
}

export interface ExchangeLogEntry {
  id: string; at: string; providerId: string | null; providerName: string | null; itemCode: string; itemName: string | null;
  consumerDepartmentId: string; consumerName: string; actorRole: string | null; purpose: string; applicationRef: string; legalBasis: string;
  subjectMask: string | null; sent: boolean; outcome: string; reason: string | null; detail: string | null; httpStatus: number | null; attempts: number;
  requestSuite: string | null; requestDigest: string | null; responseDigest: string | null; providerKeyId: string | null;
  asOf: string | null; answeredAt: string | null; latencyMs: number; accessLogId: string | null;
}

/** The platform's exchange log, filtered (data administrators and supervisors). Identifiers appear masked only. */
export async function listExchangeLog(query: ExchangeLogQuery, deps: Deps): Promise<{ total: number; items: ExchangeLogEntry[] }> {
  let q = deps.db.selectFrom('exchange_log');
  if (query.provider) q = q.where('provider_id', '=', query.provider);
  if (query.item) q = q.where('item_code', '=', query.item);
  if (query.consumer) q = q.where('consumer_department_id', '=', query.consumer);
  if (query.outcome) q = q.where('outcome', '=', query.outcome);
  if (query.reason) q = q.where('reason', '=', query.reason);
  if (query.purpose) q = q.where('purpose', '=', query.purpose);
  if (query.applicationRef) q = q.where('application_ref', '=', query.applicationRef);
  if (query.subject) {
    const s = query.subject.trim().toUpperCase();
    const valid = s.length === 18 && (parseIdentityNumber(s).valid || parseUscc(s).valid);
    if (!valid) throw new AppError('IDENTITY.INVALID_ID_NUMBER', { field: 'subject', message: '请输入有效的公民身份号码或统一社会信用代码', messageEn: 'Enter a valid identity number or USCC' });
    q = q.where('subject_hash', '=', deps.pii.lookupHash(s));
  }
  if (query.from) q = q.where('at', '>=', new Date(query.from));
  if (query.to) q = q.where('at', '<', new Date(query.to));
  const [{ n }, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.selectAll().orderBy('at', 'desc').orderBy('id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
  ]);
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return {
    total: Number(n),
    items: rows.map((r) => ({
      id: r.id, at: iso(r.at)!, providerId: r.provider_id, providerName: r.provider_name, itemCode: r.item_code, itemName: r.item_name,
      consumerDepartmentId: r.consumer_department_id, consumerName: r.consumer_name, actorRole: r.actor_role, purpose: r.purpose, applicationRef: r.application_ref,
      legalBasis: r.legal_basis, subjectMask: r.subject_mask, sent: r.sent, outcome: r.outcome, reason: r.reason, detail: r.detail, httpStatus: r.http_status,
      attempts: r.attempts, requestSuite: r.request_suite, requestDigest: r.request_digest, responseDigest: r.response_digest, providerKeyId: r.provider_key_id,
      asOf: iso(r.as_of), answeredAt: iso(r.answered_at), latencyMs: r.latency_ms, accessLogId: r.access_log_id,
    })),
  };
}

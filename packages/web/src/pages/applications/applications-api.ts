/**
 * The applications API (issue 5) as the pages use it: 办件, 一件事, 告知承诺, 部门核验,
 * 事后核查, 信用记录, 代办授权, 消息, 统计. Shapes follow the server's TypeBox schemas
 * (packages/server/src/{applications,commitments,verifications,credit,agents,stats,notifications}/adapters/routes.ts).
 */
import { apiFetch, type QueryValue } from '../../api/http';
import type { ApplicantKind } from '../../catalog/types';

const v1 = '/api/v1';
const enc = encodeURIComponent;

export type ApplicationStatus =
  | 'draft' | 'submitted' | 'resolving' | 'awaiting' | 'under_review' | 'approved' | 'rejected' | 'returned' | 'completed' | 'withdrawn';
export type ResolutionStatus =
  | 'pending' | 'satisfied' | 'awaiting_verification' | 'awaiting_signature' | 'awaiting_grant' | 'awaiting_upload' | 'failed';
export type ResolutionMethod = 'cancelled' | 'data_sharing' | 'e_license' | 'dept_verification' | 'commitment' | 'online_issue' | 'retained' | 'upload';

export interface Attempt { method: string; outcome: string; reason: string; reasonEn: string; at: string }

export interface Resolution {
  id: string; proofItemName: string; issuingDepartmentName: string; legalBasis: string; methods: string[]; method: ResolutionMethod | null;
  status: ResolutionStatus; withoutSubmission: boolean | null; explanation: string; explanationEn: string; attempts: Attempt[];
  evidence: Record<string, unknown> | null; shared: boolean; resolvedAt: string | null;
  commitment: { id: string; status: string; signedAt: string | null } | null;
  verification: { id: string; status: string; dueAt: string; answeredAt: string | null; reason: string | null } | null;
  files: { id: string; filename: string; mediaType: string; size: number; uploadedAt: string }[];
  options: ResolutionMethod[];
}

export interface ApplicationMaterial { materialId: string; position: number; name: string; required: boolean; proofItemId: string | null; resolution: Resolution | null }

export interface Application {
  id: string; ref: string; status: ApplicationStatus; statusLabel: string;
  bundle: { id: string; ref: string; code: string; name: string } | null;
  serviceItem: { code: string; name: string }; department: { id: string; name: string }; regionCode: string; catalogVersion: number;
  applicant: { name: string; kind: string; codeMask: string; hasAccount: boolean };
  agent: { id: string; name: string } | null; walkIn: boolean;
  form: Record<string, unknown>; createdAt: string; submittedAt: string | null; reviewDueAt: string | null; decidedAt: string | null; decisionReason: string | null;
  completedAt: string | null; revocationSuggested: boolean;
  commitmentRoute: { offered: boolean; reason: string | null };
  /** filedByMe or isApplicant: separation of duties (受审分离) bars the viewer from deciding it */
  viewer: { applicantSide: boolean; isApplicant: boolean; filedByMe: boolean } | null;
  materials: ApplicationMaterial[];
  summary: { proofMaterials: number; satisfiedWithoutSubmission: number; awaiting: number; failed: number };
}

export interface BundleApplication { id: string; ref: string; code: string; name: string; applications: Application[] }

export interface PlanMaterial {
  proofItemId: string; proofItemName: string; issuingDepartmentName: string; legalBasis: string; methods: string[]; method: string; mustProvide: boolean;
  explanation: string; explanationEn: string; neededBy: { serviceItemCode: string; materialId: string }[];
}
export interface Plan {
  serviceItems: { code: string; name: string; departmentName: string }[];
  forms: { serviceItemCode: string; materialId: string; name: string }[];
  materials: PlanMaterial[];
  commitmentRoute: { offered: boolean; reason: string | null };
  summary: { proofMaterials: number; uniqueProofs: number; nothingToProvide: number };
}
export interface Bundle { code: string; name: string; description: string; serviceItemCodes: string[]; /** 服务对象 of every member */ applicantKinds: ApplicantKind[]; plan: Plan }

export interface ApplicationListItem {
  id: string; ref: string; bundleId: string | null; serviceItem: { code: string; name: string }; departmentName: string; status: ApplicationStatus; statusLabel: string;
  applicantName: string; applicantCodeMask: string; viaAgent: boolean; createdAt: string; submittedAt: string | null; reviewDueAt: string | null; decidedAt: string | null;
  overdue: boolean; proofMaterials: number; satisfiedWithoutSubmission: number; awaitingMaterials: number; revocationSuggested: boolean;
}
export interface ListPage<T> { total: number; page: number; pageSize: number; items: T[] }

export interface Commitment {
  id: string; applicationId: string; applicationRef: string; serviceItemName: string; proofItemId: string; proofItemName: string;
  applicantName: string; applicantCodeMask: string; notice: Record<string, string>; statements: string[]; text: string; textDigest: string;
  rule: { conditions: string; consequence: string; postCheck: { samplingRate: number; withinDays: number } };
  status: string; createdAt: string; signedAt: string | null; signedVia: string | null; seal: Record<string, unknown> | null; canSign: boolean;
}

export interface VerificationRequest {
  id: string; applicationId: string; applicationRef: string; proofItemId: string; proofItemName: string; requestingDepartmentName: string;
  issuingDepartmentId: string; subjectName: string; subjectCodeMask: string; question: string; status: string; requestedAt: string; dueAt: string;
  workingDays: number; overdue: boolean; escalatedAt: string | null; answeredAt: string | null; reason: string | null; onTime: boolean | null; issuingDepartmentName?: string;
}

export interface PostCheck {
  id: string; commitmentId: string; applicationId: string; applicationRef: string; proofItemName: string; subjectName: string; subjectCodeMask: string;
  reason: string; status: string; createdAt: string; dueAt: string; overdue: boolean; result: boolean | null; note: string | null; checkedAt: string | null;
}

export interface CreditRecord {
  id: string; subjectName: string; subjectCodeMask: string; subjectKind: string; type: string; typeLabel: string;
  source: { type: string; id: string; ref: string }; departmentName: string; detail: string; recordedAt: string; validUntil: string; status: string;
  repairedAt: string | null; repairReason: string | null;
}

/** A service item an authorization names; offered false: removed from the published list since, no longer covered. */
export interface AuthorizedServiceItem { code: string; name: string; applicantKinds: ApplicantKind[]; offered: boolean }

export interface AgentAuthorization {
  /** principal.kind: 服务对象 the principal applies as, so an agent is offered only what the principal may apply for */
  id: string; principal: { id: string; name: string; kind: ApplicantKind }; agent: { id: string; name: string }; serviceItemCodes: string[];
  serviceItems: AuthorizedServiceItem[];
  validFrom: string; validUntil: string; status: string; createdAt: string; revokedAt: string | null;
}

/** title / body in zh-CN; titleEn / bodyEn in English, null for a notice written before English was kept (see notificationText). */
export interface Notification { id: string; kind: string; title: string; body: string; titleEn: string | null; bodyEn: string | null; link: string | null; createdAt: string; read: boolean }

export interface RateItem { key: string; total: number; exempt: number; rate: number | null }
export interface ExemptionRate { by: string; total: number; exempt: number; rate: number | null; items: RateItem[] }
export interface CommitmentStats {
  cases: number; signed: number; byMonth: { month: string; cases: number; signed: number }[];
  postChecks: { total: number; open: number; overdue: number; truthful: number; false: number; sampled: number; creditHistory: number; falseRate: number | null };
  creditRecords: { active: number; total: number };
}
export interface VerificationStats {
  requests: number; answered: number; onTime: number; confirmed: number; escalated: number; onTimeRate: number | null;
  byMonth: { month: string; requests: number; answered: number; onTime: number; confirmed: number; escalated: number; onTimeRate: number | null }[];
}
export interface CaseStats {
  total: number;
  byMonth: { month: string; cases: number; approved: number; rejected: number; sameMonthLastYear: number | null; yoy: number | null }[];
}
export type StatsFilter = { from?: string; to?: string; region?: string };

/** A walk-in applicant's identity check (现场身份核验): valid for a limited time, only for the staff member who made it. */
export interface IdentityCheck {
  id: string; method: string; subjectName: string; subjectCodeMask: string; verified: boolean;
  checks: { name: string; passed: boolean }[]; checkedAt: string; validUntil: string;
}
export interface IdentityCheckInput { name: string; kind: 'person' | 'enterprise'; code: string; documentInspected: boolean }

export interface WalletLicenseLite { id: string; licenseType: { code: string; name: string }; status: string; expired: boolean }

/** A key for one submission attempt: retries of the same attempt replay the stored answer. */
export function newIdempotencyKey(): string {
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `web-${random}`;
}

/** A POST with an Idempotency-Key: a retry (double click, a lost answer) files once and gets the same answer. */
function postIdempotent<T>(path: string, body: unknown, key: string): Promise<T> {
  return apiFetch<T>(path, { method: 'POST', json: body, headers: { 'Idempotency-Key': key } });
}

export const appsApi = {
  // before applying
  bundles: (region: string, signal?: AbortSignal) => apiFetch<{ items: Bundle[] }>(`${v1}/bundles`, { query: { region }, signal }),
  preview: (query: { serviceItemCode?: string; bundleCode?: string; region?: string; onBehalfOf?: string; identityCheckId?: string }, signal?: AbortSignal) =>
    apiFetch<Plan>(`${v1}/applications/preview`, { query, signal }),
  /** Published service items; with `applicantKind`, only those that kind of applicant may apply for (服务对象). */
  serviceItems: (q: string | undefined, region: string | undefined, signal?: AbortSignal, applicantKind?: ApplicantKind) =>
    apiFetch<{ total: number; items: { code: string; name: string; department: { id: string; name: string }; regionName: string; regionCode: string; applicantKinds: ApplicantKind[] }[] }>(
      `${v1}/service-items`, { query: { q, region, applicantKind, pageSize: 30 }, signal }),
  serviceItem: (code: string, signal?: AbortSignal) =>
    apiFetch<{ code: string; name: string; department?: { id: string; name: string }; applicantKinds: ApplicantKind[] }>(`${v1}/service-items/${enc(code)}`, { signal }),
  regions: (signal?: AbortSignal) => apiFetch<{ items: { code: string; name: string; level: string; parentCode: string | null }[] }>(`${v1}/regions`, { signal }),

  // filing
  apply: (body: { serviceItemCode: string; form?: Record<string, string>; onBehalfOf?: string; identityCheckId?: string; submit?: boolean }, key: string) =>
    postIdempotent<Application>(`${v1}/applications`, body, key),
  applyBundle: (body: { bundleCode: string; region: string; form?: Record<string, string>; onBehalfOf?: string }, key: string) =>
    postIdempotent<BundleApplication>(`${v1}/bundle-applications`, body, key),

  // walk-in (现场帮办): a helper or clerk checks the person's identity, then files with identityCheckId
  identityCheck: (body: IdentityCheckInput) =>
    apiFetch<IdentityCheck>(`${v1}/identity-checks`, { method: 'POST', json: { method: 'document', ...body } }),
  // 实名核验 of a self-registered account, with the same check of the holder's document
  verifyAccount: (username: string, identityCheckId: string) =>
    apiFetch<{ username: string; displayName: string; status: string }>(`${v1}/accounts/identity-verification`, { method: 'POST', json: { username, identityCheckId } }),

  // the applicant's side
  mine: (query: Record<string, QueryValue>, signal?: AbortSignal) => apiFetch<ListPage<ApplicationListItem>>(`${v1}/applications`, { query, signal }),
  get: (id: string, signal?: AbortSignal) => apiFetch<Application>(`${v1}/applications/${enc(id)}`, { signal }),
  bundle: (id: string, signal?: AbortSignal) => apiFetch<BundleApplication>(`${v1}/bundle-applications/${enc(id)}`, { signal }),
  submit: (id: string) => apiFetch<Application>(`${v1}/applications/${enc(id)}/submit`, { method: 'POST' }),
  withdraw: (id: string) => apiFetch<Application>(`${v1}/applications/${enc(id)}/withdraw`, { method: 'POST' }),
  upload: (id: string, materialId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return apiFetch<Application>(`${v1}/applications/${enc(id)}/materials/${enc(materialId)}/upload`, { method: 'POST', form });
  },
  chooseMethod: (id: string, materialId: string, method: ResolutionMethod) =>
    apiFetch<Application>(`${v1}/applications/${enc(id)}/materials/${enc(materialId)}/method`, { method: 'POST', json: { method } }),
  retry: (id: string, materialId: string) => apiFetch<Application>(`${v1}/applications/${enc(id)}/materials/${enc(materialId)}/retry`, { method: 'POST' }),
  fileUrl: (id: string, fileId: string) => `${v1}/applications/${enc(id)}/files/${enc(fileId)}`,

  // e-license use grant, asked for by an awaiting_grant material
  wallet: (signal?: AbortSignal) => apiFetch<{ items: WalletLicenseLite[] }>(`${v1}/me/licenses`, { signal }),
  grant: (licenseId: string, body: { departmentId: string; applicationRef: string; validUntil: string }) =>
    apiFetch<{ id: string }>(`${v1}/me/licenses/${enc(licenseId)}/grants`, { method: 'POST', json: body }),

  // workbench
  queue: (query: Record<string, QueryValue>, signal?: AbortSignal) => apiFetch<ListPage<ApplicationListItem>>(`${v1}/workbench/applications`, { query, signal }),
  decide: (id: string, decision: 'approve' | 'reject' | 'return', reason?: string) =>
    apiFetch<Application>(`${v1}/applications/${enc(id)}/${decision}`, { method: 'POST', json: reason ? { reason } : {} }),
  complete: (id: string) => apiFetch<Application>(`${v1}/applications/${enc(id)}/complete`, { method: 'POST' }),

  // commitments
  commitment: (id: string, signal?: AbortSignal) => apiFetch<Commitment>(`${v1}/commitments/${enc(id)}`, { signal }),
  sign: (id: string) => apiFetch<{ status: string; postCheckScheduled: boolean; commitment: Commitment }>(`${v1}/commitments/${enc(id)}/sign`, { method: 'POST', json: { accept: true } }),
  /** A walk-in applicant without an account signs at the window; the helper presents a current identity check of that person. */
  signInPerson: (id: string, identityCheckId: string) =>
    apiFetch<{ status: string; postCheckScheduled: boolean; commitment: Commitment }>(`${v1}/commitments/${enc(id)}/sign`, { method: 'POST', json: { accept: true, identityCheckId } }),
  commitmentPdfUrl: (id: string) => `${v1}/commitments/${enc(id)}/pdf`,

  // issuing department
  inbox: (query: { status?: 'open' | 'answered'; page?: number; pageSize?: number }, signal?: AbortSignal) =>
    apiFetch<{ total: number; items: VerificationRequest[] }>(`${v1}/verifications/inbox`, { query, signal }),
  answer: (id: string, confirmed: boolean, reason: string) =>
    apiFetch<VerificationRequest>(`${v1}/verifications/${enc(id)}/answer`, { method: 'POST', json: { confirmed, reason } }),
  postChecks: (query: { status?: 'open' | 'done'; page?: number; pageSize?: number }, signal?: AbortSignal) =>
    apiFetch<{ total: number; items: PostCheck[] }>(`${v1}/post-checks`, { query, signal }),
  postCheckResult: (id: string, truthful: boolean, note?: string) =>
    apiFetch<{ id: string; status: string; result: boolean; creditRecordId: string | null }>(`${v1}/post-checks/${enc(id)}/result`, { method: 'POST', json: note ? { truthful, note } : { truthful } }),

  // supervision
  escalated: (query: { page?: number; pageSize?: number }, signal?: AbortSignal) =>
    apiFetch<{ total: number; items: VerificationRequest[] }>(`${v1}/verifications/escalated`, { query, signal }),
  creditRecords: (query: { status?: string; q?: string; page?: number; pageSize?: number }, signal?: AbortSignal) =>
    apiFetch<{ items: CreditRecord[]; total: number; page: number; pageSize: number }>(`${v1}/credit/records`, { query, signal }),
  creditExportUrl: (query: { status?: string; q?: string }) => {
    const params = new URLSearchParams();
    if (query.status) params.set('status', query.status);
    if (query.q) params.set('q', query.q);
    const s = params.toString();
    return `${v1}/credit/records/export.xlsx${s ? `?${s}` : ''}`;
  },
  monthlyReportUrl: (month: string, region?: string) => `${v1}/stats/monthly-report.xlsx?${new URLSearchParams({ month, ...(region ? { region } : {}) }).toString()}`,
  repairCredit: (id: string, reason: string) => apiFetch<{ ok: boolean }>(`${v1}/credit/records/${enc(id)}/repair`, { method: 'POST', json: { reason } }),
  exemptionRate: (by: 'region' | 'department' | 'service_item' | 'method' | 'month', filter: StatsFilter, signal?: AbortSignal) =>
    apiFetch<ExemptionRate>(`${v1}/stats/exemption-rate`, { query: { ...filter, by }, signal }),
  commitmentStats: (filter: StatsFilter, signal?: AbortSignal) => apiFetch<CommitmentStats>(`${v1}/stats/commitments`, { query: filter, signal }),
  verificationStats: (filter: StatsFilter, signal?: AbortSignal) => apiFetch<VerificationStats>(`${v1}/stats/verifications`, { query: filter, signal }),
  caseStats: (filter: StatsFilter, signal?: AbortSignal) => apiFetch<CaseStats>(`${v1}/stats/cases`, { query: filter, signal }),

  // agents
  authorizations: (side: 'given' | 'received', signal?: AbortSignal) => apiFetch<{ items: AgentAuthorization[] }>(`${v1}/agent-authorizations`, { query: { side }, signal }),
  authorize: (body: { agentUsername: string; serviceItemCodes: string[]; validFrom?: string; validUntil: string }) =>
    apiFetch<AgentAuthorization>(`${v1}/agent-authorizations`, { method: 'POST', json: body }),
  revokeAuthorization: (id: string) => apiFetch<AgentAuthorization>(`${v1}/agent-authorizations/${enc(id)}/revoke`, { method: 'POST' }),

  // notifications
  notifications: (query: { unread?: boolean; applicationId?: string; page?: number; limit?: number }, signal?: AbortSignal) =>
    apiFetch<{ unread: number; total: number; items: Notification[] }>(`${v1}/me/notifications`, { query, signal }),
  markRead: (id: string) => apiFetch<{ ok: boolean }>(`${v1}/me/notifications/${enc(id)}/read`, { method: 'POST' }),
};

export { asApiError } from '../../api/http';

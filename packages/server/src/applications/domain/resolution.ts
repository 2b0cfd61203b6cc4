import { METHOD_LABELS, type ExemptionMethod } from '../../catalog/domain/proof-item.ts';

/**
 * How one required proof is satisfied in an application: the catalog's methods are tried
 * in order; a method that cannot be used is recorded with its reason and the next one the
 * catalog allows is offered. When none is left the applicant is asked, explicitly and with
 * the reasons, to upload the document — the engine never falls back to paper silently.
 */
export const RESOLUTION_STATUSES = ['pending', 'satisfied', 'awaiting_verification', 'awaiting_signature', 'awaiting_grant', 'awaiting_upload', 'failed'] as const;
export type ResolutionStatus = (typeof RESOLUTION_STATUSES)[number];
export type AwaitingStatus = Extract<ResolutionStatus, `awaiting_${string}`>;

/** `upload`: the applicant submits the document (a retained proof, or the last resort they chose). */
export type ResolutionMethod = ExemptionMethod | 'upload';

export interface Attempt {
  method: ResolutionMethod;
  /** satisfied, awaiting, skipped, unavailable, not_found, denied, missing, invalid, declined, exhausted … */
  outcome: string;
  reason: string;
  reasonEn: string;
  at: string;
}

/** What the applicant's situation changes in the plan. */
export interface ApplicantContext {
  /** Set when an active credit record withdraws the commitment route. */
  commitmentExcluded: { reason: string; reasonEn: string } | null;
}

export interface ProofForPlan { name: string; methods: readonly ExemptionMethod[]; legalBasis: string; issuingDepartmentName: string }

export type MethodOutcome =
  | { kind: 'satisfied'; evidence: Record<string, unknown>; withoutSubmission: boolean; note: string; noteEn: string }
  | { kind: 'awaiting'; status: AwaitingStatus; evidence?: Record<string, unknown>; note: string; noteEn: string }
  | { kind: 'fallback'; outcome: string; reason: string; reasonEn: string };

export function isAwaiting(s: string): s is AwaitingStatus {
  return s.startsWith('awaiting_');
}

/** The issuing department denied the fact on a department verification request of this material. */
export function verificationDenied(attempts: readonly Attempt[]): boolean {
  return attempts.some((a) => a.method === 'dept_verification' && a.outcome === 'denied');
}

const DENIED_FACT = {
  reason: '证明开具部门已核实该事项不属实，不能以告知承诺代替，请提交证明材料',
  reasonEn: 'the issuing department denied the fact on verification; a commitment cannot replace it, please submit the proof',
};

/**
 * Whether a method may be attempted for this applicant and material, and if not, why: an active
 * credit record withdraws the commitment route, and so does a fact the issuing department denied
 * (committing to it would be committing to what is known to be untrue).
 */
export function methodBlocked(method: ResolutionMethod, ctx: ApplicantContext, attempts: readonly Attempt[] = []): { reason: string; reasonEn: string } | null {
  if (method === 'commitment' && ctx.commitmentExcluded) return ctx.commitmentExcluded;
  if (method === 'commitment' && verificationDenied(attempts)) return DENIED_FACT;
  return null;
}

/**
 * The next method to try after those already attempted, recording skipped ones; `upload`
 * when the catalog's methods are exhausted (with the reasons, so the applicant is told).
 */
export function nextMethod(methods: readonly ExemptionMethod[], attempts: readonly Attempt[], ctx: ApplicantContext, at: string): { method: ResolutionMethod; skipped: Attempt[] } {
  const tried = new Set(attempts.map((a) => a.method));
  const skipped: Attempt[] = [];
  for (const m of methods) {
    if (tried.has(m)) continue;
    const blocked = methodBlocked(m, ctx, attempts);
    if (blocked) {
      skipped.push({ method: m, outcome: 'skipped', reason: blocked.reason, reasonEn: blocked.reasonEn, at });
      tried.add(m);
      continue;
    }
    return { method: m, skipped };
  }
  return { method: 'upload', skipped };
}

/** The methods still open to the applicant after the attempts so far (what they may switch to). */
export function remainingMethods(methods: readonly ExemptionMethod[], attempts: readonly Attempt[], current: ResolutionMethod | null, ctx: ApplicantContext): ResolutionMethod[] {
  const tried = new Set(attempts.filter((a) => a.outcome !== 'awaiting').map((a) => a.method));
  const out: ResolutionMethod[] = methods.filter((m) => m !== current && !tried.has(m) && m !== 'cancelled' && !methodBlocked(m, ctx, attempts));
  if (current !== 'upload' && current !== 'retained') out.push('upload');
  return out;
}

export interface MaterialPlan {
  method: ResolutionMethod;
  mustProvide: boolean;
  explanation: string;
  explanationEn: string;
  skipped: Attempt[];
}

function sentence(method: ResolutionMethod, proof: ProofForPlan): { mustProvide: boolean; zh: string; en: string } {
  const dept = proof.issuingDepartmentName;
  const basis = proof.legalBasis ? `（依据：${proof.legalBasis}）` : '';
  const basisEn = proof.legalBasis ? ` (legal basis: ${proof.legalBasis})` : '';
  switch (method) {
    case 'cancelled': return { mustProvide: false, zh: `无需提交 — 该证明已直接取消${basis}。`, en: `Nothing to provide — this proof has been cancelled${basisEn}.` };
    case 'data_sharing': return { mustProvide: false, zh: `无需提交 — 我们将以本次办件为用途，通过数据共享向${dept}获取${basis}。`, en: `Nothing to provide — we will fetch it from ${dept} by data sharing, for this application only${basisEn}.` };
    case 'e_license': return { mustProvide: false, zh: `无需提交 — 经您授权后，我们将调用并核验您的电子证照${basis}。`, en: `Nothing to provide — with your consent we will use and verify your electronic license${basisEn}.` };
    case 'dept_verification': return { mustProvide: false, zh: `无需提交 — 我们将向${dept}发起部门核验，按工作日计算办理时限${basis}。`, en: `Nothing to provide — we will ask ${dept} to confirm it, within a deadline in working days${basisEn}.` };
    case 'commitment': return { mustProvide: false, zh: `无需提交 — 您本人签署告知承诺书即可，事后依规抽查核验${basis}。`, en: `Nothing to provide — you sign a commitment yourself; it may be checked later${basisEn}.` };
    case 'online_issue': return { mustProvide: false, zh: `无需提交 — ${dept}将在线开具并直接推送至您的办件${basis}。`, en: `Nothing to provide — ${dept} issues it online into your application${basisEn}.` };
    case 'retained': return { mustProvide: true, zh: `需要提交 — 该证明依法保留${basis}，请上传 PDF、JPG、PNG 或 OFD 文件。`, en: `Please upload — this proof is retained by law${basisEn}; PDF, JPEG, PNG or OFD.` };
    case 'upload': return { mustProvide: true, zh: '需要提交 — 免提交方式均无法使用（原因见下），请上传该证明。', en: 'Please upload — none of the exemption methods can be used (reasons below).' };
  }
}

/** What the applicant reads before submitting, for one proof material. */
export function planMaterial(proof: ProofForPlan, ctx: ApplicantContext, at: string): MaterialPlan {
  const { method, skipped } = nextMethod(proof.methods, [], ctx, at);
  const s = sentence(method, proof);
  const skippedZh = skipped.map((a) => `未提供“${METHOD_LABELS[a.method as ExemptionMethod]?.zh ?? a.method}”：${a.reason}`).join(';');
  const skippedEn = skipped.map((a) => `${a.method} not offered: ${a.reasonEn}`).join('; ');
  const rest = proof.methods.filter((m) => m !== method && m !== 'cancelled' && !skipped.some((a) => a.method === m));
  const idx = proof.methods.indexOf(method as ExemptionMethod);
  const after = idx >= 0 ? rest.filter((m) => proof.methods.indexOf(m) > idx) : [];
  const alt = after.length ? `如无法办理，将改用：${after.map((m) => METHOD_LABELS[m].zh).join('、')}。` : '';
  const altEn = after.length ? ` If that is not possible we will offer: ${after.join(', ')}.` : '';
  return {
    method, mustProvide: s.mustProvide, skipped,
    explanation: [s.zh + alt, skippedZh].filter(Boolean).join(' '),
    explanationEn: [s.en + altEn, skippedEn].filter(Boolean).join(' '),
  };
}

/** The applicant-facing sentence for a resolution's current state, with every fallback so far. */
export function describeResolution(proof: ProofForPlan, method: ResolutionMethod | null, status: ResolutionStatus, attempts: readonly Attempt[]): { zh: string; en: string } {
  const fallbacks = attempts.filter((a) => a.outcome !== 'satisfied' && a.outcome !== 'awaiting');
  const why = fallbacks.map((a) => `${a.method === 'upload' ? '上传' : METHOD_LABELS[a.method as ExemptionMethod]?.zh ?? a.method}未能使用：${a.reason}`).join('；');
  const whyEn = fallbacks.map((a) => `${a.method}: ${a.reasonEn}`).join('; ');
  const tail = (zh: string, en: string) => ({ zh: why ? `${zh}（${why}）` : zh, en: whyEn ? `${en} (${whyEn})` : en });
  const label = method ? (method === 'upload' ? '上传' : METHOD_LABELS[method].zh) : '';
  switch (status) {
    case 'pending': return tail(sentence(method ?? proof.methods[0] ?? 'retained', proof).zh, sentence(method ?? proof.methods[0] ?? 'retained', proof).en);
    case 'satisfied': return tail(`已通过“${label}”满足。`, `Satisfied by ${method}.`);
    case 'awaiting_verification': return tail(`已向${proof.issuingDepartmentName}发起部门核验，等待答复。`, `Waiting for ${proof.issuingDepartmentName} to confirm.`);
    case 'awaiting_signature': return tail('请您本人签署告知承诺书。', 'Please sign the commitment yourself.');
    case 'awaiting_grant': return tail('请授权本部门使用您的电子证照，或改用其他方式。', 'Please grant this department the use of your e-license, or choose another method.');
    case 'awaiting_upload': return tail(sentence(method === 'retained' ? 'retained' : 'upload', proof).zh, sentence(method === 'retained' ? 'retained' : 'upload', proof).en);
    case 'failed': return tail(`未能满足：${attempts.at(-1)?.reason ?? ''}`, `Not satisfied: ${attempts.at(-1)?.reasonEn ?? ''}`);
  }
}

/** Application state after resolution: waiting while any material awaits something. */
export function settledEvent(statuses: readonly ResolutionStatus[]): 'wait' | 'resolved' {
  return statuses.some((s) => isAwaiting(s) || s === 'pending') ? 'wait' : 'resolved';
}

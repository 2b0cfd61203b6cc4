/**
 * Credit supervision rules (信用监管), pure. Post-checks sample signed commitments at the
 * proof item's rate with seeded randomness: the draw for a commitment is a fixed function
 * of a seed and the commitment's id, so it can be re-computed and audited. Applicants with
 * a credit history are always checked ("the committer's credit weighs in").
 */
export interface SamplingInput { commitmentId: string; samplingRate: number; hasCreditHistory: boolean }

/** A uniform number in [0, 1) from a hex digest (first 13 hex digits = 52 bits). */
export function uniformFromHex(hex: string): number {
  return Number.parseInt(hex.slice(0, 13), 16) / 2 ** 52;
}

/** `digest` is SM3(seed ‖ commitmentId) in hex, computed by the caller (the domain imports no crypto). */
export function samplePostCheck(input: SamplingInput, digest: string): { sampled: boolean; reason: 'sampled' | 'credit_history' | null; draw: number } {
  const draw = uniformFromHex(digest);
  if (input.hasCreditHistory) return { sampled: true, reason: 'credit_history', draw };
  const sampled = draw < input.samplingRate;
  return { sampled, reason: sampled ? 'sampled' : null, draw };
}

/** How long a false commitment withdraws the commitment route (days). */
export const FALSE_COMMITMENT_PERIOD_DAYS = 365;

export interface CreditRecordLike { status: 'active' | 'repaired'; validUntil: Date }

export function isActiveCredit(r: CreditRecordLike, now: Date): boolean {
  return r.status === 'active' && r.validUntil.getTime() > now.getTime();
}

export function commitmentExclusion(records: readonly CreditRecordLike[], now: Date): { reason: string; reasonEn: string } | null {
  const active = records.filter((r) => isActiveCredit(r, now)).sort((a, b) => b.validUntil.getTime() - a.validUntil.getTime())[0];
  if (!active) return null;
  const until = new Date(active.validUntil.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  return {
    reason: `您有虚假承诺失信记录（有效期至 ${until}），在记录到期或信用修复前不适用告知承诺方式`,
    reasonEn: `you have a false-commitment credit record valid until ${until}; the commitment route is withdrawn until it expires or is repaired`,
  };
}

/** Request-memo key prefix of a subject's credit records (shared/request-scope.ts): read once per request, forgotten when written. */
export const CREDIT_MEMO = 'credit-records:';

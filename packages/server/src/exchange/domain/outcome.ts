/**
 * How a data-sharing query ends. Every query ends in exactly one of four outcomes, so the
 * application engine can decide what to do next (use the answer; fall back to department
 * verification or to the applicant's commitment).
 */
import type { DenialReason, UnavailableReason } from '@mianzheng/provider/protocol';

export type Outcome = 'answered' | 'not_found' | 'denied' | 'unavailable';

/** What proves an answer: the provider's signed body, kept so the answer can be re-verified later. */
export interface AnswerEvidence {
  providerKeyId: string;
  suite: 'SM2-SM3' | 'Ed25519';
  /** base64 signature of the provider over the MZX1 response canonical string, or over its batch statement */
  signature: string;
  /** the MZX1 batch proof (x-mz-batch) when the signature covers a batch of answers; null otherwise */
  batchProof: string | null;
  /** SM3 of the canonical request string (binds the answer to the request) */
  requestDigest: string;
  /** SM3 of the answer body */
  responseDigest: string;
  /** the exact signed body */
  responseBody: string;
  /** the response timestamp the signature covers */
  signedAt: string;
}

interface Common {
  /** id of the platform's exchange-log row */
  exchangeId: string;
  itemCode: string;
  itemName: string | null;
  providerId: string | null;
  providerName: string | null;
  /** the access-log entry the data subject reads (null when nothing was sent) */
  accessLogId: string | null;
  latencyMs: number;
  attempts: number;
}

export type ExchangeOutcome =
  | (Common & { outcome: 'answered'; answer: Record<string, unknown>; asOf: string; answeredAt: string; evidence: AnswerEvidence })
  | (Common & { outcome: 'not_found'; asOf: string; answeredAt: string; evidence: AnswerEvidence })
  | (Common & { outcome: 'denied'; reason: DenialReason; field?: string; message: string; messageEn: string })
  | (Common & { outcome: 'unavailable'; reason: UnavailableReason; message: string; messageEn: string });

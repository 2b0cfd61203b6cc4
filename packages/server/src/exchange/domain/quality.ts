/**
 * Data quality of a provider (数据质量), from the platform's own exchange log: how often
 * the node answered at all, how fast, how often it failed or rejected, how old its data
 * was when answered, and why requests were rejected.
 */
export interface QualityCounts {
  total: number;
  /** queries that reached (or tried to reach) the node */
  sent: number;
  answered: number;
  notFound: number;
  /**
   * sent queries that got no usable answer (timeout, connection, 5xx, bad answer) — not an
   * unavailable outcome that is the node's own signed refusal (too_many_records): the node answered
   */
  failed: number;
  /** sent queries the node rejected (signed 4xx: denials, and refusals such as too_many_records) */
  rejectedByNode: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  stalenessP50S: number | null;
  stalenessMaxS: number | null;
  lastAnswerAt: string | null;
  lastFailureAt: string | null;
}

export interface ProviderQuality extends QualityCounts {
  since: string;
  /** share of sent queries the node answered with a signed answer (any status), null without traffic */
  availability: number | null;
  /** share of sent queries that ended in a failure or a rejection */
  errorRate: number | null;
  rejectedByReason: Array<{ reason: string; count: number; sent: boolean }>;
}

export function deriveQuality(since: string, c: QualityCounts, rejectedByReason: ProviderQuality['rejectedByReason']): ProviderQuality {
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return {
    since, ...c,
    availability: c.sent > 0 ? round((c.sent - c.failed) / c.sent) : null,
    errorRate: c.sent > 0 ? round((c.failed + c.rejectedByNode) / c.sent) : null,
    rejectedByReason,
  };
}

import { sql } from 'kysely';
import { NODE_UNAVAILABLE } from '@mianzheng/provider/protocol';
import type { Deps } from '../../shared/deps.ts';
import { deriveQuality, type ProviderQuality, type QualityCounts } from '../domain/quality.ts';

/**
 * Unavailable outcomes that are the node's own signed refusal, not a failure of it: it answered
 * (availability), with a reason saying no answer can be had for this query (`too_many_records`).
 * They count with the node's rejections — in the error rate and by reason.
 */
const NODE_REFUSALS: readonly string[] = Object.values(NODE_UNAVAILABLE);

const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** Quality figures per provider over the window, for one provider or all. */
export async function getProvidersQuality(deps: Deps, options: { sinceDays: number; providerId?: string }): Promise<Map<string, ProviderQuality>> {
  const since = new Date(deps.now().getTime() - options.sinceDays * 86_400_000);
  let q = deps.db.selectFrom('exchange_log').where('at', '>=', since).where('provider_id', 'is not', null);
  if (options.providerId) q = q.where('provider_id', '=', options.providerId);
  // an unavailable outcome that is the node's signed refusal (too_many_records) is not a failure of the node
  const failure = sql`(outcome = 'unavailable' AND reason NOT IN (${sql.join(NODE_REFUSALS)}))`;
  const refusal = sql`(outcome = 'denied' OR (outcome = 'unavailable' AND reason IN (${sql.join(NODE_REFUSALS)})))`;
  const rows = await q.select((eb) => [
    'provider_id',
    eb.fn.countAll<number>().as('total'),
    sql<number>`count(*) FILTER (WHERE sent)`.as('sent'),
    sql<number>`count(*) FILTER (WHERE sent AND outcome = 'answered')`.as('answered'),
    sql<number>`count(*) FILTER (WHERE sent AND outcome = 'not_found')`.as('not_found'),
    sql<number>`count(*) FILTER (WHERE sent AND ${failure})`.as('failed'),
    sql<number>`count(*) FILTER (WHERE sent AND ${refusal})`.as('rejected_by_node'),
    sql<number | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE sent AND NOT ${failure})`.as('p50'),
    sql<number | null>`percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE sent AND NOT ${failure})`.as('p99'),
    sql<number | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM answered_at - as_of)) FILTER (WHERE as_of IS NOT NULL)`.as('stale_p50'),
    sql<number | null>`max(EXTRACT(EPOCH FROM answered_at - as_of))`.as('stale_max'),
    sql<Date | null>`max(at) FILTER (WHERE sent AND outcome IN ('answered', 'not_found'))`.as('last_answer'),
    sql<Date | null>`max(at) FILTER (WHERE ${failure})`.as('last_failure'),
  ]).groupBy('provider_id').execute();
  let r = deps.db.selectFrom('exchange_log').where('at', '>=', since).where('provider_id', 'is not', null).where('outcome', 'in', ['denied', 'unavailable']);
  if (options.providerId) r = r.where('provider_id', '=', options.providerId);
  const reasons = await r.select((eb) => ['provider_id', 'reason', 'sent', eb.fn.countAll<number>().as('n')]).groupBy(['provider_id', 'reason', 'sent']).orderBy('n', 'desc').execute();
  const out = new Map<string, ProviderQuality>();
  for (const row of rows) {
    const c: QualityCounts = {
      total: Number(row.total), sent: Number(row.sent), answered: Number(row.answered), notFound: Number(row.not_found), failed: Number(row.failed),
      rejectedByNode: Number(row.rejected_by_node), latencyP50Ms: num(row.p50), latencyP99Ms: num(row.p99), stalenessP50S: num(row.stale_p50), stalenessMaxS: num(row.stale_max),
      lastAnswerAt: iso(row.last_answer), lastFailureAt: iso(row.last_failure),
    };
    out.set(row.provider_id!, deriveQuality(since.toISOString(), c, reasons.filter((x) => x.provider_id === row.provider_id).map((x) => ({ reason: x.reason ?? 'unknown', count: Number(x.n), sent: x.sent }))));
  }
  return out;
}

export function emptyQuality(deps: Deps, sinceDays: number): ProviderQuality {
  return deriveQuality(new Date(deps.now().getTime() - sinceDays * 86_400_000).toISOString(), {
    total: 0, sent: 0, answered: 0, notFound: 0, failed: 0, rejectedByNode: 0, latencyP50Ms: null, latencyP99Ms: null, stalenessP50S: null, stalenessMaxS: null, lastAnswerAt: null, lastFailureAt: null,
  }, []);
}

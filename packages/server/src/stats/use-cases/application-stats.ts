import { sql } from 'kysely';
import type { Deps } from '../../shared/deps.ts';
import { regionPrefix, regionWithin, type Actor } from '../../identity/domain/roles.ts';
import { staffRegion } from '../../identity/use-cases/staff-region.ts';
import { AppError } from '../../shared/errors.ts';

/**
 * Statistics from the same records the applications context writes — nothing is counted
 * twice or kept aside:
 * - 免提交率 (exemption rate) = proof materials satisfied without the applicant submitting
 *   anything / all proof materials required, over submitted applications; a proof a bundle
 *   shares between items counts once (it is one resolution).
 * - commitment cases = commitments generated; signed; post-checks and their outcomes.
 * - verification requests, answered, on time (answered no later than the working-day deadline).
 * - case counts per month with year-on-year change against the same month a year earlier.
 * The region filter applies to every figure: commitments, post-checks and verification
 * requests by the region of their application; credit records by the region of the
 * department that recorded them.
 */
export interface StatsFilter { from?: string; to?: string; region?: string }
export type Dimension = 'region' | 'department' | 'service_item' | 'method' | 'month';

/** The name of a region the statistics may be filtered by; an unknown code is REGION.NOT_FOUND naming `field` (a 404, not a page of zeros). */
export async function regionNamed(code: string, field: string, deps: Deps): Promise<string> {
  const r = await deps.db.selectFrom('regions').select('name').where('code', '=', code).executeTakeFirst();
  if (!r) throw new AppError('REGION.NOT_FOUND', { field });
  return r.name;
}

/**
 * The filter as `actor` may read it. Statistics are region-bound like the records they count
 * (applications, escalations, credit records): a member of staff reads their own region
 * (staffRegion) and the regions within it. A region filter must be one the platform knows
 * (REGION.NOT_FOUND) and within the caller's (AUTH.OUT_OF_SCOPE), both naming `field`;
 * without one, the caller's region is the filter.
 */
export async function scopedFilter<T extends StatsFilter>(filter: T, field: string, actor: Actor, deps: Deps): Promise<T> {
  const scope = await staffRegion(actor, deps);
  if (!filter.region) return scope === null ? filter : { ...filter, region: scope };
  await regionNamed(filter.region, field, deps);
  if (scope !== null && !regionWithin(filter.region, scope)) throw new AppError('AUTH.OUT_OF_SCOPE', { field });
  return filter;
}

function prefixOf(region?: string): string | undefined {
  return region ? regionPrefix(region) : undefined;
}

const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10000) / 10000);

/**
 * 免提交率 by one dimension. By service item the rows are per item code (each city has its own
 * 结婚登记), keyed `结婚登记(马鞍山市)` — the item's latest name and its region's — with the
 * code added only where two items of one region share a name.
 */
export async function exemptionRate(filter: StatsFilter, by: Dimension, deps: Deps) {
  const key = {
    region: sql<string>`r.name`, department: sql<string>`a.department_name`, service_item: sql<string>`a.service_item_code`,
    method: sql<string>`coalesce(m.method, 'pending')`, month: sql<string>`a.period_month`,
  }[by];
  const label = by === 'service_item'
    ? sql<string | null>`(array_agg(a.service_item_name ORDER BY a.catalog_version DESC))[1] || '(' || min(r.name) || ')'`
    : sql<string | null>`NULL::text`;
  const prefix = prefixOf(filter.region);
  // Each proof resolution once, with the application it is counted for: the first submitted one
  // that uses it (application_materials), the one that generated it on a tie. In a bundle that is
  // the generating member — unless that member was withdrawn as a draft (never submitted) or
  // submitted later than another: the proof still counts, with the member first submitted.
  // The month is that application's, so the filter on it comes after the choice.
  const rows = await sql<{ key: string; label: string | null; total: number; exempt: number }>`
    WITH counted AS (
      SELECT DISTINCT ON (m.id) m.id AS resolution_id, a.id AS application_id
        FROM material_resolutions m
        JOIN application_materials am ON am.resolution_id = m.id
        JOIN applications a ON a.id = am.application_id
       WHERE a.period_month IS NOT NULL
         AND (${prefix ?? null}::text IS NULL OR a.region_code LIKE ${`${prefix ?? ''}%`})
       ORDER BY m.id, a.submitted_at, (a.id = m.application_id) DESC, a.service_item_code, a.id
    )
    SELECT ${key} AS key, ${label} AS label, count(*)::int AS total,
           count(*) FILTER (WHERE m.status = 'satisfied' AND m.without_submission)::int AS exempt
      FROM counted
      JOIN material_resolutions m ON m.id = counted.resolution_id
      JOIN applications a ON a.id = counted.application_id
      JOIN regions r ON r.code = a.region_code
     WHERE (${filter.from ?? null}::text IS NULL OR a.period_month >= ${filter.from ?? null})
       AND (${filter.to ?? null}::text IS NULL OR a.period_month <= ${filter.to ?? null})
     GROUP BY 1 ORDER BY 1`.execute(deps.db);
  const labels = rows.rows.map((r) => r.label ?? r.key);
  const shared = new Set(labels.filter((l, i) => labels.indexOf(l) !== i));
  const items = rows.rows.map((r, i) => ({
    key: shared.has(labels[i]!) ? `${labels[i]!.slice(0, -1)},${r.key})` : labels[i]!,
    total: Number(r.total), exempt: Number(r.exempt), rate: rate(Number(r.exempt), Number(r.total)),
  }));
  const total = items.reduce((s, i) => s + i.total, 0);
  const exempt = items.reduce((s, i) => s + i.exempt, 0);
  return { by, total, exempt, rate: rate(exempt, total), items };
}

/** `AND <column> LIKE '<prefix>%'` for the region filter (province, city or district), or nothing. */
function inRegion(column: string, region?: string) {
  const prefix = prefixOf(region);
  return prefix ? sql`AND ${sql.ref(column)} LIKE ${`${prefix}%`}` : sql``;
}

export async function commitmentStats(filter: StatsFilter, deps: Deps) {
  const f = { from: filter.from ?? null, to: filter.to ?? null };
  const months = await sql<{ month: string; cases: number; signed: number }>`
    SELECT c.period_month AS month, count(*)::int AS cases, count(*) FILTER (WHERE c.status IN ('signed', 'found_false'))::int AS signed
      FROM commitments c JOIN applications a ON a.id = c.application_id
     WHERE c.period_month IS NOT NULL
       AND (${f.from}::text IS NULL OR c.period_month >= ${f.from}) AND (${f.to}::text IS NULL OR c.period_month <= ${f.to})
       ${inRegion('a.region_code', filter.region)}
     GROUP BY 1 ORDER BY 1`.execute(deps.db);
  const pc = await sql<{ total: number; open: number; overdue: number; truthful: number; false_: number; sampled: number; history: number }>`
    SELECT count(*)::int AS total, count(*) FILTER (WHERE p.status = 'open')::int AS open,
           count(*) FILTER (WHERE p.status = 'open' AND p.due_at < ${deps.now()})::int AS overdue,
           count(*) FILTER (WHERE p.result IS TRUE)::int AS truthful, count(*) FILTER (WHERE p.result IS FALSE)::int AS false_,
           count(*) FILTER (WHERE p.reason = 'sampled')::int AS sampled, count(*) FILTER (WHERE p.reason = 'credit_history')::int AS history
      FROM post_checks p JOIN commitments c ON c.id = p.commitment_id JOIN applications a ON a.id = c.application_id
     WHERE (${f.from}::text IS NULL OR c.period_month >= ${f.from}) AND (${f.to}::text IS NULL OR c.period_month <= ${f.to})
       ${inRegion('a.region_code', filter.region)}`.execute(deps.db);
  const credit = await sql<{ active: number; total: number }>`
    SELECT count(*) FILTER (WHERE cr.status = 'active' AND cr.valid_until > ${deps.now()})::int AS active, count(*)::int AS total
      FROM credit_records cr JOIN departments d ON d.id = cr.department_id
     WHERE TRUE ${inRegion('d.region_code', filter.region)}`.execute(deps.db);
  const p = pc.rows[0]!;
  const items = months.rows.map((r) => ({ month: r.month, cases: Number(r.cases), signed: Number(r.signed) }));
  return {
    cases: items.reduce((s, i) => s + i.cases, 0), signed: items.reduce((s, i) => s + i.signed, 0), byMonth: items,
    postChecks: {
      total: Number(p.total), open: Number(p.open), overdue: Number(p.overdue), truthful: Number(p.truthful), false: Number(p.false_),
      sampled: Number(p.sampled), creditHistory: Number(p.history), falseRate: rate(Number(p.false_), Number(p.truthful) + Number(p.false_)),
    },
    creditRecords: { active: Number(credit.rows[0]!.active), total: Number(credit.rows[0]!.total) },
  };
}

export async function verificationStats(filter: StatsFilter, deps: Deps) {
  const f = { from: filter.from ?? null, to: filter.to ?? null };
  const rows = await sql<{ month: string; requests: number; answered: number; on_time: number; confirmed: number; escalated: number }>`
    SELECT v.period_month AS month, count(*)::int AS requests, count(v.answered_at)::int AS answered,
           count(*) FILTER (WHERE v.answered_at IS NOT NULL AND v.answered_at <= v.due_at)::int AS on_time,
           count(*) FILTER (WHERE v.status = 'confirmed')::int AS confirmed, count(v.escalated_at)::int AS escalated
      FROM verification_requests v JOIN applications a ON a.id = v.application_id
     WHERE (${f.from}::text IS NULL OR v.period_month >= ${f.from}) AND (${f.to}::text IS NULL OR v.period_month <= ${f.to})
       ${inRegion('a.region_code', filter.region)}
     GROUP BY 1 ORDER BY 1`.execute(deps.db);
  const items = rows.rows.map((r) => ({
    month: r.month, requests: Number(r.requests), answered: Number(r.answered), onTime: Number(r.on_time), confirmed: Number(r.confirmed), escalated: Number(r.escalated),
    onTimeRate: rate(Number(r.on_time), Number(r.answered)),
  }));
  const sum = (k: 'requests' | 'answered' | 'onTime' | 'confirmed' | 'escalated') => items.reduce((s, i) => s + i[k], 0);
  return { requests: sum('requests'), answered: sum('answered'), onTime: sum('onTime'), confirmed: sum('confirmed'), escalated: sum('escalated'), onTimeRate: rate(sum('onTime'), sum('answered')), byMonth: items };
}

function prevYear(month: string): string {
  return `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;
}

export async function caseStats(filter: StatsFilter, deps: Deps) {
  const prefix = prefixOf(filter.region);
  const rows = await sql<{ month: string; cases: number; approved: number; rejected: number }>`
    SELECT period_month AS month, count(*)::int AS cases,
           count(*) FILTER (WHERE status IN ('approved', 'completed'))::int AS approved, count(*) FILTER (WHERE status = 'rejected')::int AS rejected
      FROM applications WHERE period_month IS NOT NULL
       AND (${prefix ?? null}::text IS NULL OR region_code LIKE ${`${prefix ?? ''}%`})
     GROUP BY 1 ORDER BY 1`.execute(deps.db);
  const all = new Map(rows.rows.map((r) => [r.month, r]));
  const items = rows.rows.filter((r) => (!filter.from || r.month >= filter.from) && (!filter.to || r.month <= filter.to)).map((r) => {
    const prev = all.get(prevYear(r.month));
    const prevCases = prev ? Number(prev.cases) : null;
    return {
      month: r.month, cases: Number(r.cases), approved: Number(r.approved), rejected: Number(r.rejected), sameMonthLastYear: prevCases,
      yoy: prevCases ? Math.round(((Number(r.cases) - prevCases) / prevCases) * 10000) / 10000 : null,
    };
  });
  return { total: items.reduce((s, i) => s + i.cases, 0), byMonth: items };
}

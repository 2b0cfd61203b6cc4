import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';

export interface AccessLogEntry {
  id: string; at: string; accessorName: string; dataItem: string; dataItemLabel: string; purpose: string;
  applicationRef: string | null; legalBasis: string; outcome: string; onBehalfOf: string | null;
  /** the record read was someone else's and names the caller in this field (配偶身份证件号 on a 结婚证) */
  namedAs: { field: string; label: string } | null;
}

/** Every use of the caller's own data (matched by the keyed hash of their identity number or USCC), newest first. */
export async function listMyAccessLog(actor: Actor, query: { page: number; pageSize: number }, deps: Deps): Promise<{ total: number; items: AccessLogEntry[] }> {
  const account = await deps.db.selectFrom('accounts').select(['id_number_hash', 'uscc_hash']).where('id', '=', actor.id).executeTakeFirst();
  const hashes = [account?.id_number_hash, account?.uscc_hash].filter((h): h is string => !!h);
  if (hashes.length === 0) return { total: 0, items: [] };
  const base = deps.db.selectFrom('access_log').where('subject_hash', 'in', hashes);
  const [{ n }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base.selectAll().orderBy('at', 'desc').orderBy('id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
  ]);
  return {
    total: Number(n),
    items: rows.map((r) => ({
      id: r.id, at: new Date(r.at).toISOString(), accessorName: r.accessor_name, dataItem: r.data_item, dataItemLabel: r.data_item_label,
      purpose: r.purpose, applicationRef: r.application_ref, legalBasis: r.legal_basis, outcome: r.outcome, onBehalfOf: r.on_behalf_of,
      namedAs: namedAsOf(r.detail),
    })),
  };
}

function namedAsOf(detail: unknown): { field: string; label: string } | null {
  const d = (typeof detail === 'string' ? JSON.parse(detail) : detail) as { namedAs?: { field?: unknown; label?: unknown } } | null;
  const n = d?.namedAs;
  return n && typeof n.field === 'string' && typeof n.label === 'string' ? { field: n.field, label: n.label } : null;
}

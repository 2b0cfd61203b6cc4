import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { recordNumberOf } from '../domain/named-persons.ts';

/**
 * Where the data read names the caller: the field and its label, the path inside the data
 * (`records[2].memberIdNumber`; null for entries written before paths were kept) and the
 * record that path is in, counted from 1 (3; null when the data is not a list of records).
 */
export interface NamedAs { field: string; label: string; path: string | null; record: number | null }

export interface AccessLogEntry {
  id: string; at: string; accessorName: string; dataItem: string; dataItemLabel: string; purpose: string;
  applicationRef: string | null; legalBasis: string; outcome: string; onBehalfOf: string | null;
  /** the record read was someone else's and names the caller in this field (配偶身份证件号 on a 结婚证) */
  namedAs: NamedAs | null;
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

function namedAsOf(detail: unknown): NamedAs | null {
  const d = (typeof detail === 'string' ? JSON.parse(detail) : detail) as { namedAs?: { field?: unknown; label?: unknown; path?: unknown } } | null;
  const n = d?.namedAs;
  if (!n || typeof n.field !== 'string' || typeof n.label !== 'string') return null;
  const path = typeof n.path === 'string' ? n.path : null;
  return { field: n.field, label: n.label, path, record: path === null ? null : recordNumberOf(path) };
}

import type { Db } from '../../db/database.ts';
import { sm3Hex } from '../../shared/hash.ts';
import { checkChain, type ChainCheck, type ChainedEntry } from '../domain/audit-entry.ts';

const PAGE = 5000;

/** Recomputes the whole chain page by page and reports the first broken link. */
export async function verifyAuditChain(db: Db): Promise<ChainCheck> {
  let start: { seq: number; hash: string } | undefined;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', start?.seq ?? 0).orderBy('seq').limit(PAGE).execute();
    if (rows.length === 0) return { ok: true, checked };
    const entries: ChainedEntry[] = rows.map((r) => ({
      seq: r.seq, at: new Date(r.at).toISOString(), actorId: r.actor_id, actorRole: r.actor_role, onBehalfOf: r.on_behalf_of,
      action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, purpose: r.purpose, legalBasis: r.legal_basis,
      changeDigest: r.change_digest, prevHash: r.prev_hash, hash: r.hash,
    }));
    const result = checkChain(entries, sm3Hex, start);
    checked += result.checked;
    if (!result.ok) return { ...result, checked };
    const last = entries[entries.length - 1]!;
    start = { seq: last.seq, hash: last.hash };
  }
}

import type { Db } from '../../db/database.ts';
import { sm3Hex } from '../../shared/hash.ts';
import { checkChain, type ChainCheck, type ChainedEntry } from '../domain/audit-entry.ts';

const PAGE = 5000;

/** Recomputes every chain page by page and reports the first broken link (lowest chain first). */
export async function verifyAuditChain(db: Db): Promise<ChainCheck & { chains: number }> {
  const chains = (await db.selectFrom('audit_log').select('chain').distinct().orderBy('chain').execute()).map((r) => r.chain);
  let checked = 0;
  for (const chain of chains) {
    let start: { seq: number; hash: string } | undefined;
    for (;;) {
      const rows = await db.selectFrom('audit_log').selectAll().where('chain', '=', chain).where('seq', '>', start?.seq ?? 0).orderBy('seq').limit(PAGE).execute();
      if (rows.length === 0) break;
      const entries: ChainedEntry[] = rows.map((r) => ({
        chain: r.chain, seq: r.seq, at: new Date(r.at).toISOString(), actorId: r.actor_id, actorRole: r.actor_role, onBehalfOf: r.on_behalf_of,
        action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, purpose: r.purpose, legalBasis: r.legal_basis,
        changeDigest: r.change_digest, prevHash: r.prev_hash, hash: r.hash,
      }));
      const result = checkChain(entries, sm3Hex, start);
      checked += result.checked;
      if (!result.ok) return { ...result, checked, chains: chains.length };
      const last = entries[entries.length - 1]!;
      start = { seq: last.seq, hash: last.hash };
    }
  }
  return { ok: true, checked, chains: chains.length };
}

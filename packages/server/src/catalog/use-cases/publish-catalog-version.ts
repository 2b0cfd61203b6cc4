import { canonicalize } from '@mianzheng/crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { sm3Hex } from '../../shared/hash.ts';
import { loadDraftProofItems, loadDraftServiceItems, lockDraft } from '../adapters/draft-store.ts';
import type { CatalogVersionInfo } from '../domain/published.ts';
import { assertMayPublish, catalogAdminScope } from './catalog-admin-scope.ts';
import { chunks } from '../../shared/chunks.ts';

/**
 * Makes the draft an immutable, numbered version (动态调整), with a digest of its content. Only the
 * province's administrator publishes (CATALOG.PUBLISH_PROVINCE_ONLY otherwise).
 */
export async function publishCatalogVersion(input: { note: string }, actor: Actor, deps: Deps): Promise<CatalogVersionInfo> {
  assertMayPublish(await catalogAdminScope(actor, deps));
  return deps.db.transaction().execute(async (trx) => {
    // one publish at a time, and no draft change while the draft is read (see lockDraft)
    await lockDraft(trx);
    const [proofItems, { items: serviceItems }, latest] = await Promise.all([
      loadDraftProofItems(trx),
      loadDraftServiceItems(trx),
      trx.selectFrom('catalog_versions').select(['number', 'content_digest']).orderBy('number', 'desc').limit(1).executeTakeFirst(),
    ]);
    const contentDigest = sm3Hex(canonicalize({ proofItems, serviceItems }));
    if (latest && latest.content_digest === contentDigest) throw new AppError('CATALOG.NOTHING_TO_PUBLISH');
    const number = (latest?.number ?? 0) + 1;
    const publishedAt = deps.now();
    await trx.insertInto('catalog_versions').values({
      number, published_at: publishedAt, published_by: actor.displayName, note: input.note,
      proof_item_count: proofItems.length, service_item_count: serviceItems.length, content_digest: contentDigest,
    }).execute();
    for (const part of chunks(proofItems)) {
      await trx.insertInto('published_proof_items').values(part.map((p) => ({
        version_number: number, id: p.id, name: p.name, issuing_department_id: p.issuingDepartmentId, issuing_department_name: p.issuingDepartmentName,
        region_code: p.regionCode, region_name: p.regionName, legal_basis: p.legalBasis, methods: p.methods, risk_category: p.riskCategory,
        commitment: JSON.stringify(p.commitment), notes: p.notes, service_item_codes: p.serviceItemCodes,
      }))).execute();
    }
    for (const part of chunks(serviceItems)) {
      await trx.insertInto('published_service_items').values(part.map((s) => ({
        version_number: number, code: s.code, name: s.name, department_id: s.departmentId, department_name: s.departmentName,
        region_code: s.regionCode, region_name: s.regionName, materials: JSON.stringify(s.materials), applicant_kinds: s.applicantKinds,
      }))).execute();
    }
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'catalog_admin', action: 'catalog.version.publish', subjectType: 'catalog_version', subjectId: String(number),
      change: { number, note: input.note, contentDigest, proofItems: proofItems.length, serviceItems: serviceItems.length },
    });
    return {
      number, publishedAt: publishedAt.toISOString(), publishedBy: actor.displayName, note: input.note,
      proofItemCount: proofItems.length, serviceItemCount: serviceItems.length, contentDigest,
    };
  });
}

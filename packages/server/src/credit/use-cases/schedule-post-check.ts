import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { sm3Hex } from '../../shared/hash.ts';
import { samplePostCheck } from '../domain/credit-rules.ts';

/** Seed of the post-check draw; changing it would change which commitments are checked, so it is versioned. */
export const POST_CHECK_SEED = 'mianzheng/post-check/v1';

export function postCheckDigest(commitmentId: string): string {
  return sm3Hex(`${POST_CHECK_SEED}:${commitmentId}`);
}

/**
 * Draws whether a signed commitment is post-checked (the item's sampling rate; always
 * when the committer has any credit record) and, if so, creates the task for the issuing
 * department, due within the rule's days.
 */
export async function schedulePostCheck(trx: Transaction<DB>, c: {
  commitmentId: string; applicationId: string; applicationRef: string; proofItemId: string; proofItemName: string; issuingDepartmentId: string;
  subjectName: string; subjectCodeHash: string; subjectCodeMask: string; samplingRate: number; withinDays: number; signedAt: Date;
}): Promise<{ sampled: boolean; postCheckId: string | null; draw: number }> {
  const history = await trx.selectFrom('credit_records').select('id').where('subject_code_hash', '=', c.subjectCodeHash).limit(1).executeTakeFirst();
  const draw = samplePostCheck({ commitmentId: c.commitmentId, samplingRate: c.samplingRate, hasCreditHistory: !!history }, postCheckDigest(c.commitmentId));
  if (!draw.sampled || !draw.reason) return { sampled: false, postCheckId: null, draw: draw.draw };
  const id = randomUUID();
  await trx.insertInto('post_checks').values({
    id, commitment_id: c.commitmentId, application_id: c.applicationId, application_ref: c.applicationRef, proof_item_id: c.proofItemId, proof_item_name: c.proofItemName,
    assigned_department_id: c.issuingDepartmentId, subject_name: c.subjectName, subject_code_hash: c.subjectCodeHash, subject_code_mask: c.subjectCodeMask,
    reason: draw.reason, status: 'open', created_at: c.signedAt, due_at: new Date(c.signedAt.getTime() + c.withinDays * 86_400_000),
  }).execute();
  return { sampled: true, postCheckId: id, draw: draw.draw };
}

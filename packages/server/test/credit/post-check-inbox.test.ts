/**
 * The issuing department's post-check tasks, page by page: tasks that fall due at the same
 * instant are each listed once (the order breaks ties by id).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { setResolutionPorts } from '../../src/applications/adapters/resolution-ports.ts';
import { call, fileApplication, material, postCheckEveryCommitmentOfCitizen, ScriptedDataSharing } from '../applications/helpers.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform();
  const dataSharing = new ScriptedDataSharing();
  dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable');
  setResolutionPorts(p.app.deps, { dataSharing });
});
afterAll(async () => { await p?.close(); });

/** A signed commitment of the citizen with its post-check task (an earlier, repaired record: every commitment is checked). */
async function signedWithPostCheck(): Promise<string> {
  await postCheckEveryCommitmentOfCitizen(p);
  const app = await fileApplication(p, 'citizen', '340500-JHDJ');
  const c = material(app, 'hyzk').resolution.commitment!;
  const signed = await call(p, 'citizen', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true });
  expect(signed.json().postCheckScheduled, signed.body).toBe(true);
  return c.id as string;
}

describe('post-check tasks, page by page', () => {
  it('lists every task once when many fall due at the same instant (the default list: open and done)', async () => {
    const commitmentId = await signedWithPostCheck();
    const commitment = await p.database.db.selectFrom('commitments').selectAll().where('id', '=', commitmentId).executeTakeFirstOrThrow();
    const task = await p.database.db.selectFrom('post_checks').selectAll().where('commitment_id', '=', commitmentId).executeTakeFirstOrThrow();
    // 80 more tasks due at the very same instant (one per commitment, as the table requires)
    const commitments = Array.from({ length: 80 }, () => ({ ...commitment, id: randomUUID(), notice: JSON.stringify(commitment.notice), rule: JSON.stringify(commitment.rule), seal: JSON.stringify(commitment.seal) }));
    await p.database.db.insertInto('commitments').values(commitments).execute();
    await p.database.db.insertInto('post_checks').values(commitments.map((c) => ({ ...task, id: randomUUID(), commitment_id: c.id }))).execute();
    const all = await p.database.db.selectFrom('post_checks').select('id').where('assigned_department_id', '=', task.assigned_department_id).execute();
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(all.length / 7); page++) {
      const res = await call(p, 'issuer', 'GET', `/api/v1/post-checks?pageSize=7&page=${page}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().total).toBe(all.length);
      seen.push(...res.json().items.map((i: { id: string }) => i.id));
    }
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen).size).toBe(all.length);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { fileApplication, scriptPorts, type ScriptedDataSharing } from './helpers.ts';
import { resolveMaterials } from '../../src/applications/use-cases/resolve-materials.ts';
import { resolutionPorts } from '../../src/applications/adapters/resolution-ports.ts';
import { findActorByToken } from '../../src/identity/use-cases/authenticate-session.ts';

let p: TestPlatform;
let dataSharing: ScriptedDataSharing;
beforeAll(async () => { p = await createTestPlatform(); ({ dataSharing } = scriptPorts(p)); });
afterAll(async () => { await p?.close(); });

it('two engines resolving the same materials at once: each outcome is written once (one commitment, one resolve entry), the other is dropped', async () => {
  dataSharing.outcomes.set('ZM-MAS-HYZK', 'unavailable'); // → falls back to a commitment
  const draft = await fileApplication(p, 'citizen', '340500-JHDJ', { submit: false });
  const actor = (await findActorByToken(await p.tokenOf('citizen'), p.app.deps))!;
  const ports = resolutionPorts(p.app.deps);
  await Promise.all([resolveMaterials([draft.id], actor, p.app.deps, ports), resolveMaterials([draft.id], actor, p.app.deps, ports)]);
  const rows = await p.database.db.selectFrom('material_resolutions').selectAll().where('application_id', '=', draft.id).execute();
  expect(rows.length).toBe(3);
  for (const r of rows) {
    expect(r.status).not.toBe('pending');
    // one engine's attempts, not two engines' appended
    expect((r.attempts as Array<{ method: string }>).filter((a) => a.method === (r.attempts as Array<{ method: string }>)[0]!.method)).toHaveLength(1);
  }
  const commitments = await p.database.db.selectFrom('commitments').select('id').where('application_id', '=', draft.id).execute();
  expect(commitments).toHaveLength(1);
  const resolves = await p.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', draft.id).where('action', '=', 'application.resolve').execute();
  expect(resolves).toHaveLength(1);
});

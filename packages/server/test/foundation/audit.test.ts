import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { verifyAuditChain } from '../../src/audit/use-cases/verify-audit-chain.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

describe('audit trail', () => {
  it('spreads transactions over parallel chains, each intact', async () => {
    const chains = await p.database.db.selectFrom('audit_log').select('chain').distinct().execute();
    expect(chains.length).toBeGreaterThan(1);
    const res = await p.app.inject({ url: '/api/v1/audit/verify', headers: await p.as('supervisor') });
    expect(res.json()).toMatchObject({ ok: true, chains: chains.length });
  });

  it('records each change in the same transaction: a refused change leaves no entry', async () => {
    const count = async () => (await p.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const headers = await p.as('catalogadmin');
    const before = await count();
    const bad = await p.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-HYZK', headers, payload: { methods: ['retained'], legalBasis: '' } });
    expect(bad.statusCode).toBe(422);
    expect(await count()).toBe(before);
    const ok = await p.app.inject({ method: 'PATCH', url: '/api/v1/admin/catalog/proof-items/ZM-MAS-HYZK', headers, payload: { notes: '审计测试' } });
    expect(ok.statusCode).toBe(200);
    expect(await count()).toBe(before + 1);
    const last = await p.database.db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'catalog.proof_item.update', subject_id: 'ZM-MAS-HYZK', actor_role: 'catalog_admin' });
    const prev = await p.database.db.selectFrom('audit_log').select('hash').where('chain', '=', last.chain).where('seq', '=', last.seq - 1).executeTakeFirst();
    expect(last.prev_hash).toBe(prev?.hash ?? '0'.repeat(64));
  });

  it('is append-only in the database', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x' WHERE seq = 1`.execute(p.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(p.database.db)).rejects.toThrow(/append-only/);
  });

  it('the chain check finds the first broken link after tampering behind the trigger', async () => {
    expect(await verifyAuditChain(p.database.db)).toMatchObject({ ok: true });
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(p.database.db);
    const victim = await p.database.db.selectFrom('audit_log').select(['chain']).where('seq', '=', 3).orderBy('chain').limit(1).executeTakeFirstOrThrow();
    await sql`UPDATE audit_log SET subject_id = 'forged' WHERE chain = ${victim.chain} AND seq = 3`.execute(p.database.db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(p.database.db);
    const res = await p.app.inject({ url: '/api/v1/audit/verify', headers: await p.as('supervisor') });
    expect(res.json()).toMatchObject({ ok: false, firstBroken: { chain: victim.chain, seq: 3, reason: 'hash_mismatch' } });
  });
});

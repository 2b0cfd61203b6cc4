/**
 * Two data administrators register the same node id at the same moment (PostgreSQL: PGlite has
 * one connection, so nothing runs at once there): the second is 409 EXCHANGE.DUPLICATE_PROVIDER
 * naming `id`, as when the first had committed before it looked — never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSuite } from '@mianzheng/crypto';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { settle, untilBlockedOrSettled } from '../applications/helpers.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

describe.skipIf(process.env.MZ_TEST_DB !== 'postgres')('registering one node id twice at once (PostgreSQL)', () => {
  it('the registration that loses is 409 DUPLICATE_PROVIDER, and nothing of it is written', async () => {
    const pair = getSuite('Ed25519').generateKeyPair();
    const key = { keyId: 'node-race#ed25519-1', suite: 'Ed25519', publicKey: Buffer.from(pair.publicKey).toString('hex') };
    let inserted!: () => void;
    let release!: () => void;
    const didInsert = new Promise<void>((r) => { inserted = r; });
    const held = new Promise<void>((r) => { release = r; });
    // the other registration has written its row and not yet committed
    const other = p.database.db.transaction().execute(async (trx) => {
      await trx.insertInto('exchange_providers').values({ id: 'node-race', name: '另一次登记', department_id: 'tl-mz', endpoint: 'http://127.0.0.1:9', created_at: new Date(), updated_at: new Date() }).execute();
      inserted();
      await held;
    });
    await didInsert;
    const posting = settle(p.app.inject({
      method: 'POST', url: '/api/v1/exchange/providers', headers: await p.as('dataadmin'),
      payload: { id: 'node-race', name: '铜陵市民政局节点', departmentId: 'tl-mz', endpoint: 'http://127.0.0.1:9', requestSuite: 'Ed25519', keys: [key] },
    }));
    expect(await untilBlockedOrSettled(p, posting.done)).toBe('blocked');
    release();
    await other;
    const res = await posting.value();
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'EXCHANGE.DUPLICATE_PROVIDER', field: 'id' });
    const row = await p.database.db.selectFrom('exchange_providers').select('name').where('id', '=', 'node-race').executeTakeFirstOrThrow();
    expect(row.name).toBe('另一次登记');
    expect(await p.database.db.selectFrom('exchange_provider_keys').select('key_id').where('provider_id', '=', 'node-race').execute()).toEqual([]);
    expect(await p.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', 'node-race').execute()).toEqual([]);
  });
});

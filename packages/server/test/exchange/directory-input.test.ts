/**
 * The directory's names are checked as they are stored (trimmed): a name of spaces only is bad
 * input naming `name`, not a node listed without a name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSuite } from '@mianzheng/crypto';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

describe('provider names', () => {
  const pair = getSuite('Ed25519').generateKeyPair();
  const key = { keyId: 'node-blank#ed25519-1', suite: 'Ed25519', publicKey: Buffer.from(pair.publicKey).toString('hex') };
  const body = { id: 'node-blank', name: '铜陵市民政局节点', departmentId: 'tl-mz', endpoint: 'http://127.0.0.1:9', requestSuite: 'Ed25519', keys: [key] };

  it('refuses a blank name on registration and on change, and writes nothing', async () => {
    const h = await p.as('dataadmin');
    const blank = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/providers', headers: h, payload: { ...body, name: '   ' } });
    expect([blank.statusCode, blank.json().error?.field]).toEqual([422, 'name']);
    expect(await p.database.db.selectFrom('exchange_providers').select('id').where('id', '=', 'node-blank').execute()).toEqual([]);

    expect((await p.app.inject({ method: 'POST', url: '/api/v1/exchange/providers', headers: h, payload: body })).statusCode).toBe(201);
    const renamed = await p.app.inject({ method: 'PATCH', url: '/api/v1/exchange/providers/node-blank', headers: h, payload: { name: ' \u3000 ' } });
    expect([renamed.statusCode, renamed.json().error?.field]).toEqual([422, 'name']);
    const row = await p.database.db.selectFrom('exchange_providers').select('name').where('id', '=', 'node-blank').executeTakeFirstOrThrow();
    expect(row.name).toBe('铜陵市民政局节点');
  });
});

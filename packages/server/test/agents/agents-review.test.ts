/**
 * Review of 帮办代办 (agents), each case failing before its fix:
 * - a refused walk-in identity check names the field at fault: a blank name is `name`, face
 *   verification (not connected) is `method` — both used to be blamed on `documentInspected`,
 *   which the helper had ticked;
 * - the identity check handles a person's identity number: its audit entry names the purpose and
 *   the legal basis (the legal basis was missing);
 * - the authorizations an agent holds are listed current ones first and page by page with the total:
 *   the list used to stop at the 200 newest, so a helper with many revoked or expired mandates lost
 *   an older one still in force (the apply page offers only those the list returns), with no way further.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call } from '../applications/helpers.ts';

let p: TestPlatform;

beforeAll(async () => { p = await createTestPlatform(); });
afterAll(async () => { await p?.close(); });

describe('walk-in identity check', () => {
  it('a blank name is refused naming `name`, face verification naming `method`; a bad number naming `code`', async () => {
    const blank = await call(p, 'agent', 'POST', '/api/v1/identity-checks', { name: '   ', code: '11010519491231002X', documentInspected: true });
    expect(blank.statusCode, blank.body).toBe(422);
    expect(blank.json().error).toMatchObject({ code: 'AGENT.IDENTITY_CHECK_FAILED', field: 'name' });
    const face = await call(p, 'clerk', 'POST', '/api/v1/identity-checks', { method: 'face', name: '王五', code: '11010519491231002X', documentInspected: true });
    expect(face.statusCode, face.body).toBe(422);
    expect(face.json().error).toMatchObject({ code: 'AGENT.IDENTITY_CHECK_FAILED', field: 'method' });
    const notInspected = await call(p, 'agent', 'POST', '/api/v1/identity-checks', { name: '王五', code: '11010519491231002X', documentInspected: false });
    expect(notInspected.json().error).toMatchObject({ code: 'AGENT.IDENTITY_CHECK_FAILED', field: 'documentInspected' });
    const badCode = await call(p, 'agent', 'POST', '/api/v1/identity-checks', { name: '王五', code: '110105194912310021', documentInspected: true });
    expect(badCode.json().error).toMatchObject({ code: 'AGENT.IDENTITY_CHECK_FAILED', field: 'code' });
  });

  it('is audited with its purpose and legal basis', async () => {
    const res = await call(p, 'agent', 'POST', '/api/v1/identity-checks', { name: '王五', code: '11010519491231002X', documentInspected: true });
    expect(res.statusCode, res.body).toBe(201);
    const entry = await p.database.db.selectFrom('audit_log').select(['action', 'actor_role', 'purpose', 'legal_basis'])
      .where('subject_type', '=', 'identity_check').where('subject_id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'identity.check', actor_role: 'agent', purpose: 'walk_in_application' });
    expect(entry.legal_basis).toEqual(expect.stringMatching(/《.+》第.+条/));
  });
});

describe('authorizations an agent holds', () => {
  it('lists those in force first and pages through all of them, none lost or repeated', async () => {
    const db = p.database.db;
    const agent = await db.selectFrom('accounts').select(['id', 'display_name']).where('username', '=', 'agent').executeTakeFirstOrThrow();
    const citizen = await db.selectFrom('accounts').select(['id', 'display_name']).where('username', '=', 'citizen').executeTakeFirstOrThrow();
    const before = (await db.selectFrom('agent_authorizations').select('id').where('agent_account_id', '=', agent.id).execute()).map((r) => r.id);
    const now = Date.now();
    const row = (i: number, status: 'active' | 'revoked', validUntil: number) => ({
      id: randomUUID(), principal_account_id: citizen.id, principal_name: citizen.display_name, agent_account_id: agent.id, agent_name: agent.display_name,
      service_item_codes: ['340500-SBK'], valid_from: new Date(now - 400 * 86_400_000), valid_until: new Date(validUntil), status,
      created_at: new Date(now - 300 * 86_400_000 + i * 1000), revoked_at: status === 'revoked' ? new Date(now - 86_400_000) : null,
    });
    // the mandate in force was given first; 230 later ones were revoked (some at the same instant) or have run out
    const current = row(0, 'active', now + 30 * 86_400_000);
    const ended = Array.from({ length: 230 }, (_, i) => (i % 2 === 0 ? row(1 + Math.floor(i / 4), 'revoked', now + 30 * 86_400_000) : row(1 + Math.floor(i / 4), 'active', now - 86_400_000)));
    await db.insertInto('agent_authorizations').values([current, ...ended]).execute();

    const first = await call(p, 'agent', 'GET', '/api/v1/agent-authorizations?side=received');
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1.total).toBe(before.length + 231);
    const inForce = page1.items.filter((a: { status: string }) => a.status === 'active').map((a: { id: string }) => a.id);
    expect(inForce).toContain(current.id);
    // every authorization, page by page
    const seen: string[] = [];
    for (let page = 1; seen.length < page1.total && page < 100; page++) {
      const res = await call(p, 'agent', 'GET', `/api/v1/agent-authorizations?side=received&page=${page}&pageSize=50`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().total).toBe(page1.total);
      if (res.json().items.length === 0) break;
      seen.push(...res.json().items.map((a: { id: string }) => a.id));
    }
    expect(seen.length).toBe(page1.total);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([current.id, ...ended.map((e) => e.id), ...before]));
    expect((await call(p, 'agent', 'GET', '/api/v1/agent-authorizations?side=received&pageSize=201')).statusCode).toBe(400);
  });
});

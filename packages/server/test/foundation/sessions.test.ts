import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize, identityNumberCheckChar } from '@mianzheng/crypto';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';
import { sha256Hex, sm3Hex } from '../../src/shared/hash.ts';
import { buildApp } from '../../src/app.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { PiiProtector } from '../../src/shared/pii.ts';
import { CatalogReadModels } from '../../src/catalog/adapters/published-store.ts';
import { PgKeyStore } from '../../src/keys/adapters/pg-key-store.ts';
import type { App } from '../../src/shared/http.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { TEST_MASTER_KEY, testDbKind } from '../support/test-database.ts';

/** The injected clock: sessions idle out by it (the session cache's own 5 s lifetime runs on the real clock). */
let clock = Date.parse('2026-03-02T01:00:00Z');
const MINUTE = 60_000;
let p: TestPlatform;
beforeAll(async () => { p = await createTestPlatform({ now: () => new Date(clock) }); });
afterAll(async () => { await p?.close(); });

const signIn = async (username: string, ip = '10.5.0.1') => {
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD }, remoteAddress: ip });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().token as string;
};
const me = (token: string) => p.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
const sessionRow = (token: string) => p.database.db.selectFrom('sessions').select(['last_seen_at', 'expires_at']).where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
type SessionRow = { last_seen_at: Date | string; expires_at: Date | string };
/** The session's end is in the audit chain once, as `auth.session_expired` with the reason (entries keep a digest of their change). */
const expectEndAudited = async (token: string, before: SessionRow, reason: 'idle' | 'lifetime') => {
  const change = { sessionId: sha256Hex(token).slice(0, 16), reason, lastSeenAt: new Date(before.last_seen_at).toISOString(), expiresAt: new Date(before.expires_at).toISOString() };
  const rows = await p.database.db.selectFrom('audit_log').select('action').where('change_digest', '=', sm3Hex(canonicalize(change))).execute();
  expect(rows).toEqual([{ action: 'auth.session_expired' }]);
};
const lastSeen = async (token: string) => new Date((await sessionRow(token))!.last_seen_at).getTime();

describe('idle timeout (SESSION_IDLE_MINUTES, default 30)', () => {
  it('is read and checked at boot', () => {
    expect(loadConfig({}).sessionIdleMinutes).toBe(30);
    expect(loadConfig({ SESSION_IDLE_MINUTES: '15' }).sessionIdleMinutes).toBe(15);
    for (const bad of ['0', '4', '-1', '30.5', 'half an hour']) expect(() => loadConfig({ SESSION_IDLE_MINUTES: bad }), bad).toThrow(ConfigError);
    // an idle timeout longer than the session itself would never apply
    expect(() => loadConfig({ SESSION_TTL_HOURS: '1', SESSION_IDLE_MINUTES: '61' })).toThrow(/SESSION_IDLE_MINUTES/);
    expect(loadConfig({ SESSION_TTL_HOURS: '1', SESSION_IDLE_MINUTES: '60' }).sessionIdleMinutes).toBe(60);
  });

  it('a session unused for longer than the idle timeout is refused like an expired one, and ended', async () => {
    const token = await signIn('clerk');
    expect((await me(token)).statusCode).toBe(200);
    const before = (await sessionRow(token))!;
    // still cached on this instance (real time has hardly moved): the idle check does not rely on the database read
    clock += 30 * MINUTE + 1_000;
    const res = await me(token);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH.REQUIRED');
    expect(await sessionRow(token)).toBeUndefined();
    // and it stays refused
    clock -= 10 * MINUTE;
    expect((await me(token)).statusCode).toBe(401);
    // the end is audited once, with why
    await expectEndAudited(token, before, 'idle');
  });

  it('sessions that ran out without being presented again are deleted at the account\'s next sign-in', async () => {
    const idle = await signIn('agent', '10.5.2.1');
    const before = (await sessionRow(idle))!;
    clock += 31 * MINUTE;
    const live = await signIn('agent', '10.5.2.2');
    expect(await sessionRow(idle)).toBeUndefined();
    expect(await sessionRow(live)).toBeDefined();
    await expectEndAudited(idle, before, 'idle');
  });

  it('a session in use stays alive past the idle timeout, up to its absolute lifetime', async () => {
    const token = await signIn('issuer');
    const started = clock;
    let before: SessionRow | undefined;
    for (let i = 0; i < 24; i++) {
      if (i === 23) before = await sessionRow(token);
      clock += 20 * MINUTE;
      expect((await me(token)).statusCode, `after ${(clock - started) / MINUTE} min`).toBe(i < 23 ? 200 : 401);
    }
    // 8 hours (SESSION_TTL_HOURS) after sign-in it ended whatever its use
    expect(clock - started).toBe(8 * 60 * MINUTE);
    await expectEndAudited(token, before!, 'lifetime');
  });

  it('the last use is written at most once a minute per session, not on every request', async () => {
    const token = await signIn('supervisor');
    const signedInAt = clock;
    expect(await lastSeen(token)).toBe(signedInAt);
    for (let i = 0; i < 5; i++) {
      clock += 10_000;
      expect((await me(token)).statusCode).toBe(200);
    }
    // 50 s of requests: nothing written
    expect(await lastSeen(token)).toBe(signedInAt);
    clock += 10_000;
    expect((await me(token)).statusCode).toBe(200);
    expect(await lastSeen(token)).toBe(signedInAt + 60_000);
    clock += 30_000;
    expect((await me(token)).statusCode).toBe(200);
    expect(await lastSeen(token)).toBe(signedInAt + 60_000);
  });
});

describe('sign out everywhere (POST /api/v1/auth/logout-all)', () => {
  it('needs a session', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH.REQUIRED');
  });

  it('ends every session of the caller\'s account, and only of that account; audited', async () => {
    const tokens = [await signIn('citizen', '10.5.1.1'), await signIn('citizen', '10.5.1.2'), await signIn('citizen', '10.5.1.3')];
    const other = await signIn('enterprise');
    // all in this instance's session cache
    for (const t of [...tokens, other]) expect((await me(t)).statusCode).toBe(200);
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: { authorization: `Bearer ${tokens[1]}` } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ended: 3 });
    expect(res.cookies.find((c) => c.name === 'mz_session')).toMatchObject({ value: '', httpOnly: true, sameSite: 'Strict', path: '/' });
    for (const t of tokens) expect((await me(t)).statusCode).toBe(401);
    expect((await me(other)).statusCode).toBe(200);
    const citizen = await p.database.db.selectFrom('accounts').select('id').where('username', '=', 'citizen').executeTakeFirstOrThrow();
    expect(await p.database.db.selectFrom('sessions').select('token_hash').where('account_id', '=', citizen.id).execute()).toEqual([]);
    const audit = await p.database.db.selectFrom('audit_log').select(['action', 'actor_id', 'subject_type', 'subject_id']).where('action', '=', 'auth.logout_all').execute();
    expect(audit).toEqual([{ action: 'auth.logout_all', actor_id: citizen.id, subject_type: 'account', subject_id: citizen.id }]);
    // the ended session cannot call it again
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: { authorization: `Bearer ${tokens[0]}` } })).statusCode).toBe(401);
    const chain = await p.app.inject({ url: '/api/v1/audit/verify', headers: await p.as('supervisor') });
    expect(chain.json()).toMatchObject({ ok: true });
  });

  it('is open to an account whose identity is not verified yet (its password may be what leaked)', async () => {
    const first17 = '34050319900101003';
    const reg = await p.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { username: 'newcomer', password: 'Fresh#2026', displayName: '新用户', kind: 'person', idNumber: first17 + identityNumberCheckChar(first17) } });
    expect(reg.statusCode, reg.body).toBe(201);
    const login = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'newcomer', password: 'Fresh#2026' } });
    const token = login.json().token as string;
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', cookies: { mz_session: token } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ended: 1 });
    expect((await me(token)).statusCode).toBe(401);
  });
});

/** A second stateless instance on the same database (PGlite is one process's database, so on PostgreSQL only). */
describe.runIf(testDbKind() === 'postgres')('sessions and sign-ins across two instances', () => {
  let bDb: Database;
  let b: App;
  beforeAll(async () => {
    const url = process.env.MZ_LAST_TEST_DB_URL!;
    bDb = await openDatabase({ databaseUrl: url });
    const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATABASE_URL: url, MASTER_KEY: TEST_MASTER_KEY.toString('hex') }, { passwordCost: 1024 });
    b = await buildApp({
      config, database: bDb, logger: false,
      deps: { db: bDb.db, config, now: () => new Date(clock), catalogReadModels: new CatalogReadModels(bDb.db, 4, 0), pii: new PiiProtector(TEST_MASTER_KEY), keys: new PgKeyStore(bDb.db, TEST_MASTER_KEY) },
    });
    await b.ready();
  });
  afterAll(async () => {
    await b?.close();
    await bDb?.close();
  });

  it('simultaneous correct sign-ins of one account on both instances all succeed', async () => {
    const signInOn = (app: App, i: number) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'bank', password: DEMO_PASSWORD }, remoteAddress: `10.6.0.${i}` });
    const results = await Promise.all(Array.from({ length: 14 }, (_, i) => signInOn(i % 2 ? b : p.app, i + 1)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(14).fill(200));
  });

  it('a session used on the other instance is not idle here', async () => {
    const token = await signIn('dataadmin', '10.6.1.1');
    expect((await me(token)).statusCode).toBe(200);
    clock += 20 * MINUTE;
    expect((await b.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    clock += 20 * MINUTE;
    // this instance's cached copy says 40 minutes idle; the database says 20
    expect((await me(token)).statusCode).toBe(200);
  });
});

describe('a session lookup racing its ending', () => {
  // two connections: the lookup's read is held while the sign-out commits (PGlite has one connection)
  it.skipIf(testDbKind() !== 'postgres')('does not cache a session it read before a sign-out that finished while it was reading', async () => {
    const { findActorByToken, logout } = await import('../../src/identity/use-cases/authenticate-session.ts');
    // the lookup's read of the sessions table is held back until the sign-out has committed
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const gated = new Set<unknown>();
    let heldBack = 0;
    const plugin: KyselyPlugin = {
      transformQuery(args) {
        const node = args.node as { kind: string; from?: { froms: Array<{ kind: string; table?: { identifier?: { name?: string } } }> } };
        if (node.kind === 'SelectQueryNode' && node.from?.froms.some((f) => f.table?.identifier?.name === 'sessions')) gated.add(args.queryId);
        return args.node;
      },
      async transformResult(args) {
        if (gated.delete(args.queryId)) {
          heldBack++;
          await held;
        }
        return args.result;
      },
    };
    const db = p.database.db.withPlugin(plugin);
    const deps = { db, now: () => new Date(clock), config: p.app.deps.config };
    const token = await signIn('supervisor');
    const lookup = findActorByToken(token, deps);
    // the lookup's read goes first; the sign-out commits while its result is held back
    await new Promise((r) => setTimeout(r, 50));
    const signingOut = logout(token, { db });
    await new Promise((r) => setTimeout(r, 50));
    await signingOut; // committed while the lookup's read is held back
    expect(heldBack).toBe(1);
    release();
    expect((await lookup)?.username).toBe('supervisor'); // read before the sign-out: it answers as it read
    // … but did not keep it: the next lookup on this instance goes to the database and finds nothing
    expect(await findActorByToken(token, deps)).toBeUndefined();
  });
});

/**
 * A retired key stops being used at once on the instance that retired it, and within a
 * bounded, short time on another instance sharing the database:
 *  - keystore keys (license issuers, the platform, consumer departments signing data-sharing
 *    requests): PgKeyStore reads the key table's generation at most every KEY_STATUS_CHECK_MS
 *    and drops what it cached when a key was added or retired;
 *  - provider node keys (the data-sharing directory): DirectoryCache reloads the directory at
 *    most DIRECTORY_TTL_MS after it loaded it, and at once on the instance that changed it.
 * Instance B is a second app with its own keystore and exchange infrastructure: on PostgreSQL
 * over its own connections, on PGlite over the same (one process's) database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { getSuite } from '@mianzheng/crypto';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/app.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { PiiProtector } from '../../src/shared/pii.ts';
import { CatalogReadModels } from '../../src/catalog/adapters/published-store.ts';
import { KEY_STATUS_CHECK_MS, PgKeyStore } from '../../src/keys/adapters/pg-key-store.ts';
import { createExchangeInfra } from '../../src/exchange/adapters/exchange-infra.ts';
import type { Deps } from '../../src/shared/deps.ts';
import type { App } from '../../src/shared/http.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { TEST_MASTER_KEY, testDbKind } from '../support/test-database.ts';
import { marriageInput } from '../licenses/helpers.ts';
import { openCase, QUERY, register, startInProcess, writeMarriageNode, type RunningNode } from '../exchange/support.ts';

/** DirectoryCache's default: how old the directory an instance answers from may be */
const DIRECTORY_TTL_MS = 2000;

let p: TestPlatform;
let bDatabase: Database | undefined;
let bDeps: Deps;
let b: App;
/** instance B's keystore clock: moved by hand past KEY_STATUS_CHECK_MS */
let bClock = Date.now();
const running: RunningNode[] = [];

beforeAll(async () => {
  p = await createTestPlatform();
  // instance B: its own connections on PostgreSQL; PGlite is one process's database
  if (testDbKind() === 'postgres') bDatabase = await openDatabase({ databaseUrl: process.env.MZ_LAST_TEST_DB_URL! });
  const database = bDatabase ?? p.database;
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false' }, { masterKey: TEST_MASTER_KEY, passwordCost: 1024, embedded: database.kind === 'pglite' });
  bDeps = {
    db: database.db, config, now: () => new Date(), catalogReadModels: new CatalogReadModels(database.db, 4, 0), pii: new PiiProtector(TEST_MASTER_KEY),
    keys: new PgKeyStore(database.db, TEST_MASTER_KEY, { clock: () => bClock }),
  };
  bDeps.exchange = createExchangeInfra(database.db, bDeps.pii, bDeps.keys);
  b = await buildApp({ config, database, logger: false, deps: bDeps });
  await b.ready();
});
afterAll(async () => {
  for (const n of running) await n.stop();
  await b?.close();
  await bDeps?.exchange?.close();
  await bDatabase?.close();
  await p?.close();
});

const message = new TextEncoder().encode('签名内容');

describe('the keystore: a rotation', () => {
  it('takes effect at once on the instance that rotates, and on another within KEY_STATUS_CHECK_MS: it signs with the new key and sees the old one retired', async () => {
    let clock = Date.now();
    const a = new PgKeyStore(p.database.db, TEST_MASTER_KEY);
    const other = new PgKeyStore(bDeps.db, TEST_MASTER_KEY, { clock: () => clock });
    const owner = 'key-retirement-test';
    const k1 = await a.ensureKey(owner, 'SM2-SM3');
    // the other instance caches the active key and the key's status
    expect((await other.sign(owner, 'SM2-SM3', message)).keyId).toBe(k1.keyId);
    expect(await other.findPublicKey(k1.keyId)).toMatchObject({ status: 'active', retiredAt: null });

    const k2 = await a.rotate(owner, 'SM2-SM3');
    // here: at once
    expect(await a.findPublicKey(k1.keyId)).toMatchObject({ status: 'retired', retiredAt: expect.any(String) });
    expect((await a.sign(owner, 'SM2-SM3', message)).keyId).toBe(k2.keyId);

    // there: at the latest KEY_STATUS_CHECK_MS later
    clock += KEY_STATUS_CHECK_MS;
    const signed = await other.sign(owner, 'SM2-SM3', message);
    expect(signed.keyId).toBe(k2.keyId);
    expect(getSuite('SM2-SM3').verify(Buffer.from(k2.publicKey, 'hex'), message, signed.signature)).toBe(true);
    expect(await other.findPublicKey(k1.keyId)).toEqual(await a.findPublicKey(k1.keyId));
    expect((await other.ensureKey(owner, 'SM2-SM3')).keyId).toBe(k2.keyId);
  });

  it('costs one small read per KEY_STATUS_CHECK_MS at most, shared by concurrent callers; the caches are dropped only when a key was added or retired', async () => {
    let clock = Date.now();
    let reads = 0;
    const counting: KyselyPlugin = { transformQuery: (args) => { reads++; return args.node; }, transformResult: async (args) => args.result };
    const store = new PgKeyStore(bDeps.db.withPlugin(counting), TEST_MASTER_KEY, { clock: () => clock });
    const owner = 'key-retirement-reads';
    const k1 = await store.ensureKey(owner, 'Ed25519');
    // creating k1 changed the key table after this store last read its generation: the next check takes that in
    clock += KEY_STATUS_CHECK_MS;
    await store.ensureKey(owner, 'Ed25519');
    const concurrently = async () => new Set((await Promise.all(Array.from({ length: 20 }, () => store.ensureKey(owner, 'Ed25519')))).map((k) => k.keyId));
    // within the interval: from the cache, no read at all
    reads = 0;
    expect(await concurrently()).toEqual(new Set([k1.keyId]));
    expect(reads).toBe(0);
    // after it, nothing changed: one generation read for all twenty, the caches kept
    clock += KEY_STATUS_CHECK_MS;
    reads = 0;
    expect(await concurrently()).toEqual(new Set([k1.keyId]));
    expect(reads).toBe(1);
    // a rotation elsewhere: found by the next check, the active key read again
    const k2 = await new PgKeyStore(p.database.db, TEST_MASTER_KEY).rotate(owner, 'Ed25519');
    clock += KEY_STATUS_CHECK_MS;
    reads = 0;
    expect((await store.ensureKey(owner, 'Ed25519')).keyId).toBe(k2.keyId);
    expect(reads).toBe(2);
  });
});

describe('an issuer key rotated on one instance', () => {
  it('the other instance issues with the new key within KEY_STATUS_CHECK_MS, and what it issued verifies on both', async () => {
    const issue = async (app: App) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/licenses', headers: await p.as('issuer'), payload: marriageInput() });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; keyId: string };
    };
    const before = await issue(b); // instance B has the active key cached
    const dept = await p.database.db.selectFrom('departments').select('uscc').where('id', '=', 'mas-mz').executeTakeFirstOrThrow();
    const rotated = await p.app.inject({ method: 'POST', url: `/api/v1/issuers/${dept.uscc}/keys/rotate`, headers: await p.as('issuer'), payload: {} });
    expect(rotated.statusCode, rotated.body).toBe(201);
    const newKey = rotated.json().keyId as string;
    expect(newKey).not.toBe(before.keyId);
    expect((await issue(p.app)).keyId).toBe(newKey); // here: at once

    bClock += KEY_STATUS_CHECK_MS;
    const onB = await issue(b);
    expect(onB.keyId).toBe(newKey);
    // the holder's document, verified on each instance (a license signed with the retired key after its retirement would fail issuer_key)
    for (const app of [p.app, b]) {
      const doc = (await app.inject({ url: `/api/v1/me/licenses/${onB.id}/document`, headers: await p.as('citizen') })).json();
      const r = (await app.inject({ method: 'POST', url: '/api/v1/licenses/verify', payload: { document: doc } })).json();
      expect(r.verified, JSON.stringify(r.errors)).toBe(true);
      expect(r.checks.find((c: { name: string }) => c.name === 'issuer_key').detail).toContain(newKey);
    }
  });
});

describe('data sharing across two instances', () => {
  let node: RunningNode;
  const ask = async (app: App, ref: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: await p.as('clerk'), payload: { ...QUERY, applicationRef: ref } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { outcome: string; reason?: string };
  };
  const consumersOf = async () => (await p.app.inject({ method: 'GET', url: '/api/v1/exchange/providers/node-mas-mz/node-config', headers: await p.as('dataadmin') })).json().consumers;

  beforeAll(async () => {
    node = await startInProcess(await writeMarriageNode(p));
    running.push(node);
    await register(p, node);
    for (const ref of ['BJ-KEY-1', 'BJ-KEY-2', 'BJ-KEY-3', 'BJ-KEY-4', 'BJ-KEY-5', 'BJ-KEY-6']) await openCase(p, { ref, subjectCode: QUERY.params.idNumber });
  });

  it('a consumer key rotated on one instance: the other signs its requests with the new key within KEY_STATUS_CHECK_MS (the node, given the new consumer list, knows only that one)', async () => {
    expect(await ask(b, 'BJ-KEY-1')).toMatchObject({ outcome: 'answered' }); // B signs with mas-ga's current key, and caches it
    const ga = await p.database.db.selectFrom('departments').select('uscc').where('id', '=', 'mas-ga').executeTakeFirstOrThrow();
    const rotated = await p.app.inject({ method: 'POST', url: `/api/v1/issuers/${ga.uscc}/keys/rotate`, headers: await p.as('dataadmin'), payload: { suite: 'SM2-SM3' } });
    expect(rotated.statusCode, rotated.body).toBe(201);
    // the department deploys the new consumer list: the retired key is no longer in it
    const consumers = await consumersOf();
    const ga2 = consumers.find((c: { id: string }) => c.id === 'mas-ga');
    expect(ga2.keys.map((k: { keyId: string }) => k.keyId)).toEqual([rotated.json().keyId]);
    node.inProcess!.reloadConsumers(consumers);
    expect(await ask(p.app, 'BJ-KEY-2')).toMatchObject({ outcome: 'answered' }); // here: at once
    bClock += KEY_STATUS_CHECK_MS;
    expect(await ask(b, 'BJ-KEY-3')).toMatchObject({ outcome: 'answered' }); // not denied as unknown_key
  });

  it('a provider key retired on one instance: answers signed with it are refused there at once, and on the other within the directory\'s 2 s', async () => {
    expect(await ask(b, 'BJ-KEY-4')).toMatchObject({ outcome: 'answered' }); // B has the directory with the node's key
    // the data bureau replaces the node's key by another one: the key the node signs with is retired
    const other = getSuite('SM2-SM3').generateKeyPair();
    const put = await p.app.inject({ method: 'PUT', url: '/api/v1/exchange/providers/node-mas-mz/keys', headers: await p.as('dataadmin'), payload: { keys: [{ keyId: 'node-mas-mz#next', suite: 'SM2-SM3', publicKey: Buffer.from(other.publicKey).toString('hex') }] } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().keys).toEqual(expect.arrayContaining([expect.objectContaining({ keyId: node.keyId, status: 'retired' })]));
    expect(await ask(p.app, 'BJ-KEY-5')).toMatchObject({ outcome: 'unavailable', reason: 'bad_response' }); // here: at once
    await new Promise((resolve) => setTimeout(resolve, DIRECTORY_TTL_MS + 50));
    expect(await ask(b, 'BJ-KEY-6')).toMatchObject({ outcome: 'unavailable', reason: 'bad_response' });
  });
});

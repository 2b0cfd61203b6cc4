import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLicenseIdentifier, getSuite, usccCheckChar } from '@mianzheng/crypto';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { licenseSigningInput, type LicenseDocument } from '../../src/licenses/domain/license-document.ts';
import { encodeDisclosure, decodeDisclosure } from '../../src/licenses/domain/selective-disclosure.ts';
import { CheckList, checkLicense } from '../../src/licenses/domain/verification.ts';
import { licenseCrypto } from '../../src/licenses/adapters/license-crypto.ts';
import { verifyStatusListToken, statusAt } from '../../src/licenses/adapters/status-list-token.ts';
import { verifyOffline, type KeyCache, type StatusCache } from '../../src/licenses/use-cases/verify-license-offline.ts';
import { errorCodes, holderDocument, issueMarriage, MARRIAGE, setStatus, verifyDoc } from './helpers.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/mianzheng.mjs');

let p: TestPlatform;
let doc: LicenseDocument;
let licenseId: string;
beforeAll(async () => {
  p = await createTestPlatform();
  const issued = await issueMarriage(p);
  licenseId = issued.id;
  doc = await holderDocument(p, issued.id);
});
afterAll(async () => { await p?.close(); });

const clone = (d: LicenseDocument): LicenseDocument => JSON.parse(JSON.stringify(d)) as LicenseDocument;

/** Re-signs a (changed) document with a department's real key, as a rogue or mistaken issuer could. */
async function resign(d: LicenseDocument, ownerId: string, suite: 'SM2-SM3' | 'Ed25519' = 'SM2-SM3'): Promise<LicenseDocument> {
  const key = await p.app.deps.keys.ensureKey(ownerId, suite);
  const input = licenseSigningInput({ ...d, proof: { suite, keyId: key.keyId } });
  const { signature } = await p.app.deps.keys.sign(ownerId, suite, new TextEncoder().encode(input));
  return { ...d, proof: { suite, keyId: key.keyId, signature: Buffer.from(signature).toString('base64url') } };
}

describe('POST /licenses/verify', () => {
  it('verifies a genuine document with the five checks and shows its fields', async () => {
    const r = await verifyDoc(p, doc);
    expect(r.verified).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual(['signature', 'issuer_key', 'identifier_check_char', 'status', 'validity_period']);
    expect(r.errors).toEqual([]);
    expect(r.fields!.map((f) => f.name)).toEqual(['holderName', 'holderCode', 'registrationDate', 'spouseName', 'spouseIdNumber', 'registrationAuthority']);
  });

  it('accepts the document as JSON text too', async () => {
    expect((await verifyDoc(p, JSON.stringify(doc))).verified).toBe(true);
  });

  it('verifies by identifier and returns no personal data', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/licenses/verify', payload: { identifier: doc.identifier } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.verified).toBe(true);
    expect(body.fields).toBeNull();
    expect(res.body).not.toContain('张晓梅');
    expect(res.body).not.toContain('刘明');
  });

  it('answers 422 only for a body not shaped like a request', async () => {
    for (const payload of [{}, { document: doc, identifier: doc.identifier }, { document: 5 }, { identifier: 7 }]) {
      const res = await p.app.inject({ method: 'POST', url: '/api/v1/licenses/verify', payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(422);
      expect(res.json().error.code).toBe('LICENSE.VERIFY_INPUT_INVALID');
    }
  });

  it('reports a malformed document as a result, not an error', async () => {
    for (const bad of ['{not json', { ...doc, extra: 1 }, { ...doc, proof: { ...doc.proof, signature: 'x' } }, [], {}]) {
      const r = await verifyDoc(p, bad);
      expect(r.verified).toBe(false);
      expect(errorCodes(r)).toEqual(['LICENSE.DOCUMENT_MALFORMED']);
    }
  });

  it('rejects a forged signature', async () => {
    const forger = getSuite('SM2-SM3').generateKeyPair();
    const d = clone(doc);
    d.proof.signature = Buffer.from(getSuite('SM2-SM3').sign(forger.privateKey, new TextEncoder().encode(licenseSigningInput(d)))).toString('base64url');
    const r = await verifyDoc(p, d);
    expect(r.verified).toBe(false);
    expect(errorCodes(r)).toEqual(['LICENSE.SIGNATURE_INVALID']);
  });

  it('rejects a changed clear field, a changed disclosed field and a swapped key id', async () => {
    const a = clone(doc);
    a.claims.registrationAuthority = '马鞍山市公安局';
    expect(errorCodes(await verifyDoc(p, a))).toEqual(['LICENSE.SIGNATURE_INVALID']);
    const b = clone(doc);
    const i = b.disclosures.findIndex((x) => decodeDisclosure(x)?.name === 'spouseName');
    const d = decodeDisclosure(b.disclosures[i]!)!;
    b.disclosures[i] = encodeDisclosure({ ...d, value: '王强' });
    expect(errorCodes(await verifyDoc(p, b))).toEqual(['LICENSE.DISCLOSURE_INVALID']);
    const c = clone(doc);
    c.validUntil = '2099-12-31';
    expect(errorCodes(await verifyDoc(p, c))).toEqual(['LICENSE.SIGNATURE_INVALID']);
  });

  it('rejects an unknown issuer', async () => {
    const d = clone(doc);
    const uscc = `9134050071170099${'0'}`;
    d.issuer = { code: uscc + usccCheckChar(uscc), name: '某假冒机关' };
    const r = await verifyDoc(p, d);
    expect(r.verified).toBe(false);
    expect(errorCodes(r)).toContain('LICENSE.UNKNOWN_ISSUER');
  });

  it('rejects a document signed by another department\'s key', async () => {
    const d = await resign(clone(doc), 'mas-ga');
    const r = await verifyDoc(p, d);
    expect(r.checks.find((c) => c.name === 'signature')!.ok).toBe(true);
    expect(errorCodes(r)).toEqual(['LICENSE.ISSUER_KEY_MISMATCH']);
  });

  it('reports a wrong identifier check character, even when the issuer signed it', async () => {
    const d = clone(doc);
    const segs = d.identifier.split('.');
    segs[segs.length - 1] = segs.at(-1) === 'A' ? 'B' : 'A';
    d.identifier = segs.join('.');
    const r = await verifyDoc(p, await resign(d, 'mas-mz'));
    expect(errorCodes(r)).toContain('LICENSE.IDENTIFIER_CHECK_CHAR');
    expect(r.checks.find((c) => c.name === 'identifier_check_char')!.detail).toContain(doc.identifier.split('.').at(-1));
    const byId = (await p.app.inject({ method: 'POST', url: '/api/v1/licenses/verify', payload: { identifier: d.identifier } })).json();
    expect(errorCodes(byId)).toEqual(expect.arrayContaining(['LICENSE.IDENTIFIER_CHECK_CHAR', 'LICENSE.STATUS_UNKNOWN']));
    const mismatch = clone(doc);
    const parts = mismatch.identifier.split('.');
    mismatch.identifier = buildLicenseIdentifier({ licenseTypeCode: '11100000000013338W001', issuerCode: parts[6]!, serialNumber: parts[7]!, version: '001' });
    expect(errorCodes(await verifyDoc(p, await resign(mismatch, 'mas-mz')))).toContain('LICENSE.IDENTIFIER_MISMATCH');
  });

  it('rejects expired and not-yet-valid licenses', async () => {
    const old = await issueMarriage(p, { validFrom: '2005-01-01', validUntil: '2015-01-01' });
    expect(errorCodes(await verifyDoc(p, await holderDocument(p, old.id)))).toEqual(['LICENSE.EXPIRED']);
    const future = await issueMarriage(p, { validFrom: '2099-01-01' });
    expect(errorCodes(await verifyDoc(p, await holderDocument(p, future.id)))).toEqual(['LICENSE.NOT_YET_VALID']);
  });

  it('follows suspension, reinstatement and revocation, and refuses other transitions', async () => {
    const issued = await issueMarriage(p);
    const d = await holderDocument(p, issued.id);
    const expectStatus = async (codes: string[]) => expect(errorCodes(await verifyDoc(p, d))).toEqual(codes);
    expect((await setStatus(p, issued.id, 'reinstate')).statusCode).toBe(409);
    expect((await setStatus(p, issued.id, 'suspend')).json()).toMatchObject({ from: 'valid', status: 'suspended' });
    await expectStatus(['LICENSE.SUSPENDED']);
    expect((await setStatus(p, issued.id, 'suspend')).statusCode).toBe(409);
    expect((await setStatus(p, issued.id, 'reinstate')).json()).toMatchObject({ from: 'suspended', status: 'valid' });
    await expectStatus([]);
    expect((await setStatus(p, issued.id, 'suspend')).statusCode).toBe(200);
    expect((await setStatus(p, issued.id, 'revoke')).json()).toMatchObject({ from: 'suspended', status: 'revoked' });
    await expectStatus(['LICENSE.REVOKED']);
    for (const action of ['suspend', 'reinstate', 'revoke'] as const) {
      const res = await setStatus(p, issued.id, action);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'LICENSE.TRANSITION_NOT_ALLOWED', details: { from: 'revoked', action } });
    }
    const direct = await issueMarriage(p);
    expect((await setStatus(p, direct.id, 'revoke')).json()).toMatchObject({ from: 'valid', status: 'revoked' });
    const events = await p.database.db.selectFrom('license_status_events').select(['action', 'reason']).where('license_id', '=', issued.id).orderBy('at').execute();
    expect(events.map((e) => e.action)).toEqual(['suspend', 'reinstate', 'suspend', 'revoke']);
    const noReason = await p.app.inject({ method: 'POST', url: `/api/v1/licenses/${direct.id}/status`, headers: await p.as('issuer'), payload: { action: 'suspend', reason: ' ' } });
    expect(noReason.statusCode).toBe(400);
  });

  it('keeps licenses signed before a key rotation valid, and signs new ones with the new key', async () => {
    const before = await issueMarriage(p);
    const dept = await p.database.db.selectFrom('departments').select('uscc').where('id', '=', 'mas-mz').executeTakeFirstOrThrow();
    const rotated = await p.app.inject({ method: 'POST', url: `/api/v1/issuers/${dept.uscc}/keys/rotate`, headers: await p.as('issuer'), payload: {} });
    expect(rotated.statusCode).toBe(201);
    const after = await issueMarriage(p);
    expect(after.keyId).toBe(rotated.json().keyId);
    expect(after.keyId).not.toBe(before.keyId);
    const r = await verifyDoc(p, await holderDocument(p, before.id));
    expect(r.verified).toBe(true);
    expect(r.checks.find((c) => c.name === 'issuer_key')!.detail).toContain('已轮换');
    const keys = (await p.app.inject(`/api/v1/issuers/${dept.uscc}/keys`)).json();
    expect(keys.keys.map((k: { keyId: string; status: string }) => [k.keyId, k.status])).toEqual(expect.arrayContaining([[before.keyId, 'retired'], [after.keyId, 'active']]));
    expect(JSON.stringify(keys)).not.toMatch(/private/i);
    const other = await p.app.inject({ method: 'POST', url: '/api/v1/issuers/11340500000010012X/keys/rotate', headers: await p.as('issuer'), payload: {} });
    expect([403, 404]).toContain(other.statusCode);
  });

  it('refuses a retired key used after its retirement (domain check)', () => {
    const list = new CheckList();
    checkLicense({ ...doc, issuedAt: '2030-01-01T00:00:00.000Z' }, doc.disclosures, {
      issuer: { code: doc.issuer.code, name: doc.issuer.name, departmentId: 'mas-mz' },
      key: { keyId: doc.proof.keyId, ownerId: 'mas-mz', suite: 'SM2-SM3', publicKey: '04', status: 'retired', createdAt: '2020-01-01T00:00:00.000Z', retiredAt: '2025-01-01T00:00:00.000Z' },
      status: { source: 'registry', status: 'valid' }, now: new Date('2030-01-02T00:00:00Z'),
    }, licenseCrypto, list);
    expect(list.errors.map((e) => e.code)).toContain('LICENSE.KEY_NOT_VALID_AT_ISSUE');
  });
});

describe('status list and offline verification', () => {
  async function cache(): Promise<{ keys: KeyCache; status: StatusCache }> {
    const issuers = (await p.app.inject('/api/v1/issuers')).json().items as { code: string }[];
    const keys: KeyCache = { fetchedAt: '', source: 'test', issuers: [] };
    const status: StatusCache = { fetchedAt: '', source: 'test', lists: {} };
    for (const code of [...issuers.map((i) => i.code).filter((c) => c === doc.issuer.code), 'platform']) {
      const set = (await p.app.inject(`/api/v1/issuers/${code}/keys`)).json();
      keys.issuers.push({ ...set.issuer, keys: set.keys });
      if (code !== 'platform') status.lists[code] = (await p.app.inject(`/api/v1/issuers/${code}/status-list`)).body;
    }
    return { keys, status };
  }

  it('publishes a signed IETF token status list that reflects revocation', async () => {
    const issued = await issueMarriage(p);
    await setStatus(p, issued.id, 'suspend');
    const res = await p.app.inject(`/api/v1/issuers/${doc.issuer.code}/status-list`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/statuslist+jwt');
    const keys = (await p.app.inject(`/api/v1/issuers/${doc.issuer.code}/keys`)).json().keys;
    const checked = verifyStatusListToken(res.body, { code: doc.issuer.code, departmentId: 'mas-mz' }, keys, new Date(), licenseCrypto);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const d = await holderDocument(p, issued.id);
    expect(statusAt(checked.bytes, d.status.status_list.idx)).toBe(2);
    expect(statusAt(checked.bytes, doc.status.status_list.idx)).toBe(0);
    const tampered = `${res.body.slice(0, -4)}AAAA`;
    expect(verifyStatusListToken(tampered, { code: doc.issuer.code, departmentId: 'mas-mz' }, keys, new Date(), licenseCrypto).ok).toBe(false);
    expect((await p.app.inject('/api/v1/issuers/91340500711700001X/status-list')).statusCode).toBe(404);
  });

  it('verifies offline against the cached keys and status list', async () => {
    const issued = await issueMarriage(p);
    const d = await holderDocument(p, issued.id);
    let c = await cache();
    expect(verifyOffline(JSON.stringify(d), c, new Date()).verified).toBe(true);
    await setStatus(p, issued.id, 'revoke');
    expect(verifyOffline(JSON.stringify(d), c, new Date()).verified).toBe(true); // the old cache does not know yet
    c = await cache();
    expect(errorCodes(verifyOffline(JSON.stringify(d), c, new Date()))).toEqual(['LICENSE.REVOKED']);
    expect(errorCodes(verifyOffline(JSON.stringify(d), c, new Date(Date.now() + 8 * 86_400_000)))).toContain('LICENSE.STATUS_LIST_INVALID');
    expect(errorCodes(verifyOffline(JSON.stringify(d), { status: c.status }, new Date()))).toEqual(expect.arrayContaining(['LICENSE.SIGNATURE_UNVERIFIED', 'LICENSE.UNKNOWN_ISSUER']));
    expect(errorCodes(verifyOffline(JSON.stringify(d), { keys: c.keys }, new Date()))).toEqual(['LICENSE.STATUS_LIST_INVALID']);
    const changed = clone(d);
    changed.claims.registrationAuthority = 'x';
    expect(errorCodes(verifyOffline(changed, c, new Date()))).toContain('LICENSE.SIGNATURE_INVALID');
  });

  it('CLI: fetch-cache from a running platform, then verify with no network', async () => {
    const address = await p.app.listen({ port: 0, host: '127.0.0.1' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mz-cli-'));
    try {
      const fetched = await run(process.execPath, [BIN, 'license', 'fetch-cache', '--url', address, '--out', dir]);
      expect(fetched.stdout).toMatch(/cached \d+ issuers/);
      const file = path.join(dir, 'license.json');
      fs.writeFileSync(file, JSON.stringify(doc));
      // No network from here: the verify command never fetches (it has no URL option at all).
      const ok = await run(process.execPath, [BIN, 'license', 'verify', file, '--keys', path.join(dir, 'keys.json'), '--status', path.join(dir, 'status.json'), '--json']);
      expect(JSON.parse(ok.stdout)).toMatchObject({ verified: true, kind: 'license' });
      const bad = clone(doc);
      bad.claims.registrationAuthority = '伪造';
      fs.writeFileSync(file, JSON.stringify(bad));
      const failed = await run(process.execPath, [BIN, 'license', 'verify', file, '--cache', dir]).catch((e: { code: number; stdout: string }) => e);
      expect((failed as { code: number }).code).toBe(1);
      expect((failed as { stdout: string }).stdout).toContain('LICENSE.SIGNATURE_INVALID');
      const usage = await run(process.execPath, [BIN, 'license', 'verify']).catch((e: { code: number }) => e);
      expect((usage as { code: number }).code).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the license in the test stays verifiable by id as well', async () => {
    expect(licenseId).toBeTruthy();
    const r = (await p.app.inject({ method: 'POST', url: '/api/v1/licenses/verify', payload: { identifier: doc.identifier } })).json();
    expect(r.license.licenseType.code).toBe(MARRIAGE);
  });
});

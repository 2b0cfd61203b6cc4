import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { decodePresentation, encodePresentation } from '../../src/licenses/adapters/presentation-codec.ts';
import type { Presentation } from '../../src/licenses/domain/presentation.ts';
import { startPlatform } from '../../src/platform.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { TEST_MASTER_KEY, testDbKind } from '../support/test-database.ts';
import { accountId, errorCodes, holderDocument, issueMarriage, present, setStatus, verifyPresentationAs } from './helpers.ts';

let clock = Date.now();
let p: TestPlatform;
let licenseId: string;
let bankId: string;
beforeAll(async () => {
  p = await createTestPlatform({ now: () => new Date(clock) });
  licenseId = (await issueMarriage(p)).id;
  bankId = await accountId(p, 'bank');
});
afterAll(async () => { await p?.close(); });

const decode = (text: string) => {
  const d = decodePresentation(text);
  if (!d.ok) throw new Error('not decodable');
  return d.value as Presentation;
};

describe('亮证 presentations', () => {
  it('shows the bank only the chosen fields (plus the always-shown ones) and fits a QR code', async () => {
    const pres = await present(p, licenseId, { fields: ['holderName', 'registrationDate'], audience: { kind: 'account', id: bankId }, expiresInSeconds: 120 });
    expect(pres.disclosed).toEqual(['holderName', 'registrationDate']);
    expect(new Date(pres.expiresAt).getTime() - clock).toBe(120_000);
    expect(await QRCode.toDataURL(pres.text, { errorCorrectionLevel: 'M' })).toMatch(/^data:image\/png/);
    const r = await verifyPresentationAs(p, 'bank', pres.text);
    expect(r.verified).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual(['presentation_format', 'holder_binding', 'expiry', 'audience', 'signature', 'issuer_key', 'identifier_check_char', 'status', 'validity_period', 'single_use']);
    expect(r.fields!.map((f) => f.name).sort()).toEqual(['holderName', 'registrationAuthority', 'registrationDate']);
    const all = JSON.stringify(r);
    for (const secret of ['刘明', '340504', (await holderDocument(p, licenseId)).disclosures.join('')]) expect(all).not.toContain(secret);
    // the presentation itself carries no undisclosed value either
    expect(JSON.stringify(decode(pres.text))).not.toContain('刘明');
  });

  it('rejects a replay, with the reason', async () => {
    const pres = await present(p, licenseId, { fields: ['holderName'] });
    expect((await verifyPresentationAs(p, 'bank', pres.text)).verified).toBe(true);
    const again = await verifyPresentationAs(p, 'clerk', pres.text);
    expect(again.verified).toBe(false);
    expect(errorCodes(again)).toEqual(['LICENSE.PRESENTATION_REPLAYED']);
  });

  it('is single-use under concurrent scans', async () => {
    const pres = await present(p, licenseId, { fields: ['holderName'] });
    const results = await Promise.all(Array.from({ length: 6 }, () => verifyPresentationAs(p, 'bank', pres.text)));
    expect(results.filter((r) => r.verified)).toHaveLength(1);
    expect(results.filter((r) => errorCodes(r).includes('LICENSE.PRESENTATION_REPLAYED'))).toHaveLength(5);
  });

  it('is single-use across two platform instances sharing the database', async () => {
    const database = testDbKind() === 'postgres'
      ? await openDatabase({ databaseUrl: await currentUrl(), poolSize: 3 })
      : p.database;
    const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false' }, { masterKey: TEST_MASTER_KEY, passwordCost: 1024, embedded: database.kind === 'pglite' });
    const second = await startPlatform(config, { database, logger: false, now: () => new Date(clock) });
    try {
      const pres = await present(p, licenseId, { fields: ['holderName'] });
      const token = await p.tokenOf('bank');
      const [a, b] = await Promise.all([
        p.app.inject({ method: 'POST', url: '/api/v1/presentations/verify', headers: { authorization: `Bearer ${token}` }, payload: { presentation: pres.text } }),
        second.app.inject({ method: 'POST', url: '/api/v1/presentations/verify', headers: { authorization: `Bearer ${token}` }, payload: { presentation: pres.text } }),
      ]);
      expect([a.json().verified, b.json().verified].filter(Boolean)).toHaveLength(1);
    } finally {
      await second.app.close();
      if (database !== p.database) await database.close();
    }
  });

  it('rejects an expired presentation, and refuses lifetimes over 5 minutes', async () => {
    const pres = await present(p, licenseId, { fields: ['holderName'], expiresInSeconds: 60 });
    clock += 61_000;
    try {
      const r = await verifyPresentationAs(p, 'bank', pres.text);
      expect(errorCodes(r)).toEqual(['LICENSE.PRESENTATION_EXPIRED']);
      expect(r.fields).toBeNull();
    } finally {
      clock -= 61_000;
    }
    const long = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${licenseId}/presentations`, headers: await p.as('citizen'), payload: { fields: [], expiresInSeconds: 301 } });
    expect(long.statusCode).toBe(400);
  });

  it('rejects the wrong audience without consuming the presentation', async () => {
    const pres = await present(p, licenseId, { fields: ['holderName'], audience: { kind: 'account', id: bankId } });
    const wrong = await verifyPresentationAs(p, 'clerk', pres.text);
    expect(errorCodes(wrong)).toEqual(['LICENSE.PRESENTATION_WRONG_AUDIENCE']);
    expect(wrong.fields).toBeNull();
    expect((await verifyPresentationAs(p, 'bank', pres.text)).verified).toBe(true);
    const dept = await present(p, licenseId, { fields: ['holderName'], audience: { kind: 'department', id: 'mas-ga' } });
    expect(errorCodes(await verifyPresentationAs(p, 'bank', dept.text))).toEqual(['LICENSE.PRESENTATION_WRONG_AUDIENCE']);
    expect((await verifyPresentationAs(p, 'clerk', dept.text)).verified).toBe(true);
  });

  it('rejects tampering: an added disclosure, a changed audience or expiry, a changed value, flipped bytes', async () => {
    const doc = await holderDocument(p, licenseId);
    const pres = await present(p, licenseId, { fields: ['holderName'], audience: { kind: 'account', id: bankId } });
    const base = decode(pres.text);
    const variants: Presentation[] = [
      { ...base, disclosures: [...base.disclosures, doc.disclosures.find((d) => !base.disclosures.includes(d))!] },
      { ...base, audience: null },
      { ...base, expiresAt: new Date(clock + 240_000).toISOString() },
      { ...base, license: { ...base.license, claims: { ...base.license.claims, registrationAuthority: '伪造' } } },
    ];
    for (const v of variants) {
      const r = await verifyPresentationAs(p, 'bank', encodePresentation(v));
      expect(r.verified).toBe(false);
      expect(errorCodes(r)).toContain('LICENSE.PRESENTATION_SIGNATURE_INVALID');
    }
    const flipped = `${pres.text.slice(0, 40)}${pres.text[40] === 'A' ? 'B' : 'A'}${pres.text.slice(41)}`;
    expect((await verifyPresentationAs(p, 'bank', flipped)).verified).toBe(false);
    expect(errorCodes(await verifyPresentationAs(p, 'bank', 'hello'))).toEqual(['LICENSE.PRESENTATION_MALFORMED']);
    // the genuine one was never consumed by the failures
    expect((await verifyPresentationAs(p, 'bank', pres.text)).verified).toBe(true);
  });

  it('rejects a presentation of a license revoked after it was made; a revoked license cannot be presented', async () => {
    const issued = await issueMarriage(p);
    const pres = await present(p, issued.id, { fields: ['holderName'] });
    await setStatus(p, issued.id, 'revoke', '登记错误,依法撤销');
    const r = await verifyPresentationAs(p, 'bank', pres.text);
    expect(errorCodes(r)).toEqual(['LICENSE.REVOKED']);
    const again = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${issued.id}/presentations`, headers: await p.as('citizen'), payload: { fields: ['holderName'] } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('LICENSE.REVOKED');
  });

  it('refuses fields that are not selectively disclosable, and presentations by someone who is not the holder', async () => {
    const notSd = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${licenseId}/presentations`, headers: await p.as('citizen'), payload: { fields: ['registrationAuthority'] } });
    expect(notSd.statusCode).toBe(422);
    expect(notSd.json().error).toMatchObject({ code: 'LICENSE.PRESENTATION_INVALID', field: 'fields' });
    const other = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${licenseId}/presentations`, headers: await p.as('enterprise'), payload: { fields: [] } });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('LICENSE.NOT_HOLDER');
    const badAudience = await p.app.inject({ method: 'POST', url: `/api/v1/me/licenses/${licenseId}/presentations`, headers: await p.as('citizen'), payload: { fields: [], audience: { kind: 'account', id: await accountId(p, 'citizen') } } });
    expect(badAudience.statusCode).toBe(422);
  });

  it('every verification the holder can attribute appears in their access log', async () => {
    const pres = await present(p, licenseId, { fields: ['holderName'] });
    await verifyPresentationAs(p, 'bank', pres.text);
    await verifyPresentationAs(p, 'bank', pres.text);
    const wallet = (await p.app.inject({ url: '/api/v1/me/licenses', headers: await p.as('citizen') })).json();
    const uses = wallet.items.find((l: { id: string }) => l.id === licenseId).uses as { accessorName: string; outcome: string; purpose: string }[];
    expect(uses.filter((u) => u.accessorName === '工商银行马鞍山分行' && u.outcome === 'verified').length).toBeGreaterThan(0);
    expect(uses.some((u) => u.outcome === 'rejected')).toBe(true);
    const nonces = await p.database.db.selectFrom('license_presentations').select(['consumed_at']).where('nonce', '=', pres.nonce).executeTakeFirstOrThrow();
    expect(nonces.consumed_at).not.toBeNull();
  });
});

async function currentUrl(): Promise<string> {
  const { sql } = await import('kysely');
  const { urlFor } = await import('../support/test-database.ts');
  const r = await sql<{ name: string }>`SELECT current_database() AS name`.execute(p.database.db);
  return urlFor(r.rows[0]!.name);
}

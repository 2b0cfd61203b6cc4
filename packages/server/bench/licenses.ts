/**
 * E-license benchmark (a script that prints numbers; it asserts nothing about speed):
 *  1. SM2 sign/verify per second — ours (native OpenSSL addon and pure TS) next to sm-crypto,
 *     sm-crypto-v2 and node:crypto Ed25519 (the crypto package's bench, run here);
 *  2. full license verification per second: parse, JCS-canonicalise, signature, disclosure
 *     digests, status (bit from a verified status list), validity — offline (in memory) and online
 *     (the verify use case against the registry on embedded PGlite);
 *  3. presentation create + verify per second through the use cases (platform signature,
 *     single-use nonce in the database, access log), on embedded PGlite.
 *
 *   npm run bench:licenses [-- --duration=1000]
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { nativeSm2Status } from '@mianzheng/crypto';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { startPlatform } from '../src/platform.ts';
import type { Actor } from '../src/identity/domain/roles.ts';
import { findActorByToken } from '../src/identity/use-cases/authenticate-session.ts';
import { DEMO_PASSWORD } from '../src/seed/demo-accounts.ts';
import { licenseTypeCode } from '../src/seed/demo-licenses.ts';
import { parseSignedLicense, type LicenseDocument } from '../src/licenses/domain/license-document.ts';
import { CheckList, checkLicense, type VerificationFacts } from '../src/licenses/domain/verification.ts';
import { licenseCrypto } from '../src/licenses/adapters/license-crypto.ts';
import { statusAt, verifyStatusListToken } from '../src/licenses/adapters/status-list-token.ts';
import { issueLicense } from '../src/licenses/use-cases/issue-license.ts';
import { verifyDocument } from '../src/licenses/use-cases/verify-license.ts';
import { createPresentation } from '../src/licenses/use-cases/create-presentation.ts';
import { verifyPresentation } from '../src/licenses/use-cases/verify-presentation.ts';
import { publishStatusList } from '../src/licenses/use-cases/publish-status-list.ts';
import { idNumber } from '../test/licenses/helpers.ts';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const DURATION = arg('duration', 1000);

interface Sm2Row { name: string; keys: number; signPerSec: number; verifyPerSec: number; verifyVsSmCryptoV2: number; verifyVsEd25519: number }
interface Sm2Bench { runSm2Bench(o: { durationMs?: number; rounds?: number }): Promise<Sm2Row[]>; formatSm2Bench(rows: Sm2Row[]): string }

async function rate(label: string, fn: (i: number) => unknown | Promise<unknown>, ms = DURATION): Promise<number> {
  for (let i = 0; i < 20; i++) await fn(i);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) await fn(n++);
  const perSec = n / ((performance.now() - start) / 1000);
  console.log(`  ${label.padEnd(58)} ${Math.round(perSec).toLocaleString('en-US').padStart(9)} /s`);
  return perSec;
}

const fmt = (x: number) => `${x.toFixed(2)}×`;

console.log(`Node ${process.version}, OpenSSL ${process.versions.openssl}; ${DURATION} ms per measurement, single thread`);
const native = nativeSm2Status();
console.log(native.available ? `native SM2 addon: ${native.path}` : `native SM2 addon unavailable (${native.reason}): the pure-TS SM2 is used`);

// 1. SM2 against the reference libraries
console.log('\n1. SM2 sign/verify (512-byte message)');
const sm2: Sm2Bench = await import(pathToFileURL(path.resolve(import.meta.dirname, '../../crypto/bench/sm2.ts')).href) as Sm2Bench;
const rows = await sm2.runSm2Bench({ durationMs: Math.max(300, DURATION / 2), rounds: 2 });
console.log(sm2.formatSm2Bench(rows));
const oursVerify = rows[0]!.verifyPerSec;

// 2 and 3 need a platform with issued licenses
const database = await openDatabase({});
const config = loadConfig({ SEED_DEMO: 'true', LOG_LEVEL: 'silent' }, { masterKey: Buffer.alloc(32, 9), passwordCost: 1024 });
const { app } = await startPlatform(config, { database, logger: false });
const deps = app.deps;
const actorOf = async (username: string): Promise<Actor> => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
  return (await findActorByToken(res.json().token as string, deps))!;
};
const issuer = await actorOf('issuer');
const citizen = await actorOf('citizen');
const bank = await actorOf('bank');
const citizenId = idNumber('34050319900307002');
const issue = (suite: 'SM2-SM3' | 'Ed25519') => issueLicense({
  typeCode: licenseTypeCode('jhz'), holder: { code: citizenId, name: '张晓梅' }, suite,
  fields: { registrationDate: '2026-02-14', spouseName: '刘明', spouseIdNumber: idNumber('34050419880506001'), registrationAuthority: '马鞍山市民政局' },
}, issuer, deps);
const sm2License = await issue('SM2-SM3');
const edLicense = await issue('Ed25519');
const docOf = async (id: string) => (await app.inject({ url: `/api/v1/me/licenses/${id}/document`, headers: { authorization: `Bearer ${(await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'citizen', password: DEMO_PASSWORD } })).json().token}` } })).json() as LicenseDocument;
const sm2Doc = await docOf(sm2License.id);
const edDoc = await docOf(edLicense.id);

// offline facts: the issuer's keys and its verified status list, resolved once (as a cached verifier would)
const keys = await deps.keys.publicKeys('mas-mz');
const { token } = await publishStatusList(sm2Doc.issuer.code, deps);
const list = verifyStatusListToken(token, { code: sm2Doc.issuer.code, departmentId: 'mas-mz' }, keys, new Date(), licenseCrypto);
if (!list.ok) throw new Error('status list does not verify');
const offline = (text: string) => {
  const parsed = parseSignedLicense(JSON.parse(text), true);
  if (!parsed.ok) throw new Error('bench document malformed');
  const d = parsed.value;
  const facts: VerificationFacts = {
    issuer: { code: d.issuer.code, name: d.issuer.name, departmentId: 'mas-mz' }, key: keys.find((k) => k.keyId === d.proof.keyId),
    status: { source: 'status_list', value: statusAt(list.bytes, d.status.status_list.idx), listIssuedAt: '' }, now: new Date(),
  };
  const checks = new CheckList();
  checkLicense(d, d.disclosures, facts, licenseCrypto, checks);
  if (!checks.result().verified) throw new Error('bench document did not verify');
};

console.log('\n2. Full license verification (parse + JCS + signature + 6 disclosure digests + status + validity)');
const sm2Text = JSON.stringify(sm2Doc);
const edText = JSON.stringify(edDoc);
console.log(`  document: ${sm2Text.length} bytes JSON`);
const offSm2 = await rate('offline, SM2-SM3 license (cached keys + status list)', () => offline(sm2Text));
const offEd = await rate('offline, Ed25519 license', () => offline(edText));
const onSm2 = await rate('online use case, SM2-SM3 (registry lookups on PGlite)', async () => {
  if (!(await verifyDocument(sm2Doc, deps)).verified) throw new Error('not verified');
});

console.log('\n3. Presentation (亮证) create + verify, single-use nonce consumed in the database (PGlite)');
let presentations = 0;
const presRate = await rate('create + verify (2 fields disclosed)', async () => {
  const pres = await createPresentation(sm2License.id, { fields: ['holderName', 'registrationDate'], expiresInSeconds: 60 }, citizen, deps);
  const r = await verifyPresentation(pres.text, bank, deps);
  if (!r.verified) throw new Error(`presentation not verified: ${r.errors.map((e) => e.code).join(',')}`);
  presentations++;
});

console.log('\nRatios');
const v2 = rows.find((r) => r.name.startsWith('sm-crypto-v2'))!.verifyPerSec;
console.log(`  SM2 verify, ours (${rows[0]!.name}) ÷ sm-crypto-v2: ${fmt(oursVerify / v2)}   (target ≥ 2,000/s: ${oursVerify >= 2000 ? 'met' : 'NOT met'})`);
console.log(`  offline SM2 license verification ÷ raw SM2 verify: ${(offSm2 / oursVerify * 100).toFixed(0)}% (the rest is parse, JCS and SM3 digests)`);
console.log(`  offline Ed25519 license ÷ offline SM2 license: ${fmt(offEd / offSm2)}`);
console.log(`  online ÷ offline (SM2): ${(onSm2 / offSm2 * 100).toFixed(0)}% (database lookups)`);
console.log(`  presentation create+verify: ${presRate.toFixed(0)}/s (${presentations} presentations made and consumed)`);
await app.close();
await database.close();

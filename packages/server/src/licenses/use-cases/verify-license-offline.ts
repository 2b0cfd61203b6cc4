/**
 * Offline verification (no database, no network): a license document — or a 亮证 presentation —
 * checked against a cached issuer key set and cached status lists, as the CLI does. The same
 * domain checks as the online endpoint; only where the facts come from differs.
 */
import type { PublicKeyInfo } from '../../keys/domain/key-store.ts';
import { parseSignedLicense, type SignedLicense } from '../domain/license-document.ts';
import { checkPresentationTime, parsePresentation, presentationSigningInput } from '../domain/presentation.ts';
import { fromBase64Url } from '../domain/crypto-port.ts';
import type { FieldValue } from '../domain/license-type.ts';
import { CheckList, checkLicense, malformedLicense, type StatusFact, type Verification, type VerificationFacts } from '../domain/verification.ts';
import { licenseCrypto } from '../adapters/license-crypto.ts';
import { decodePresentation, PRESENTATION_PREFIX } from '../adapters/presentation-codec.ts';
import { statusAt, verifyStatusListToken } from '../adapters/status-list-token.ts';

/** keys.json written by `mianzheng license fetch-cache`. */
export interface KeyCache {
  fetchedAt: string;
  source: string;
  issuers: { code: string; name: string; departmentId: string; keys: PublicKeyInfo[] }[];
}

/** status.json written by `mianzheng license fetch-cache`: one signed status list token per issuer code. */
export interface StatusCache { fetchedAt: string; source: string; lists: Record<string, string> }

export interface OfflineResult extends Verification {
  kind: 'license' | 'presentation';
  license: Pick<SignedLicense, 'identifier' | 'licenseNumber' | 'licenseType' | 'issuer' | 'validFrom' | 'validUntil'> | null;
  claims: Record<string, FieldValue> | null;
}

function isKeyCache(v: unknown): v is KeyCache {
  return typeof v === 'object' && v !== null && Array.isArray((v as KeyCache).issuers);
}

export function parseKeyCache(v: unknown): KeyCache {
  if (!isKeyCache(v)) throw new Error('keys file: expected { issuers: [...] } as written by `mianzheng license fetch-cache`');
  return v;
}

export function parseStatusCache(v: unknown): StatusCache {
  if (typeof v !== 'object' || v === null || typeof (v as StatusCache).lists !== 'object') throw new Error('status file: expected { lists: { <issuer code>: <token> } } as written by `mianzheng license fetch-cache`');
  return v as StatusCache;
}

function offlineFacts(doc: SignedLicense, keys: KeyCache | undefined, status: StatusCache | undefined, now: Date): VerificationFacts {
  const issuer = keys?.issuers.find((i) => i.code === doc.issuer.code && i.code !== 'platform');
  const key = keys?.issuers.flatMap((i) => i.keys).find((k) => k.keyId === doc.proof.keyId);
  let st: StatusFact;
  const token = status?.lists[doc.issuer.code];
  if (!status) st = { source: 'unavailable', detail: '未提供状态列表（--status），无法确认是否已吊销', detailEn: 'No status list given (--status); revocation cannot be checked' };
  else if (!token || !issuer) st = { source: 'unavailable', detail: '缓存中没有该颁发机构的状态列表', detailEn: 'The cache has no status list of this issuer' };
  else {
    const list = verifyStatusListToken(token, issuer, issuer.keys, now, licenseCrypto);
    st = list.ok ? { source: 'status_list', value: statusAt(list.bytes, doc.status.status_list.idx), listIssuedAt: new Date(list.payload.iat * 1000).toISOString() } : { source: 'unavailable', detail: list.detail, detailEn: list.detailEn };
  }
  return { issuer: issuer ? { code: issuer.code, name: issuer.name, departmentId: issuer.departmentId } : undefined, key, status: st, now };
}

const summary = (d: SignedLicense) => ({ identifier: d.identifier, licenseNumber: d.licenseNumber, licenseType: d.licenseType, issuer: d.issuer, validFrom: d.validFrom, validUntil: d.validUntil });

/** Verifies a document (JSON text or value) or a presentation text (MZVP1.…) offline. Never throws. */
export function verifyOffline(input: string | unknown, cache: { keys?: KeyCache; status?: StatusCache }, now: Date): OfflineResult {
  const list = new CheckList();
  if (typeof input === 'string' && input.trim().startsWith(PRESENTATION_PREFIX)) return verifyPresentationOffline(input, cache, now);
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      malformedLicense(list, '不是合法的 JSON', 'not valid JSON');
      return { ...list.result(), kind: 'license', license: null, claims: null };
    }
  }
  const parsed = parseSignedLicense(value, true);
  if (!parsed.ok) {
    malformedLicense(list, parsed.detail, parsed.detailEn);
    return { ...list.result(), kind: 'license', license: null, claims: null };
  }
  const out = checkLicense(parsed.value, parsed.value.disclosures, offlineFacts(parsed.value, cache.keys, cache.status, now), licenseCrypto, list);
  return { ...list.result(), kind: 'license', license: summary(parsed.value), claims: out?.claims ?? null };
}

function verifyPresentationOffline(text: string, cache: { keys?: KeyCache; status?: StatusCache }, now: Date): OfflineResult {
  const list = new CheckList();
  const decoded = decodePresentation(text);
  const parsed = decoded.ok ? parsePresentation(decoded.value) : decoded;
  if (!parsed.ok) {
    list.fail('presentation_format', 'LICENSE.PRESENTATION_MALFORMED', parsed.detail, parsed.detailEn);
    return { ...list.result(), kind: 'presentation', license: null, claims: null };
  }
  const p = parsed.value;
  list.pass('presentation_format', '亮证码格式正确', 'Well-formed presentation');
  const platformKey = cache.keys?.issuers.find((i) => i.code === 'platform')?.keys.find((k) => k.keyId === p.binding.keyId);
  const sig = fromBase64Url(p.binding.signature);
  let bound = false;
  try {
    bound = !!platformKey && !!sig && platformKey.suite === p.binding.suite && licenseCrypto.verify(p.binding.suite, platformKey.publicKey, new TextEncoder().encode(presentationSigningInput(p)), sig);
  } catch {
    bound = false;
  }
  if (bound) list.pass('holder_binding', '平台签名有效', 'Platform signature valid');
  else list.fail('holder_binding', 'LICENSE.PRESENTATION_SIGNATURE_INVALID', '平台签名无效或缓存中没有平台公钥', 'Platform signature invalid, or no platform key in the cache');
  const t = checkPresentationTime(p, now);
  if (t.ok) list.pass('expiry', `有效至 ${p.expiresAt}`, `Valid until ${p.expiresAt}`);
  else list.fail('expiry', t.code, t.detail, t.detailEn);
  const out = checkLicense(p.license, p.disclosures, offlineFacts(p.license, cache.keys, cache.status, now), licenseCrypto, list);
  // Audience and single use need the platform: offline they cannot be established, so the result cannot be "verified".
  list.fail('single_use', 'LICENSE.PRESENTATION_UNKNOWN', '离线无法核销一次性亮证码，请联网核验', 'Single use cannot be enforced offline; verify online');
  return { ...list.result(), kind: 'presentation', license: summary(p.license), claims: out?.claims ?? null };
}

/**
 * 亮证 presentations: one license, the disclosures the holder chose, an optional audience, a
 * short life (≤ 5 minutes) and a nonce that the platform consumes once.
 *
 * Holder binding: the platform signs the presentation on behalf of the holder it has
 * authenticated (session + the holder's identity-number hash equals the license's holder
 * hash). The holder has no key of their own: a browser-held key would be weak and easily lost,
 * and the platform already vouches for the session. The signature covers the signed license,
 * the chosen disclosures, audience, nonce and times, so none of them can be altered or swapped.
 */
import { canonicalize, type SuiteId } from '@mianzheng/crypto';
import { parseSignedLicense, type ParseResult, type SignedLicense } from './license-document.ts';

export const PRESENTATION_FORMAT = 'mianzheng-presentation/1';
export const MAX_PRESENTATION_SECONDS = 300;
export const DEFAULT_PRESENTATION_SECONDS = 180;
const SKEW_MS = 30_000;

export interface PresentationAudience { kind: 'account' | 'department'; id: string; name: string }

export interface Presentation {
  format: typeof PRESENTATION_FORMAT;
  license: SignedLicense;
  disclosures: string[];
  audience: PresentationAudience | null;
  nonce: string;
  createdAt: string;
  expiresAt: string;
  binding: { method: 'platform'; suite: SuiteId; keyId: string; signature: string };
}

export type UnsignedPresentation = Omit<Presentation, 'binding'>;

export function presentationSigningInput(p: UnsignedPresentation & { binding: { suite: SuiteId; keyId: string } }): string {
  const { binding, ...rest } = p;
  return canonicalize({ ...rest, binding: { method: 'platform', suite: binding.suite, keyId: binding.keyId } });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Never throws. */
export function parsePresentation(input: unknown): ParseResult<Presentation> {
  const bad = (detail: string, detailEn: string) => ({ ok: false as const, detail, detailEn });
  if (!isObject(input)) return bad('亮证码内容应为 JSON 对象', 'The presentation must be a JSON object');
  const keys = ['format', 'license', 'disclosures', 'audience', 'nonce', 'createdAt', 'expiresAt', 'binding'];
  if (Object.keys(input).length !== keys.length || !keys.every((k) => Object.prototype.hasOwnProperty.call(input, k))) return bad('亮证码字段不完整或含有未知字段', 'Missing or unknown members');
  if (input.format !== PRESENTATION_FORMAT) return bad('不支持的亮证码格式', 'Unsupported presentation format');
  const license = parseSignedLicense(input.license, false);
  if (!license.ok) return bad(`所含证照格式不正确:${license.detail}`, `Embedded license malformed: ${license.detailEn}`);
  if (!Array.isArray(input.disclosures) || input.disclosures.length > 64 || !input.disclosures.every((d) => typeof d === 'string' && d.length <= 4096)) return bad('披露项列表不正确', 'Bad disclosures');
  const a = input.audience;
  if (!(a === null || (isObject(a) && Object.keys(a).length === 3 && (a.kind === 'account' || a.kind === 'department') && typeof a.id === 'string' && a.id.length > 0 && a.id.length <= 64 && typeof a.name === 'string' && a.name.length <= 100))) {
    return bad('出示对象不正确', 'Bad audience');
  }
  if (typeof input.nonce !== 'string' || !/^[A-Za-z0-9_-]{22,64}$/.test(input.nonce)) return bad('随机数不正确', 'Bad nonce');
  if (typeof input.createdAt !== 'string' || !ISO.test(input.createdAt) || typeof input.expiresAt !== 'string' || !ISO.test(input.expiresAt)) return bad('时间不正确', 'Bad times');
  const b = input.binding;
  if (!isObject(b) || Object.keys(b).length !== 4 || b.method !== 'platform' || (b.suite !== 'SM2-SM3' && b.suite !== 'Ed25519') || typeof b.keyId !== 'string' || b.keyId.length > 120
    || typeof b.signature !== 'string' || !/^[A-Za-z0-9_-]{86}$/.test(b.signature)) {
    return bad('平台签名不正确', 'Bad binding');
  }
  return { ok: true, value: input as unknown as Presentation };
}

/** Not expired, not issued in the future, and never living longer than 5 minutes. */
export function checkPresentationTime(p: Presentation, now: Date): { ok: true } | { ok: false; code: 'LICENSE.PRESENTATION_EXPIRED'; detail: string; detailEn: string } {
  const created = Date.parse(p.createdAt);
  const expires = Date.parse(p.expiresAt);
  const t = now.getTime();
  if (!(expires > created) || expires - created > MAX_PRESENTATION_SECONDS * 1000) {
    return { ok: false, code: 'LICENSE.PRESENTATION_EXPIRED', detail: '有效时长超过 5 分钟上限', detailEn: 'Lifetime exceeds the 5-minute maximum' };
  }
  if (created > t + SKEW_MS) return { ok: false, code: 'LICENSE.PRESENTATION_EXPIRED', detail: '生成时间晚于当前时间', detailEn: 'Created in the future' };
  if (t > expires) return { ok: false, code: 'LICENSE.PRESENTATION_EXPIRED', detail: `已于 ${p.expiresAt} 过期`, detailEn: `Expired at ${p.expiresAt}` };
  return { ok: true };
}

export interface VerifierIdentity { accountId: string; departmentId: string | null; name: string }

export function audienceMatches(audience: PresentationAudience | null, verifier: VerifierIdentity): boolean {
  if (audience === null) return true;
  if (audience.kind === 'account') return audience.id === verifier.accountId;
  return verifier.departmentId !== null && audience.id === verifier.departmentId;
}

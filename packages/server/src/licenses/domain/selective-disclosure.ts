/**
 * Selective disclosure in the manner of SD-JWT (RFC 9901 / SD-JWT VC): every disclosable claim
 * becomes a disclosure `base64url(UTF-8 JSON [salt, name, value])`; the signed document holds
 * only the digests `base64url(SM3(disclosure))`, sorted. Showing a claim means handing over its
 * disclosure; the verifier recomputes the digest and finds it among the signed ones. The 128-bit
 * random salt keeps an undisclosed value from being guessed from its digest.
 */
import type { FieldValue } from './license-type.ts';
import { fromBase64Url } from './crypto-port.ts';

export interface Disclosure { salt: string; name: string; value: FieldValue }

const NAME = /^[a-z][A-Za-z0-9]{0,39}$/;

export function encodeDisclosure(d: Disclosure): string {
  return Buffer.from(JSON.stringify([d.salt, d.name, d.value]), 'utf8').toString('base64url');
}

/** The disclosure behind an encoded string, or undefined when it is not one. Never throws. */
export function decodeDisclosure(text: string): Disclosure | undefined {
  if (typeof text !== 'string' || text.length > 4096) return undefined;
  const bytes = fromBase64Url(text);
  if (!bytes) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [salt, name, value] = parsed as unknown[];
  if (typeof salt !== 'string' || !/^[A-Za-z0-9_-]{22,64}$/.test(salt)) return undefined;
  if (typeof name !== 'string' || !NAME.test(name)) return undefined;
  if (!(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) return undefined;
  return { salt, name, value };
}

export type DisclosureCheck =
  | { ok: true; claims: Record<string, FieldValue> }
  | { ok: false; detail: string; detailEn: string };

/**
 * Each disclosure must decode, have its digest among the signed ones, appear once, and not
 * name a claim that is also in clear.
 */
export function checkDisclosures(signedDigests: readonly string[], disclosures: readonly string[], clearClaims: Record<string, unknown>, digest: (text: string) => string): DisclosureCheck {
  const digests = new Set(signedDigests);
  const seenDigests = new Set<string>();
  const claims: Record<string, FieldValue> = {};
  for (const [i, text] of disclosures.entries()) {
    const d = decodeDisclosure(text);
    if (!d) return { ok: false, detail: `第 ${i + 1} 个披露项格式不正确`, detailEn: `Disclosure ${i + 1} is malformed` };
    const h = digest(text);
    if (!digests.has(h)) return { ok: false, detail: `披露字段"${d.name}"与签名内容不符`, detailEn: `Disclosed field "${d.name}" does not match any signed digest` };
    if (seenDigests.has(h) || Object.prototype.hasOwnProperty.call(claims, d.name)) return { ok: false, detail: `披露字段"${d.name}"重复`, detailEn: `Field "${d.name}" is disclosed twice` };
    if (Object.prototype.hasOwnProperty.call(clearClaims, d.name)) return { ok: false, detail: `披露字段"${d.name}"与明文字段重名`, detailEn: `Disclosed field "${d.name}" collides with a clear claim` };
    seenDigests.add(h);
    claims[d.name] = d.value;
  }
  return { ok: true, claims };
}

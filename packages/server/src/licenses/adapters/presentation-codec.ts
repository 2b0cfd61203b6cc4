import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Presentation } from '../domain/presentation.ts';

/**
 * The text a QR code carries: `MZVP1.` + base64url(DEFLATE(JSON)). Compression keeps a
 * presentation with a signed license and a few disclosures near 1 KB, a QR code that a phone
 * camera reads from a screen.
 */
export const PRESENTATION_PREFIX = 'MZVP1.';
const MAX_TEXT = 8192;
const MAX_JSON = 32768;

export function encodePresentation(p: Presentation): string {
  return PRESENTATION_PREFIX + deflateRawSync(Buffer.from(JSON.stringify(p), 'utf8'), { level: 9 }).toString('base64url');
}

/** The JSON value inside a presentation text, or a reason. Never throws. */
export function decodePresentation(text: string): { ok: true; value: unknown } | { ok: false; detail: string; detailEn: string } {
  const t = typeof text === 'string' ? text.trim() : '';
  if (!t.startsWith(PRESENTATION_PREFIX)) return { ok: false, detail: '不是免证平台的亮证码', detailEn: 'Not a Mianzheng presentation' };
  if (t.length > MAX_TEXT) return { ok: false, detail: '亮证码过长', detailEn: 'Presentation too long' };
  const body = t.slice(PRESENTATION_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return { ok: false, detail: '亮证码含有非法字符', detailEn: 'Illegal characters' };
  try {
    const json = inflateRawSync(Buffer.from(body, 'base64url'), { maxOutputLength: MAX_JSON });
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json)) as unknown };
  } catch {
    return { ok: false, detail: '亮证码无法解码', detailEn: 'The presentation cannot be decoded' };
  }
}

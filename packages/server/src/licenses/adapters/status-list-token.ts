/**
 * IETF Token Status List (draft-ietf-oauth-status-list) as a JWT-shaped token, signed by the
 * issuing department's key:
 *   header  { alg: "SM2" | "EdDSA", typ: "statuslist+jwt", kid }
 *   payload { iss, sub, iat, exp, ttl, status_list: { bits: 2, lst } }
 * `lst` is base64url of the ZLIB (RFC 1950) DEFLATE-compressed byte array; entry i is in bits
 * [2i, 2i+2) from the least significant bit of byte 0: 0 valid, 1 invalid (revoked), 2 suspended.
 * "SM2" is not an IANA-registered JOSE alg: SM2 with SM3 and the default distinguishing ID, raw r‖s.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type { SuiteId } from '@mianzheng/crypto';
import type { LicenseCrypto } from '../domain/crypto-port.ts';
import { fromBase64Url } from '../domain/crypto-port.ts';
import { readStatusValue } from '../domain/license-status.ts';
import type { KeyFact } from '../domain/verification.ts';

export const STATUS_LIST_TTL_SECONDS = 300;
/** How long an offline verifier may rely on a fetched list. */
export const STATUS_LIST_VALIDITY_SECONDS = 7 * 24 * 3600;
const MAX_LIST_BYTES = 16 * 1024 * 1024;

export const ALG_OF_SUITE: Record<SuiteId, string> = { 'SM2-SM3': 'SM2', Ed25519: 'EdDSA' };
const SUITE_OF_ALG: Record<string, SuiteId> = { SM2: 'SM2-SM3', EdDSA: 'Ed25519' };

export interface StatusListPayload { iss: string; sub: string; iat: number; exp: number; ttl: number; status_list: { bits: 2; lst: string } }

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');

export function statusListSigningInput(header: { alg: string; typ: string; kid: string }, payload: StatusListPayload): string {
  return `${b64(header)}.${b64(payload)}`;
}

export function compressStatusBytes(bytes: Uint8Array): string {
  return deflateSync(bytes, { level: 9 }).toString('base64url');
}

export async function buildStatusListToken(
  input: { issuerCode: string; uri: string; bytes: Uint8Array; now: Date; suite: SuiteId },
  sign: (message: Uint8Array) => Promise<{ keyId: string; signature: Uint8Array }>,
  keyIdHint: string,
): Promise<string> {
  const iat = Math.floor(input.now.getTime() / 1000);
  const payload: StatusListPayload = {
    iss: input.issuerCode, sub: input.uri, iat, exp: iat + STATUS_LIST_VALIDITY_SECONDS, ttl: STATUS_LIST_TTL_SECONDS,
    status_list: { bits: 2, lst: compressStatusBytes(input.bytes) },
  };
  const header = { alg: ALG_OF_SUITE[input.suite], typ: 'statuslist+jwt', kid: keyIdHint };
  const signingInput = statusListSigningInput(header, payload);
  const { keyId, signature } = await sign(new TextEncoder().encode(signingInput));
  if (keyId !== keyIdHint) throw new Error('status list signed with an unexpected key');
  return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
}

export type StatusListCheck =
  | { ok: true; payload: StatusListPayload; bytes: Uint8Array; keyId: string }
  | { ok: false; detail: string; detailEn: string };

/**
 * Verifies a status list token against the issuer's keys (offline): signature by a key of the
 * issuer, `iss` equal to the issuer code, not expired at `now`. Never throws.
 */
export function verifyStatusListToken(token: string, issuer: { code: string; departmentId: string }, keys: readonly KeyFact[], now: Date, crypto: LicenseCrypto): StatusListCheck {
  const bad = (detail: string, detailEn: string) => ({ ok: false as const, detail, detailEn });
  try {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3) return bad('状态列表格式不正确', 'Malformed status list token');
    const [h, p, s] = parts as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: unknown; typ?: unknown; kid?: unknown };
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as StatusListPayload;
    if (header.typ !== 'statuslist+jwt' || typeof header.kid !== 'string' || typeof header.alg !== 'string') return bad('状态列表头部不正确', 'Bad status list header');
    const suite = SUITE_OF_ALG[header.alg];
    const key = keys.find((k) => k.keyId === header.kid);
    if (!suite || !key || key.ownerId !== issuer.departmentId || key.suite !== suite) return bad('状态列表签名密钥不属于颁发机构', 'The status list key is not the issuer\'s');
    const sig = fromBase64Url(s);
    if (!sig || !crypto.verify(suite, key.publicKey, new TextEncoder().encode(`${h}.${p}`), sig)) return bad('状态列表签名验证失败', 'The status list signature does not verify');
    if (payload.iss !== issuer.code) return bad('状态列表不是该颁发机构的', 'The status list belongs to another issuer');
    if (typeof payload.exp !== 'number' || payload.exp * 1000 < now.getTime()) return bad('状态列表已过期,请重新获取', 'The status list has expired; fetch it again');
    if (payload.status_list?.bits !== 2 || typeof payload.status_list.lst !== 'string') return bad('状态列表内容不正确', 'Bad status list content');
    const bytes = new Uint8Array(inflateSync(Buffer.from(payload.status_list.lst, 'base64url'), { maxOutputLength: MAX_LIST_BYTES }));
    return { ok: true, payload, bytes, keyId: key.keyId };
  } catch {
    return bad('状态列表无法解析', 'The status list cannot be parsed');
  }
}

export function statusAt(bytes: Uint8Array, idx: number): number | undefined {
  return readStatusValue(bytes, idx, 2);
}

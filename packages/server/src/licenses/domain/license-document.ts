/**
 * The signed license document (电子证照文件) and its canonical signing input.
 *
 * Metadata follows GB/T 36903 as used in practice (证照名称, 证照类型代码, 证照编号, 证照标识,
 * 颁发机构/代码, 颁发日期, 持证主体代码类型, 有效期起止, 签章, 状态). Non-disclosable fields are
 * in `claims`, in clear; disclosable fields and the holder's name and code (持证主体, 持证主体代码)
 * are selective disclosures whose digests are in `sd` (see selective-disclosure.ts).
 *
 * Signing input: the UTF-8 bytes of the RFC 8785 (JCS) canonical form of the whole document
 * except `disclosures` and `proof.signature` — i.e. including `proof.suite` and `proof.keyId`,
 * so neither can be swapped. SM2 signatures use the distinguishing ID 1234567812345678 and are
 * raw r‖s (64 bytes), base64url.
 */
import { canonicalize, type SuiteId } from '@mianzheng/crypto';
import type { FieldValue, HolderKind } from './license-type.ts';

export const LICENSE_FORMAT = 'mianzheng-license/1';
export const SD_ALG = 'sm3';

export interface StatusReference { status_list: { idx: number; uri: string } }

export interface LicenseProof { suite: SuiteId; keyId: string; signature: string }

/** What the issuer signs (plus the proof). */
export interface SignedLicense {
  format: typeof LICENSE_FORMAT;
  /** GB/T 36904 电子证照标识 */
  identifier: string;
  /** 证照编号 */
  licenseNumber: string;
  licenseType: { code: string; name: string };
  issuer: { code: string; name: string };
  holder: { codeType: HolderKind };
  /** 颁发日期 (an instant, ISO 8601 UTC) */
  issuedAt: string;
  validFrom: string;
  validUntil: string | null;
  claims: Record<string, FieldValue>;
  sdAlg: typeof SD_ALG;
  sd: string[];
  status: StatusReference;
  proof: LicenseProof;
}

/** The holder's copy: the signed license with every disclosure. */
export interface LicenseDocument extends SignedLicense { disclosures: string[] }

export type UnsignedLicense = Omit<SignedLicense, 'proof'>;

/** Canonical signing input of a document (disclosures and the signature itself excluded). */
export function licenseSigningInput(doc: UnsignedLicense & { proof: { suite: SuiteId; keyId: string } }): string {
  const { proof, ...rest } = doc as UnsignedLicense & { proof: { suite: SuiteId; keyId: string; signature?: string }; disclosures?: unknown };
  const body = { ...rest } as Record<string, unknown>;
  delete body.disclosures;
  return canonicalize({ ...body, proof: { suite: proof.suite, keyId: proof.keyId } });
}

/** The signed part of a document (what a presentation carries). */
export function signedPart(doc: LicenseDocument | SignedLicense): SignedLicense {
  const { disclosures: _omit, ...rest } = doc as LicenseDocument;
  return rest;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; detail: string; detailEn: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const DIGEST = /^[A-Za-z0-9_-]{43}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keysExactly(o: Record<string, unknown>, required: readonly string[], optional: readonly string[] = []): boolean {
  const keys = Object.keys(o);
  return required.every((k) => Object.prototype.hasOwnProperty.call(o, k)) && keys.every((k) => required.includes(k) || optional.includes(k));
}

function str(v: unknown, max = 200): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

const bad = (detail: string, detailEn: string) => ({ ok: false as const, detail, detailEn });

/** Parses the signed part of a license; `withDisclosures` also requires the `disclosures` array. Never throws. */
export function parseSignedLicense(input: unknown, withDisclosures: false): ParseResult<SignedLicense>;
export function parseSignedLicense(input: unknown, withDisclosures: true): ParseResult<LicenseDocument>;
export function parseSignedLicense(input: unknown, withDisclosures: boolean): ParseResult<SignedLicense | LicenseDocument> {
  if (!isObject(input)) return bad('证照文件应为 JSON 对象', 'The document must be a JSON object');
  const top = ['format', 'identifier', 'licenseNumber', 'licenseType', 'issuer', 'holder', 'issuedAt', 'validFrom', 'validUntil', 'claims', 'sdAlg', 'sd', 'status', 'proof'];
  if (!keysExactly(input, withDisclosures ? [...top, 'disclosures'] : top)) {
    return bad('证照文件的字段不完整或含有未知字段', 'The document has missing or unknown members');
  }
  const d = input;
  if (d.format !== LICENSE_FORMAT) return bad(`不支持的证照格式 ${String(d.format).slice(0, 40)}`, `Unsupported format ${String(d.format).slice(0, 40)}`);
  if (!str(d.identifier, 120)) return bad('缺少电子证照标识', 'Missing identifier');
  if (!str(d.licenseNumber, 64)) return bad('缺少证照编号', 'Missing license number');
  if (!isObject(d.licenseType) || !keysExactly(d.licenseType, ['code', 'name']) || !str(d.licenseType.code, 21) || !str(d.licenseType.name, 100)) return bad('证照类型不正确', 'Bad licenseType');
  if (!isObject(d.issuer) || !keysExactly(d.issuer, ['code', 'name']) || !str(d.issuer.code, 18) || !str(d.issuer.name, 100)) return bad('颁发机构不正确', 'Bad issuer');
  if (!isObject(d.holder) || !keysExactly(d.holder, ['codeType']) || (d.holder.codeType !== '111' && d.holder.codeType !== '001')) return bad('持证主体代码类型不正确', 'Bad holder code type');
  if (typeof d.issuedAt !== 'string' || !ISO_INSTANT.test(d.issuedAt) || Number.isNaN(Date.parse(d.issuedAt))) return bad('颁发时间不正确', 'Bad issuedAt');
  if (typeof d.validFrom !== 'string' || !DATE.test(d.validFrom)) return bad('有效期起始日期不正确', 'Bad validFrom');
  if (!(d.validUntil === null || (typeof d.validUntil === 'string' && DATE.test(d.validUntil)))) return bad('有效期截止日期不正确', 'Bad validUntil');
  if (!isObject(d.claims) || Object.keys(d.claims).length > 40) return bad('明文字段不正确', 'Bad claims');
  for (const [k, v] of Object.entries(d.claims)) {
    if (!/^[a-z][A-Za-z0-9]{0,39}$/.test(k) || !(typeof v === 'string' ? v.length <= 1000 : typeof v === 'number' && Number.isFinite(v))) return bad(`明文字段 ${k.slice(0, 40)} 不正确`, `Bad claim ${k.slice(0, 40)}`);
  }
  if (d.sdAlg !== SD_ALG) return bad('不支持的摘要算法', 'Unsupported sdAlg');
  if (!Array.isArray(d.sd) || d.sd.length > 64 || !d.sd.every((x) => typeof x === 'string' && DIGEST.test(x))) return bad('披露摘要列表不正确', 'Bad sd digests');
  const st = d.status;
  if (!isObject(st) || !keysExactly(st, ['status_list']) || !isObject(st.status_list) || !keysExactly(st.status_list, ['idx', 'uri'])
    || !Number.isInteger(st.status_list.idx) || (st.status_list.idx as number) < 0 || (st.status_list.idx as number) > 1e9 || !str(st.status_list.uri, 300)) {
    return bad('状态列表引用不正确', 'Bad status reference');
  }
  const p = d.proof;
  if (!isObject(p) || !keysExactly(p, ['suite', 'keyId', 'signature']) || (p.suite !== 'SM2-SM3' && p.suite !== 'Ed25519') || !str(p.keyId, 120)
    || typeof p.signature !== 'string' || !/^[A-Za-z0-9_-]{86}$/.test(p.signature)) {
    return bad('签章不正确', 'Bad proof');
  }
  if (withDisclosures) {
    if (!Array.isArray(d.disclosures) || d.disclosures.length > 64 || !d.disclosures.every((x) => typeof x === 'string' && x.length <= 4096)) return bad('披露项列表不正确', 'Bad disclosures');
  }
  return { ok: true, value: input as unknown as LicenseDocument };
}

/** Today's date in China Standard Time (UTC+8), YYYY-MM-DD. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

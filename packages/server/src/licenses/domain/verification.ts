/**
 * License verification as a value: `{ verified, checks, errors }`. Never throws — a failed
 * check is a normal result. The same function serves the online endpoint (facts from the
 * registry) and the offline CLI (facts from a cached key set and status list).
 */
import { parseLicenseIdentifier, type SuiteId } from '@mianzheng/crypto';
import { LICENSE_ERRORS, type LicenseErrorCode } from '../errors.ts';
import type { LicenseCrypto } from './crypto-port.ts';
import { fromBase64Url } from './crypto-port.ts';
import { chinaDate, licenseSigningInput, parseSignedLicense, type LicenseDocument, type SignedLicense } from './license-document.ts';
import { statusFromValue, type LicenseStatus } from './license-status.ts';
import { checkDisclosures } from './selective-disclosure.ts';
import type { FieldValue } from './license-type.ts';

export type LicenseCheckName = 'signature' | 'issuer_key' | 'identifier_check_char' | 'status' | 'validity_period';
export type PresentationCheckName = 'presentation_format' | 'holder_binding' | 'expiry' | 'audience' | 'single_use';
export type CheckName = LicenseCheckName | PresentationCheckName;

export const LICENSE_CHECKS: readonly LicenseCheckName[] = ['signature', 'issuer_key', 'identifier_check_char', 'status', 'validity_period'];

export interface Check { name: CheckName; ok: boolean; detail: string; detailEn: string }
export interface VerificationError { code: LicenseErrorCode; check: CheckName; message: string; messageEn: string }
export interface Verification { verified: boolean; checks: Check[]; errors: VerificationError[] }

export interface IssuerFact { code: string; name: string; departmentId: string }
export interface KeyFact {
  keyId: string; ownerId: string; suite: SuiteId; publicKey: string; status: 'active' | 'retired'; createdAt: string; retiredAt: string | null;
}
/** Where the status comes from: the platform registry (online) or a verified status list (offline). */
export type StatusFact =
  | { source: 'registry'; status: LicenseStatus | 'unregistered' }
  | { source: 'status_list'; value: number | undefined; listIssuedAt: string }
  | { source: 'unavailable'; detail: string; detailEn: string };

export interface VerificationFacts {
  /** The department whose USCC is the document's issuer code, when known. */
  issuer: IssuerFact | undefined;
  /** The key named by proof.keyId, when known. */
  key: KeyFact | undefined;
  status: StatusFact;
  now: Date;
}

/** A builder that collects checks and their error codes. */
export class CheckList {
  readonly checks: Check[] = [];
  readonly errors: VerificationError[] = [];

  pass(name: CheckName, detail: string, detailEn: string): void {
    this.checks.push({ name, ok: true, detail, detailEn });
  }

  fail(name: CheckName, code: LicenseErrorCode, detail: string, detailEn: string): void {
    this.checks.push({ name, ok: false, detail, detailEn });
    const [, message, messageEn] = LICENSE_ERRORS[code];
    this.errors.push({ code, check: name, message, messageEn });
  }

  result(): Verification {
    return { verified: this.checks.length > 0 && this.checks.every((c) => c.ok), checks: this.checks, errors: this.errors };
  }
}

const SKEW_MS = 5 * 60_000;

/** A malformed document: every license check fails, with the reason on the first. */
export function malformedLicense(list: CheckList, detail: string, detailEn: string): void {
  list.fail('signature', 'LICENSE.DOCUMENT_MALFORMED', `证照文件格式不正确：${detail}`, `Malformed document: ${detailEn}`);
  for (const name of LICENSE_CHECKS.slice(1)) list.checks.push({ name, ok: false, detail: '未检查（文件格式不正确）', detailEn: 'Not checked (malformed document)' });
}

/**
 * Runs the five license checks over a parsed document and the facts gathered for it, adding
 * them to `list`. Returns the disclosed claims when the signature and disclosures hold.
 */
export function checkLicense(doc: SignedLicense, disclosures: readonly string[], facts: VerificationFacts, crypto: LicenseCrypto, list: CheckList): { claims: Record<string, FieldValue> } | undefined {
  let claims: Record<string, FieldValue> | undefined;

  // signature (over the canonical document) and the disclosures' digests
  const key = facts.key;
  if (!key || !facts.issuer) {
    list.fail('signature', 'LICENSE.SIGNATURE_UNVERIFIED', '未找到颁发机构公钥，无法验证签名', 'No issuer key to check the signature with');
  } else {
    let input: string | undefined;
    try {
      input = licenseSigningInput(doc);
    } catch {
      input = undefined;
    }
    const signature = fromBase64Url(doc.proof.signature);
    const ok = input !== undefined && signature !== undefined && signature.length === 64 && key.suite === doc.proof.suite
      && crypto.verify(doc.proof.suite, key.publicKey, new TextEncoder().encode(input), signature);
    if (!ok) {
      list.fail('signature', 'LICENSE.SIGNATURE_INVALID', `${doc.proof.suite} 签名验证失败：证照内容被改动或签名伪造`, `${doc.proof.suite} signature does not verify: the content was changed or the signature forged`);
    } else {
      const d = checkDisclosures(doc.sd, disclosures, doc.claims, (t) => crypto.digest(t));
      if (!d.ok) list.fail('signature', 'LICENSE.DISCLOSURE_INVALID', d.detail, d.detailEn);
      else {
        claims = d.claims;
        list.pass('signature', `${doc.proof.suite} 签名有效，${disclosures.length} 个披露字段与签名摘要一致`, `${doc.proof.suite} signature valid; ${disclosures.length} disclosed field(s) match the signed digests`);
      }
    }
  }

  // issuer key
  if (!facts.issuer) {
    list.fail('issuer_key', 'LICENSE.UNKNOWN_ISSUER', `颁发机构代码 ${doc.issuer.code} 不是已登记的颁发机构`, `Issuer code ${doc.issuer.code} is not a registered issuer`);
  } else if (!key) {
    list.fail('issuer_key', 'LICENSE.UNKNOWN_KEY', `颁发机构没有公布密钥 ${doc.proof.keyId}`, `The issuer has published no key ${doc.proof.keyId}`);
  } else if (key.ownerId !== facts.issuer.departmentId) {
    list.fail('issuer_key', 'LICENSE.ISSUER_KEY_MISMATCH', `密钥 ${key.keyId} 不属于 ${facts.issuer.name}`, `Key ${key.keyId} does not belong to ${facts.issuer.name}`);
  } else if (key.suite !== doc.proof.suite) {
    list.fail('issuer_key', 'LICENSE.ISSUER_KEY_MISMATCH', `密钥算法 ${key.suite} 与签章算法 ${doc.proof.suite} 不一致`, `Key suite ${key.suite} differs from the proof suite ${doc.proof.suite}`);
  } else {
    const issued = Date.parse(doc.issuedAt);
    const created = Date.parse(key.createdAt);
    const retired = key.retiredAt ? Date.parse(key.retiredAt) : undefined;
    if (issued + SKEW_MS < created || (retired !== undefined && issued > retired + SKEW_MS)) {
      list.fail('issuer_key', 'LICENSE.KEY_NOT_VALID_AT_ISSUE', `颁发时间 ${doc.issuedAt} 不在密钥 ${key.keyId} 的使用期内`, `Issued at ${doc.issuedAt}, outside the signing period of key ${key.keyId}`);
    } else if (facts.issuer.name !== doc.issuer.name) {
      list.fail('issuer_key', 'LICENSE.UNKNOWN_ISSUER', `颁发机构名称“${doc.issuer.name}”与登记名称“${facts.issuer.name}”不一致`, `Issuer name "${doc.issuer.name}" differs from the registered "${facts.issuer.name}"`);
    } else {
      list.pass('issuer_key', `${facts.issuer.name} 的${key.status === 'active' ? '现行' : '已轮换（仍可验证）'}密钥 ${key.keyId}`, `${key.status === 'active' ? 'Active' : 'Retired (still valid for verification)'} key ${key.keyId} of ${facts.issuer.name}`);
    }
  }

  // identifier check character (GB/T 36904)
  const id = parseLicenseIdentifier(doc.identifier);
  if (!id.wellFormed) {
    list.fail('identifier_check_char', 'LICENSE.IDENTIFIER_INVALID', `电子证照标识格式不正确（${id.error}）`, `Malformed identifier (${id.error})`);
  } else if (!id.checkCharValid) {
    list.fail('identifier_check_char', 'LICENSE.IDENTIFIER_CHECK_CHAR', `校验位为 ${id.checkChar}，按 ISO 7064 MOD 37,36 应为 ${id.expectedCheckChar}`, `Check character is ${id.checkChar}; ISO 7064 MOD 37,36 gives ${id.expectedCheckChar}`);
  } else if (id.parts.licenseTypeCode !== doc.licenseType.code || id.parts.issuerCode !== doc.issuer.code) {
    list.fail('identifier_check_char', 'LICENSE.IDENTIFIER_MISMATCH', '标识中的证照类型代码或颁发机构代码与证照内容不一致', 'The type or issuer code in the identifier differs from the document');
  } else {
    list.pass('identifier_check_char', `校验位 ${id.checkChar} 正确`, `Check character ${id.checkChar} is correct`);
  }

  // status
  const st = facts.status;
  const statusOf = (s: LicenseStatus | undefined, where: string, whereEn: string) => {
    if (s === 'valid') list.pass('status', `有效（${where}）`, `Valid (${whereEn})`);
    else if (s === 'revoked') list.fail('status', 'LICENSE.REVOKED', `已吊销（${where}）`, `Revoked (${whereEn})`);
    else if (s === 'suspended') list.fail('status', 'LICENSE.SUSPENDED', `已暂停使用（${where}）`, `Suspended (${whereEn})`);
    else list.fail('status', 'LICENSE.STATUS_UNKNOWN', `状态未知（${where}）`, `Unknown status (${whereEn})`);
  };
  if (st.source === 'registry') {
    if (st.status === 'unregistered') list.fail('status', 'LICENSE.STATUS_UNKNOWN', '平台证照库中没有该证照', 'The platform registry has no such license');
    else statusOf(st.status, '平台证照库', 'platform registry');
  } else if (st.source === 'status_list') {
    statusOf(st.value === undefined ? undefined : statusFromValue(st.value), `状态列表第 ${doc.status.status_list.idx} 位，列表签发于 ${st.listIssuedAt}`, `status list index ${doc.status.status_list.idx}, list issued ${st.listIssuedAt}`);
  } else {
    list.fail('status', 'LICENSE.STATUS_LIST_INVALID', st.detail, st.detailEn);
  }

  // validity period (dates in China Standard Time)
  const today = chinaDate(facts.now);
  if (today < doc.validFrom) list.fail('validity_period', 'LICENSE.NOT_YET_VALID', `有效期自 ${doc.validFrom} 起，尚未生效`, `Valid from ${doc.validFrom}; not yet valid`);
  else if (doc.validUntil !== null && today > doc.validUntil) list.fail('validity_period', 'LICENSE.EXPIRED', `有效期至 ${doc.validUntil}，已过期`, `Valid until ${doc.validUntil}; expired`);
  else list.pass('validity_period', `有效期 ${doc.validFrom} 至 ${doc.validUntil ?? '长期'}`, `Valid ${doc.validFrom} to ${doc.validUntil ?? 'indefinitely'}`);

  return claims ? { claims } : undefined;
}

/**
 * Parse + check in one go for a full document (the holder's copy, with disclosures); `resolve`
 * gathers the facts for the parsed document (the CLI resolves from its cache synchronously).
 */
export function verifyLicenseDocument(input: unknown, resolve: (doc: LicenseDocument) => VerificationFacts, crypto: LicenseCrypto): Verification & { claims?: Record<string, FieldValue> } {
  const list = new CheckList();
  const parsed = parseSignedLicense(input, true);
  if (!parsed.ok) {
    malformedLicense(list, parsed.detail, parsed.detailEn);
    return list.result();
  }
  const out = checkLicense(parsed.value, parsed.value.disclosures, resolve(parsed.value), crypto, list);
  return { ...list.result(), ...(out ? { claims: out.claims } : {}) };
}

/** What the verifier needs to look up for a parsed document. */
export function factKeys(doc: LicenseDocument | SignedLicense): { issuerCode: string; keyId: string; identifier: string; statusIdx: number } {
  return { issuerCode: doc.issuer.code, keyId: doc.proof.keyId, identifier: doc.identifier, statusIdx: doc.status.status_list.idx };
}

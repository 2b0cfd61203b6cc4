/**
 * Identifier check characters (see DOMAIN.md):
 *  - GB 11643 citizen identity number (公民身份号码), ISO 7064 MOD 11-2
 *  - GB 32100 unified social credit code (统一社会信用代码), MOD 31
 *  - GB/T 36904 e-license identifier (电子证照标识), ISO 7064 MOD 37,36
 * Pure functions; nothing throws on bad input except the compute/build helpers,
 * which throw a TypeError when given a malformed body.
 */

// ---------- GB 11643 identity number ----------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export type Sex = 'male' | 'female';

export type IdentityNumberError = 'FORMAT' | 'BIRTH_DATE' | 'CHECK_CHAR';

export type IdentityNumberCheck =
  | {
      valid: true;
      /** Upper-case form (a trailing x becomes X). */
      value: string;
      regionCode: string;
      /** YYYY-MM-DD */
      birthDate: string;
      sex: Sex;
      checkChar: string;
    }
  | { valid: false; error: IdentityNumberError; expectedCheckChar?: string };

/** Check character for the first 17 digits. */
export function identityNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new TypeError('identity number body must be 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export interface IdentityNumberOptions {
  /** YYYY-MM-DD; when given, birth dates after it are rejected. Omitted: no upper bound. */
  today?: string;
}

/**
 * Parses an 18-character identity number: format, birth date (a real calendar date,
 * not before 1800, not after opts.today), check character, sex from the sequence's parity.
 */
export function parseIdentityNumber(input: string, opts: IdentityNumberOptions = {}): IdentityNumberCheck {
  const value = typeof input === 'string' ? input.toUpperCase() : '';
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return { valid: false, error: 'FORMAT' };
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (year < 1800 || !isCalendarDate(year, month, day) || (opts.today !== undefined && birthDate > opts.today)) {
    return { valid: false, error: 'BIRTH_DATE' };
  }
  const expected = identityNumberCheckChar(value.slice(0, 17));
  if (value[17] !== expected) return { valid: false, error: 'CHECK_CHAR', expectedCheckChar: expected };
  return {
    valid: true,
    value,
    regionCode: value.slice(0, 6),
    birthDate,
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
    checkChar: expected,
  };
}

export function isValidIdentityNumber(input: string, opts?: IdentityNumberOptions): boolean {
  return parseIdentityNumber(input, opts).valid;
}

// ---------- GB 32100 unified social credit code ----------

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export type UsccError = 'FORMAT' | 'CHECK_CHAR';

export type UsccCheck =
  | {
      valid: true;
      value: string;
      /** 登记管理部门代码 (1st char) */
      registrationAuthority: string;
      /** 机构类别代码 (2nd char) */
      entityType: string;
      /** 登记管理机关行政区划码 (chars 3-8) */
      regionCode: string;
      /** 主体标识码 / 组织机构代码 (chars 9-17) */
      organizationCode: string;
      checkChar: string;
      /** CHECK_CHAR_MISMATCH only when opts.allowBadCheckChar let a legacy code through. */
      warnings: 'CHECK_CHAR_MISMATCH'[];
    }
  | { valid: false; error: UsccError; expectedCheckChar?: string };

/** Check character for the first 17 characters: 31 − (Σ vᵢ·wᵢ mod 31), 31 → 0. */
export function usccCheckChar(first17: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{17}$/.test(first17)) throw new TypeError('USCC body must be 17 characters of the GB 32100 alphabet');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export interface UsccOptions {
  /** Accept a code whose check character is wrong (some early codes in use), with a warning. Operator decision. */
  allowBadCheckChar?: boolean;
}

export function parseUscc(input: string, opts: UsccOptions = {}): UsccCheck {
  const value = typeof input === 'string' ? input.toUpperCase() : '';
  if (!USCC_PATTERN.test(value)) return { valid: false, error: 'FORMAT' };
  const expected = usccCheckChar(value.slice(0, 17));
  const mismatch = value[17] !== expected;
  if (mismatch && opts.allowBadCheckChar !== true) {
    return { valid: false, error: 'CHECK_CHAR', expectedCheckChar: expected };
  }
  return {
    valid: true,
    value,
    registrationAuthority: value[0]!,
    entityType: value[1]!,
    regionCode: value.slice(2, 8),
    organizationCode: value.slice(8, 17),
    checkChar: value[17]!,
    warnings: mismatch ? ['CHECK_CHAR_MISMATCH'] : [],
  };
}

/** Strict: a wrong check character is invalid. */
export function isValidUscc(input: string): boolean {
  return parseUscc(input).valid;
}

// ---------- GB/T 36904 e-license identifier ----------

export const LICENSE_IDENTIFIER_PREFIX = '1.2.156.3005.2';
const MOD37_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SERIAL_PATTERN = /^[0-9A-Z]+$/;
const VERSION_PATTERN = /^\d{3}$/;
const TYPE_CODE_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}\d{3}$/;

export interface LicenseIdentifierParts {
  /** 证照类型代码: defining agency's USCC (18) + 3-digit sequence */
  licenseTypeCode: string;
  /** 颁发机构代码: the issuer's USCC */
  issuerCode: string;
  /** 流水号: upper-case alphanumerics */
  serialNumber: string;
  /** 版本号: 3 digits */
  version: string;
}

export type LicenseIdentifierCheck =
  | {
      /** Well-formed. A wrong check character is reported, not rejected: such identifiers exist. */
      wellFormed: true;
      value: string;
      parts: LicenseIdentifierParts;
      definingAgencyCode: string;
      typeSequence: string;
      checkChar: string;
      expectedCheckChar: string;
      checkCharValid: boolean;
      /** Check characters of the embedded USCCs (defining agency, issuer). */
      definingAgencyCodeValid: boolean;
      issuerCodeValid: boolean;
    }
  | { wellFormed: false; error: 'PREFIX' | 'SEGMENTS' | 'LICENSE_TYPE_CODE' | 'ISSUER_CODE' | 'SERIAL_NUMBER' | 'VERSION' | 'CHECK_CHAR_FORMAT' };

/** ISO 7064 MOD 37,36 check character over the concatenated middle segments (dots removed). */
export function licenseIdentifierCheckChar(parts: LicenseIdentifierParts): string {
  const error = partsError(parts);
  if (error !== undefined) throw new TypeError(`license identifier: bad ${error}`);
  const s = parts.licenseTypeCode + parts.issuerCode + parts.serialNumber + parts.version;
  let p = 36;
  for (const c of s) {
    p = (p + MOD37_ALPHABET.indexOf(c)) % 36 || 36;
    p = (2 * p) % 37;
  }
  return MOD37_ALPHABET[(37 - p) % 36]!;
}

function partsError(parts: LicenseIdentifierParts): Exclude<LicenseIdentifierCheck, { wellFormed: true }>['error'] | undefined {
  if (!TYPE_CODE_PATTERN.test(parts.licenseTypeCode)) return 'LICENSE_TYPE_CODE';
  if (!USCC_PATTERN.test(parts.issuerCode)) return 'ISSUER_CODE';
  if (!SERIAL_PATTERN.test(parts.serialNumber)) return 'SERIAL_NUMBER';
  if (!VERSION_PATTERN.test(parts.version)) return 'VERSION';
  return undefined;
}

export function buildLicenseIdentifier(parts: LicenseIdentifierParts): string {
  const check = licenseIdentifierCheckChar(parts);
  return [LICENSE_IDENTIFIER_PREFIX, parts.licenseTypeCode, parts.issuerCode, parts.serialNumber, parts.version, check].join('.');
}

export function parseLicenseIdentifier(input: string): LicenseIdentifierCheck {
  const value = typeof input === 'string' ? input : '';
  if (!value.startsWith(LICENSE_IDENTIFIER_PREFIX + '.')) return { wellFormed: false, error: 'PREFIX' };
  const segments = value.slice(LICENSE_IDENTIFIER_PREFIX.length + 1).split('.');
  if (segments.length !== 5) return { wellFormed: false, error: 'SEGMENTS' };
  const [licenseTypeCode, issuerCode, serialNumber, version, checkChar] = segments as [string, string, string, string, string];
  const parts = { licenseTypeCode, issuerCode, serialNumber, version };
  const error = partsError(parts);
  if (error !== undefined) return { wellFormed: false, error };
  if (!/^[0-9A-Z]$/.test(checkChar)) return { wellFormed: false, error: 'CHECK_CHAR_FORMAT' };
  const expectedCheckChar = licenseIdentifierCheckChar(parts);
  const definingAgencyCode = licenseTypeCode.slice(0, 18);
  return {
    wellFormed: true,
    value,
    parts,
    definingAgencyCode,
    typeSequence: licenseTypeCode.slice(18),
    checkChar,
    expectedCheckChar,
    checkCharValid: checkChar === expectedCheckChar,
    definingAgencyCodeValid: isValidUscc(definingAgencyCode),
    issuerCodeValid: isValidUscc(issuerCode),
  };
}

/** Well-formed and the check character matches. */
export function isValidLicenseIdentifier(input: string): boolean {
  const result = parseLicenseIdentifier(input);
  return result.wellFormed && result.checkCharValid;
}

/**
 * License types (证照类型): what a type defines and the rules for its definition and for the
 * field values of a license of that type. Pure: no database, no crypto, no clock.
 */
import { parseUscc } from '@mianzheng/crypto';
import { isCalendarDate } from '../../shared/calendar/calendar-date.ts';

export type HolderKind = '111' | '001';
export const HOLDER_KINDS: readonly HolderKind[] = ['111', '001'];
export const HOLDER_KIND_LABELS: Record<HolderKind, { zh: string; en: string }> = {
  '111': { zh: '公民身份号码', en: 'Citizen identity number' },
  '001': { zh: '统一社会信用代码', en: 'Unified social credit code' },
};

export type FieldType = 'string' | 'date' | 'number' | 'enum';
export const FIELD_TYPES: readonly FieldType[] = ['string', 'date', 'number', 'enum'];

export interface FieldDefinition {
  /** Machine name, e.g. `registrationDate`; the claim name in the document. */
  name: string;
  /** 登记日期 */
  label: string;
  type: FieldType;
  required: boolean;
  /**
   * Selectively disclosable: stored as a salted digest in the signed document, shown in a
   * presentation only when the holder chooses it. Not disclosable: in clear in the signed
   * document, so every presentation shows it.
   */
  disclosable: boolean;
  enumValues?: string[];
  maxLength?: number;
  /**
   * What a string field holds, for the access log (persons a license names get their own
   * entry): `person` a person's identity number, `enterprise` a unified social credit code,
   * `none` neither (a certificate number …). `enterprise` and `none` are never taken for a
   * person; an undeclared field is when its value is a valid identity number
   * (audit/domain/named-persons.ts). Not part of the signed document: it may change while
   * licenses of the type exist.
   */
  identifies?: FieldIdentifies;
}

export type FieldIdentifies = 'person' | 'enterprise' | 'none';
export const FIELD_IDENTIFIES: readonly FieldIdentifies[] = ['person', 'enterprise', 'none'];

export type ValidityRule = { kind: 'none' } | { kind: 'years'; years: number };

export interface LicenseTypeDefinition {
  code: string;
  name: string;
  definingAgencyName: string;
  holderKind: HolderKind;
  fields: FieldDefinition[];
  issuingDepartmentIds: string[];
  validity: ValidityRule;
  /** 设定依据, e.g. 《婚姻登记条例》第七条; cited in the access log when the license is issued or used. */
  legalBasis: string;
  description: string;
}

/** Claims every license has, kept out of type schemas: the holder's name and code (both disclosable). */
export const RESERVED_CLAIMS = ['holderName', 'holderCode'] as const;
export const RESERVED_CLAIM_LABELS: Record<(typeof RESERVED_CLAIMS)[number], { zh: string; en: string }> = {
  holderName: { zh: '持证主体', en: 'Holder' },
  holderCode: { zh: '持证主体代码', en: 'Holder code' },
};

export interface Violation { field: string; code: string; message: string; messageEn: string }

const FIELD_NAME = /^[a-z][A-Za-z0-9]{0,39}$/;
/** Checks a type definition: the GB/T 36904 type code, names, the field schema, validity. */
export function checkLicenseTypeDefinition(def: LicenseTypeDefinition): Violation[] {
  const v: Violation[] = [];
  const fail = (field: string, message: string, messageEn: string, code = 'LICENSE.TYPE_INVALID') => v.push({ field, code, message, messageEn });
  if (!/^[0-9A-Z]{18}\d{3}$/.test(def.code)) {
    fail('code', '证照类型代码应为 18 位统一社会信用代码加 3 位顺序码', 'The type code is the defining agency\'s 18-character USCC followed by 3 digits', 'LICENSE.TYPE_CODE_INVALID');
  } else {
    const uscc = parseUscc(def.code.slice(0, 18));
    if (!uscc.valid) {
      fail('code', `证照类型代码中的定义机构统一社会信用代码校验失败${uscc.expectedCheckChar ? `（校验位应为 ${uscc.expectedCheckChar}）` : ''}`,
        `The defining agency USCC in the type code fails its check${uscc.expectedCheckChar ? ` (check character should be ${uscc.expectedCheckChar})` : ''}`, 'LICENSE.TYPE_CODE_INVALID');
    }
  }
  if (!def.name.trim()) fail('name', '证照名称不能为空', 'The name is required');
  if (!def.legalBasis.trim()) fail('legalBasis', '设定依据不能为空', 'The legal basis is required');
  if (!def.definingAgencyName.trim()) fail('definingAgencyName', '定义机构名称不能为空', 'The defining agency name is required');
  if (!(HOLDER_KINDS as readonly string[]).includes(def.holderKind)) fail('holderKind', '持证主体代码类型应为 111 或 001', 'Holder kind must be 111 or 001');
  if (def.issuingDepartmentIds.length === 0) fail('issuingDepartmentIds', '至少需要一个颁发部门', 'At least one issuing department is required');
  if (new Set(def.issuingDepartmentIds).size !== def.issuingDepartmentIds.length) fail('issuingDepartmentIds', '颁发部门重复', 'Duplicate issuing department');
  if (def.validity.kind === 'years' && !(Number.isInteger(def.validity.years) && def.validity.years >= 1 && def.validity.years <= 100)) {
    fail('validity.years', '有效期年限应为 1 至 100 的整数', 'Validity years must be an integer from 1 to 100');
  }
  if (def.fields.length === 0) fail('fields', '至少需要一个字段', 'At least one field is required');
  if (def.fields.length > 40) fail('fields', '字段不能超过 40 个', 'At most 40 fields');
  const seen = new Set<string>();
  def.fields.forEach((f, i) => {
    const at = `fields.${i}`;
    if (!FIELD_NAME.test(f.name)) fail(`${at}.name`, `字段名“${f.name}”应以小写字母开头，仅含字母和数字`, `Field name "${f.name}" must start with a lower-case letter and contain letters and digits only`);
    // claims and values are plain objects: a name the object prototype already has (toString, constructor …) would read as set when absent
    if (FIELD_NAME.test(f.name) && f.name in Object.prototype) fail(`${at}.name`, `字段名“${f.name}”为系统保留名称`, `Field name "${f.name}" is reserved by the system`);
    if ((RESERVED_CLAIMS as readonly string[]).includes(f.name)) fail(`${at}.name`, `字段名“${f.name}”为保留字段（持证主体信息由平台填写）`, `Field name "${f.name}" is reserved (the holder's name and code are filled in by the platform)`);
    if (seen.has(f.name)) fail(`${at}.name`, `字段名“${f.name}”重复`, `Duplicate field name "${f.name}"`);
    seen.add(f.name);
    if (!f.label.trim()) fail(`${at}.label`, '字段显示名不能为空', 'The field label is required');
    if (!(FIELD_TYPES as readonly string[]).includes(f.type)) fail(`${at}.type`, '字段类型应为 string、date、number 或 enum', 'Field type must be string, date, number or enum');
    if (f.type === 'enum' && (!f.enumValues || f.enumValues.length === 0 || f.enumValues.some((e) => !e.trim()))) {
      fail(`${at}.enumValues`, '枚举字段需要至少一个取值', 'An enum field needs at least one value');
    }
    if (f.type !== 'enum' && f.enumValues !== undefined) fail(`${at}.enumValues`, '只有枚举字段可以设置取值', 'Only enum fields take values');
    if (f.identifies !== undefined && (!(FIELD_IDENTIFIES as readonly string[]).includes(f.identifies) || f.type !== 'string')) {
      fail(`${at}.identifies`, '字段内容类别（identifies）应为 person、enterprise 或 none，且仅用于文本字段', 'identifies must be person, enterprise or none, on a string field');
    }
  });
  return v;
}

/**
 * A change of the field schema of a type that already has licenses must keep every existing
 * field as it is; new fields may be added only as optional (old licenses lack them).
 */
export function checkFieldSchemaChange(before: FieldDefinition[], after: FieldDefinition[]): Violation[] {
  const v: Violation[] = [];
  for (const old of before) {
    const now = after.find((f) => f.name === old.name);
    if (!now) {
      v.push({ field: 'fields', code: 'LICENSE.TYPE_IN_USE', message: `已有证照使用字段“${old.label}”，不能删除`, messageEn: `Licenses use field "${old.name}"; it cannot be removed` });
    } else if (now.type !== old.type || now.disclosable !== old.disclosable || (now.required && !old.required) || JSON.stringify(now.enumValues ?? []) !== JSON.stringify(old.enumValues ?? [])) {
      v.push({ field: 'fields', code: 'LICENSE.TYPE_IN_USE', message: `已有证照使用字段“${old.label}”，只能修改显示名`, messageEn: `Licenses use field "${old.name}"; only its label may change` });
    }
  }
  for (const f of after) {
    if (!before.some((o) => o.name === f.name) && f.required) {
      v.push({ field: 'fields', code: 'LICENSE.TYPE_IN_USE', message: `已有证照，新增字段“${f.label}”只能为选填`, messageEn: `Licenses exist; new field "${f.name}" must be optional` });
    }
  }
  return v;
}

export type FieldValue = string | number;

/**
 * Control characters other than tab and line breaks, and unpaired surrogates. Besides being no
 * text a license should show, each is written as a six-byte \\uXXXX escape in the signed
 * disclosure: a value of maxLength such characters would make a disclosure longer than the
 * document parser accepts (4096), i.e. a license issued but never verifiable. Without them a
 * value of at most 1000 characters (3 UTF-8 bytes each) always fits.
 */
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a text holds a control character (other than tab and line breaks) or an unpaired surrogate. */
export function hasUnprintable(text: string): boolean {
  return UNPRINTABLE.test(text);
}

/**
 * Validates and normalises field values against the type: unknown fields, missing required
 * ones, wrong types, dates that are not calendar dates, enum values outside the list.
 * Empty strings count as absent.
 */
export function checkFieldValues(fields: FieldDefinition[], input: Record<string, unknown>): { values: Record<string, FieldValue>; violations: Violation[] } {
  const values: Record<string, FieldValue> = {};
  const violations: Violation[] = [];
  const fail = (name: string, message: string, messageEn: string) => violations.push({ field: `fields.${name}`, code: 'LICENSE.FIELDS_INVALID', message, messageEn });
  for (const key of Object.keys(input)) {
    if (!fields.some((f) => f.name === key)) fail(key, `证照类型没有字段“${key}”`, `The license type has no field "${key}"`);
  }
  for (const f of fields) {
    const raw = Object.prototype.hasOwnProperty.call(input, f.name) ? input[f.name] : undefined;
    const absent = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
    if (absent) {
      if (f.required) fail(f.name, `“${f.label}”为必填项`, `"${f.label}" is required`);
      continue;
    }
    switch (f.type) {
      case 'number': {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
        if (!Number.isFinite(n)) fail(f.name, `“${f.label}”应为数字`, `"${f.label}" must be a number`);
        else values[f.name] = n;
        break;
      }
      case 'date': {
        const s = typeof raw === 'string' ? raw.trim() : '';
        if (!isCalendarDate(s)) fail(f.name, `“${f.label}”应为日期 YYYY-MM-DD`, `"${f.label}" must be a date YYYY-MM-DD`);
        else values[f.name] = s;
        break;
      }
      case 'enum': {
        const s = typeof raw === 'string' ? raw.trim() : String(raw);
        if (!(f.enumValues ?? []).includes(s)) fail(f.name, `“${f.label}”应为以下之一：${(f.enumValues ?? []).join('、')}`, `"${f.label}" must be one of: ${(f.enumValues ?? []).join(', ')}`);
        else values[f.name] = s;
        break;
      }
      default: {
        if (typeof raw !== 'string' && typeof raw !== 'number') {
          fail(f.name, `“${f.label}”应为文本`, `"${f.label}" must be text`);
          break;
        }
        const s = String(raw).trim();
        const max = f.maxLength ?? 200;
        if (s.length > max) fail(f.name, `“${f.label}”不能超过 ${max} 个字符`, `"${f.label}" must be at most ${max} characters`);
        else if (UNPRINTABLE.test(s)) fail(f.name, `“${f.label}”含有控制字符或无效字符`, `"${f.label}" contains control or invalid characters`);
        else values[f.name] = s;
      }
    }
  }
  return { values, violations };
}

/** The end date of the validity period: none → null; N years → the day before the same date N years on. */
export function validityEnd(rule: ValidityRule, validFrom: string): string | null {
  if (rule.kind === 'none') return null;
  const [y, m, d] = validFrom.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y + rule.years, m - 1, d));
  if (end.getUTCMonth() !== m - 1) end.setUTCDate(0); // 29 Feb → 28 Feb
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

/** 张晓梅 → 张*梅, 李四 → 李*, a longer (company) name keeps its first 4 and last 2 characters. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  if (chars.length <= 6) return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
  return `${chars.slice(0, 4).join('')}${'*'.repeat(Math.min(chars.length - 6, 6))}${chars.slice(-2).join('')}`;
}

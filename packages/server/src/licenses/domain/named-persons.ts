/**
 * The other people a license names besides its holder — a 结婚证's 配偶身份证件号, a guardian,
 * a co-owner: every field whose value is a valid GB 11643 identity number other than the
 * holder's. Whoever reads those fields uses their data too, so every entry the holder gets in
 * the access log for such a read, each named person gets as well (accessesWithNamedPersons) (谁用了我的数据 shows the
 * spouse that a department read the 结婚证 naming them).
 */
import { parseIdentityNumber } from '@mianzheng/crypto';
import type { FieldValue } from './license-type.ts';

export interface NamedPerson {
  /** the identity number, normalized (upper-case X) */
  code: string;
  /** the field that names them, e.g. `spouseIdNumber` */
  field: string;
  /** its label, e.g. 配偶身份证件号 */
  label: string;
}

const RESERVED = new Set(['holderCode', 'holderName']);

/** Persons named by identity number in the given (disclosed) claims, holder excluded, each once. */
export function namedPersons(claims: Readonly<Record<string, FieldValue | undefined>>, holderCode: string, fields: ReadonlyArray<{ name: string; label: string }> = []): NamedPerson[] {
  const holder = holderCode.trim().toUpperCase();
  const out: NamedPerson[] = [];
  for (const [name, value] of Object.entries(claims)) {
    if (RESERVED.has(name) || typeof value !== 'string') continue;
    const code = value.trim().toUpperCase();
    if (code === holder || !parseIdentityNumber(code).valid || out.some((p) => p.code === code)) continue;
    out.push({ code, field: name, label: fields.find((f) => f.name === name)?.label ?? name });
  }
  return out;
}

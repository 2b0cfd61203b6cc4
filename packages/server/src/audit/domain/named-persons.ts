/**
 * The other people a piece of disclosed data names besides its subject — a 结婚证's
 * 配偶身份证件号, a guardian, a co-owner, the members on a 户籍 record, the parents on a birth
 * record: every field whose value is a valid GB 11643 identity number other than the
 * subject's. Whoever reads those fields uses their data too, so every entry the subject gets
 * in the access log for such a read, each named person gets as well (accessesWithNamedPersons
 * in ../use-cases/record-data-access.ts): 谁用了我的数据 shows the spouse that a department read
 * the 结婚证 naming them. Used by licenses (claims read or disclosed) and by data sharing
 * (the fields of an answer, each record of a many-record answer).
 */
import { parseIdentityNumber } from '@mianzheng/crypto';

export interface NamedPerson {
  /** the identity number, normalized (upper-case X) */
  code: string;
  /** the field that names them, e.g. `spouseIdNumber` */
  field: string;
  /** its label, e.g. 配偶身份证件号 (the field name when the definition gives no label) */
  label: string;
}

type Fields = Readonly<Record<string, unknown>>;

/**
 * Persons named by identity number in the given disclosed data — one record, or several (the
 * records of a many-record answer) — the subject excluded, each once (by the first field that
 * names them). `fields` gives the labels; `ignore` names fields that are never someone else
 * (a license's own holderCode / holderName).
 */
export function namedPersons(data: Fields | ReadonlyArray<Fields>, subjectCode: string, fields: ReadonlyArray<{ name: string; label: string }> = [], ignore: readonly string[] = []): NamedPerson[] {
  const subject = subjectCode.trim().toUpperCase();
  const out: NamedPerson[] = [];
  // a many-record answer may name up to 24,000 persons: no search of `out` for each
  const seen = new Set<string>();
  for (const record of Array.isArray(data) ? data as ReadonlyArray<Fields> : [data as Fields]) {
    for (const [name, value] of Object.entries(record)) {
      if (ignore.includes(name) || typeof value !== 'string') continue;
      const code = value.trim().toUpperCase();
      if (code === subject || seen.has(code) || !parseIdentityNumber(code).valid) continue;
      seen.add(code);
      out.push({ code, field: name, label: fields.find((f) => f.name === name)?.label ?? name });
    }
  }
  return out;
}

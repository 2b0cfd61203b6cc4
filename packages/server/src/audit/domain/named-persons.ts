/**
 * The other people a piece of disclosed data names besides its subject — a 结婚证's
 * 配偶身份证件号, a guardian, a co-owner, the members on a 户籍 record, the parents on a birth
 * record: every field whose value is a valid GB 11643 identity number other than the
 * subject's. Whoever reads those fields uses their data too, so every entry the subject gets
 * in the access log for such a read, each named person gets as well (accessesWithNamedPersons
 * in ../use-cases/record-data-access.ts): 谁用了我的数据 shows the spouse that a department read
 * the 结婚证 naming them, and where it names them (`path`: `records[2].memberIdNumber`, the
 * third record of a many-record answer). Used by licenses (claims read or disclosed) and by
 * data sharing (the fields of an answer, each record of a many-record answer).
 *
 * What a field holds is declared by the item or license type (`identifies` on an answer field
 * or a license field):
 *  - `person`: a person's identity number — a valid one names that person;
 *  - `enterprise`: a unified social credit code (GB 32100) — never a person, whatever it looks like;
 *  - `none`: neither (a certificate or serial number of 18 digits, …) — never a person;
 *  - not declared: a valid identity number names a person.
 * A valid identity number is 18 characters whose birth date is a real date no later than
 * today and whose check character holds. An all-digit USCC can pass that too (rarely: its
 * characters 7–14 must read as a past birth date — the registration region ending in 18, 19
 * or 20 — and both check characters must agree), and it is then also a valid USCC.
 * Decision for such a value in an undeclared field: it names a person. The reverse
 * coincidence is common — about one real identity number in 31 is also a valid USCC (all
 * digits, and the MOD 31 check happens to agree) — so reading "valid as both" as an
 * enterprise would drop some 3 % of the persons an answer names from their own access log,
 * while reading it as a person gives, rarely, an entry to whoever holds a number equal to an
 * enterprise's code, and only for a field nobody declared. A field holding codes of
 * enterprises is declared `enterprise` (or `none`), and then no value in it is ever a person.
 */
import { parseIdentityNumber } from '@mianzheng/crypto';

/**
 * What a field of an item answer or a license holds: a person's identity number, an
 * enterprise's USCC, or neither (declared as `identifies` by AnswerField in the provider
 * protocol and by FieldDefinition in licenses/domain/license-type.ts, the same three words).
 */
export type Identifies = 'person' | 'enterprise' | 'none';

export interface NamedPerson {
  /** the identity number, normalized (upper-case X) */
  code: string;
  /** the field that names them, e.g. `spouseIdNumber`, `memberIdNumber` */
  field: string;
  /** its label, e.g. 配偶身份证件号 (the field name when the definition gives no label) */
  label: string;
  /**
   * where in the data read: the field itself for a license's claims or a single-record
   * answer (`spouseIdNumber`), `records[2].memberIdNumber` for the third record of a
   * many-record answer — the first place naming them, in the data's order
   */
  path: string;
}

/** A field as the item or license type defines it. */
export interface FieldDeclaration { name: string; label: string; identifies?: Identifies }

export interface NamedPersonsOptions {
  /** top-level fields that are never someone else (a license's own holderCode / holderName) */
  ignore?: readonly string[];
  /** YYYY-MM-DD (China time): an identity number with a later birth date names nobody */
  today?: string;
}

type Fields = Readonly<Record<string, unknown>>;

const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The identity number a value names a person by, or undefined: never in a field declared
 * `enterprise` or `none`; elsewhere a valid GB 11643 number (birth date not after `today`),
 * also when it is a valid USCC as well (the decision in the header).
 */
export function personNamedBy(value: unknown, identifies: Identifies | undefined, today?: string): string | undefined {
  if (typeof value !== 'string' || identifies === 'enterprise' || identifies === 'none') return undefined;
  const id = parseIdentityNumber(value.trim(), today ? { today } : {});
  return id.valid ? id.value : undefined;
}

/**
 * Persons named by identity number in the given disclosed data — a license's claims, an
 * answer, or a many-record answer `{ records: [...] }` (each record of a list member is
 * read, its path `records[i].field`) — the subject excluded, each once (by the first place
 * that names them). `fields` gives the labels and what each field holds.
 */
export function namedPersons(data: Fields, subjectCode: string, fields: ReadonlyArray<FieldDeclaration> = [], options: NamedPersonsOptions = {}): NamedPerson[] {
  const subject = subjectCode.trim().toUpperCase();
  const declared = new Map(fields.map((f) => [f.name, f]));
  const ignore = new Set(options.ignore ?? []);
  const out: NamedPerson[] = [];
  // a many-record answer may name up to 24,000 persons: no search of `out` for each
  const seen = new Set<string>();
  const consider = (name: string, value: unknown, path: string) => {
    const field = declared.get(name);
    const code = personNamedBy(value, field?.identifies, options.today);
    if (code === undefined || code === subject || seen.has(code)) return;
    seen.add(code);
    out.push({ code, field: name, label: field?.label ?? name, path });
  };
  for (const [name, value] of Object.entries(data)) {
    if (ignore.has(name)) continue;
    if (Array.isArray(value)) {
      value.forEach((record, i) => {
        if (isRecord(record)) for (const [field, v] of Object.entries(record)) consider(field, v, `${name}[${i}].${field}`);
      });
    } else consider(name, value, name);
  }
  return out;
}

/** The record a path points into, counted from 1 (`records[2].memberIdNumber` → 3), or null for a top-level field. */
export function recordNumberOf(path: string): number | null {
  const m = /^[A-Za-z][A-Za-z0-9]*\[(\d{1,6})\]\./.exec(path);
  return m ? Number(m[1]) + 1 : null;
}

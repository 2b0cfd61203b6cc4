/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * - Object members sorted by their names as arrays of UTF-16 code units (what
 *   Array.prototype.sort does for strings); arrays keep their order.
 * - Numbers serialised by ECMAScript Number::toString (so 1e21 -> "1e+21", -0 -> "0");
 *   NaN and ±Infinity are rejected.
 * - Strings serialised as JSON.stringify does (only ", \ and control characters are
 *   escaped; Chinese text and other non-ASCII stay as they are); lone surrogates are
 *   rejected because I-JSON (RFC 7493) forbids them.
 * - Values are what JSON.stringify would see: toJSON() is honoured (Date -> ISO string),
 *   object members whose value is undefined are omitted. Anything JSON cannot represent
 *   faithfully (undefined/function/symbol at top level or in arrays, bigint, Map, Set,
 *   typed arrays, cycles) is a TypeError rather than a silent change of meaning.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(value: string): string {
  if (LONE_SURROGATE.test(value)) throw new TypeError('JCS: string contains a lone surrogate');
  return JSON.stringify(value);
}

function serializeNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`JCS: ${value} is not representable in JSON`);
  return String(value); // ECMAScript Number::toString; String(-0) === "0"
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown, ancestors: Set<object>): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return serializeNumber(value);
    case 'string':
      return serializeString(value);
    case 'object':
      break;
    default:
      throw new TypeError(`JCS: ${typeof value} is not representable in JSON`);
  }
  if (ancestors.has(value)) throw new TypeError('JCS: cyclic structure');
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[' + value.map((item: unknown) => serialize(item, ancestors)).join(',') + ']';
  } else if (isPlainObject(value)) {
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      if (record[key] === undefined) continue;
      members.push(serializeString(key) + ':' + serialize(record[key], ancestors));
    }
    out = '{' + members.join(',') + '}';
  } else {
    throw new TypeError(`JCS: ${Object.prototype.toString.call(value)} is not a plain object or array`);
  }
  ancestors.delete(value);
  return out;
}

/** RFC 8785 canonical JSON text of `value`. */
export function canonicalize(value: unknown): string {
  return serialize(value, new Set());
}

/** UTF-8 bytes of the canonical form: what gets hashed and signed. */
export function canonicalizeToBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalize(value));
}

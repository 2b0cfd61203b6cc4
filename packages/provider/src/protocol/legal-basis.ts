/**
 * The legal basis (设定依据) a query states, carried whole. It travels in the signed header
 * x-mz-legal-basis when it fits there (isHeaderText: one line, at most 1,536 characters
 * percent-encoded — about 170 Chinese characters). A longer one — the catalog takes up to
 * LEGAL_BASIS_MAX_CHARS characters, over several lines — travels in the request body,
 * `{"params":{…},"legalBasis":"…"}`, and the header carries its reference `sm3:<SM3 of the
 * text, lowercase hex>`. Both are signed: the header as a line of the canonical request, the
 * body by its digest. The node checks that the text is the one referred to and writes the text
 * itself to its trail. Such a request never needs a large header: Node's default limit for all
 * headers together (16 KiB) is far from reached, and so is a proxy's per-line limit (8 KiB).
 */
import { isHeaderText } from './canonical.ts';
import { sm3Hex } from './messages.ts';

/** The longest legal basis, in characters (code points): the catalog's maximum for a proof item's 设定依据. */
export const LEGAL_BASIS_MAX_CHARS = 2000;

/** The most a legal basis in the body adds to it: at most 4 UTF-8 bytes per character as JSON, and the member name. */
export const LEGAL_BASIS_MAX_BODY_BYTES = LEGAL_BASIS_MAX_CHARS * 4 + 32;

const REFERENCE = /^sm3:[0-9a-f]{64}$/;
/** control characters other than the line feed that separates the lines of a legal basis */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether a text can be a legal basis in a request body: not blank, at most LEGAL_BASIS_MAX_CHARS
 * characters, lines separated by LF but no other control character (no CR, tab, NUL, DEL…), no
 * lone surrogate.
 */
export function isLegalBasisText(text: unknown): text is string {
  return typeof text === 'string' && text.trim() !== '' && !CONTROL.test(text) && !LONE_SURROGATE.test(text) && [...text].length <= LEGAL_BASIS_MAX_CHARS;
}

/** Whether a consumer may state this legal basis: it fits the header, or the body carries it. */
export function isLegalBasis(text: unknown): text is string {
  return typeof text === 'string' && (isHeaderText(text) || isLegalBasisText(text));
}

/** The reference the header carries for a legal basis in the body. */
export function legalBasisReference(text: string): string {
  return `sm3:${sm3Hex(text)}`;
}

/** Whether a (decoded) x-mz-legal-basis header is a reference: the body then carries the legal basis. */
export function isLegalBasisReference(headerText: string | undefined): boolean {
  return headerText !== undefined && REFERENCE.test(headerText);
}

/**
 * How a legal basis travels: the header's text and, when it does not fit the header, the body's
 * `legalBasis`. A text that reads like a reference travels in the body too, so the header is never
 * ambiguous.
 */
export function legalBasisTransport(text: string): { header: string; body?: string } {
  return isHeaderText(text) && !REFERENCE.test(text) ? { header: text } : { header: legalBasisReference(text), body: text };
}

/**
 * The legal basis a request states, as a node reads it: the decoded header, or — when the header
 * is a reference — the body's `legalBasis` (undefined when the body has none), which must be the
 * text referred to. Returns the problem when they do not agree.
 */
export function statedLegalBasis(headerText: string, bodyValue: unknown): { ok: true; text: string } | { ok: false; problem: string } {
  if (bodyValue === undefined) {
    if (isLegalBasisReference(headerText)) return { ok: false, problem: 'x-mz-legal-basis refers to a legal basis the body does not carry' };
    return { ok: true, text: headerText };
  }
  if (!isLegalBasisText(bodyValue)) return { ok: false, problem: `legalBasis must be a text of at most ${LEGAL_BASIS_MAX_CHARS} characters, without control characters other than line feeds` };
  if (headerText !== legalBasisReference(bodyValue)) return { ok: false, problem: 'x-mz-legal-basis is not the sm3: reference of the body\'s legalBasis' };
  return { ok: true, text: bodyValue };
}

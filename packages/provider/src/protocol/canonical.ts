/**
 * Protocol MZX1: the canonical strings both sides sign, the headers that carry them, and
 * the checks of their formats. Pure: no I/O, no clock, no key handling.
 *
 * A request is signed over (one field per line, LF-separated, no trailing LF):
 *
 *   MZX1-REQUEST
 *   <method>                     POST
 *   <path>                       /v1/items/<itemCode>/query  (no query string)
 *   <content-sm3>                lowercase hex SM3 of the exact body bytes
 *   <timestamp>                  ISO 8601 UTC with milliseconds, e.g. 2026-03-01T08:00:00.000Z
 *   <nonce>                      16–64 characters of base64url, new for every request
 *   <consumer>                   consumer id (the department id in the platform directory)
 *   <key-id>                     consumer key id
 *   <suite>                      SM2-SM3 | Ed25519
 *   <purpose>                    purpose code
 *   <application>                application reference, percent-encoded UTF-8 exactly as sent
 *   <legal-basis>                legal basis, percent-encoded UTF-8 exactly as sent — or, for one too long
 *                                for a header, `sm3:<hex>` of the text the body carries (legal-basis.ts)
 *   <node>                       the provider node the request is for (x-mz-node): a node refuses a
 *                                request naming another (wrong_node), so one captured on its way to
 *                                one node cannot be replayed to another offering the same item
 *
 * The <node> line is there when the request carries x-mz-node — this platform always sends it;
 * a request of an earlier release without it is refused unless the node takes unbound requests
 * (acceptUnboundRequests, for the time of an upgrade).
 * A response is signed over:
 *
 *   MZX1-RESPONSE
 *   <status>                     HTTP status code
 *   <request-sm3>                SM3 of the canonical request string the node rebuilt (binds the answer to the request)
 *   <content-sm3>                SM3 of the exact response body bytes
 *   <timestamp>
 *   <node>                       provider node id
 *   <key-id>                     node key id
 *   <suite>
 *
 * Every value is restricted to characters that cannot contain a line feed, so no field can
 * be shifted into another. SM2 signatures use the default distinguishing ID
 * 1234567812345678 and are raw r||s (64 bytes); all signatures travel base64-encoded.
 *
 * Either side may sign several canonical strings at once (batch.ts): the signature then
 * covers the batch statement of their SM3 Merkle root, and the header x-mz-batch carries the
 * message's inclusion proof. Without that header the signature covers the canonical string.
 * Batches are sent only to a side that said it understands them (x-mz-accept-batch: 1 on
 * its last message), so nodes and platforms of earlier releases keep working unchanged.
 */
import { BATCH_HEADER, encodeBatchProof, parseBatchProof, type BatchProof } from './batch.ts';

export const PROTOCOL = 'MZX1';
export const FRESHNESS_MS = 5 * 60 * 1000;

export const H = {
  consumer: 'x-mz-consumer',
  keyId: 'x-mz-key-id',
  suite: 'x-mz-suite',
  timestamp: 'x-mz-timestamp',
  nonce: 'x-mz-nonce',
  purpose: 'x-mz-purpose',
  application: 'x-mz-application',
  legalBasis: 'x-mz-legal-basis',
  contentSm3: 'x-mz-content-sm3',
  signature: 'x-mz-signature',
  batch: BATCH_HEADER,
  node: 'x-mz-node',
  requestSm3: 'x-mz-request-sm3',
  /** unsigned capability hint, on requests and answers: "1" = this side understands x-mz-batch */
  acceptBatch: 'x-mz-accept-batch',
} as const;

export type Suite = 'SM2-SM3' | 'Ed25519';
export const SUITES: readonly Suite[] = ['SM2-SM3', 'Ed25519'];

export const FORMATS = {
  consumer: /^[A-Za-z0-9._-]{1,64}$/,
  node: /^[A-Za-z0-9._-]{1,64}$/,
  keyId: /^[A-Za-z0-9._:#-]{1,128}$/,
  nonce: /^[A-Za-z0-9_-]{16,64}$/,
  purpose: /^[a-z][a-z0-9_]{0,31}$/,
  timestamp: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  sm3: /^[0-9a-f]{64}$/,
  /** percent-encoded UTF-8 (encodeURIComponent output) */
  encoded: /^[A-Za-z0-9\-_.!~*'()%]{1,1536}$/,
  signature: /^[A-Za-z0-9+/]{40,200}={0,2}$/,
} as const;

export interface RequestFields {
  method: string;
  path: string;
  contentSm3: string;
  timestamp: string;
  nonce: string;
  consumer: string;
  keyId: string;
  suite: Suite;
  purpose: string;
  /** percent-encoded as sent */
  application: string;
  /** percent-encoded as sent */
  legalBasis: string;
  /** the provider node the request is for; absent only in requests of earlier releases */
  node?: string;
}

export interface ResponseFields {
  status: number;
  requestSm3: string;
  contentSm3: string;
  timestamp: string;
  node: string;
  keyId: string;
  suite: Suite;
}

export function canonicalRequest(f: RequestFields): string {
  const lines = [`${PROTOCOL}-REQUEST`, f.method, f.path, f.contentSm3, f.timestamp, f.nonce, f.consumer, f.keyId, f.suite, f.purpose, f.application, f.legalBasis];
  return (f.node === undefined ? lines : [...lines, f.node]).join('\n');
}

export function canonicalResponse(f: ResponseFields): string {
  return [`${PROTOCOL}-RESPONSE`, String(f.status), f.requestSm3, f.contentSm3, f.timestamp, f.node, f.keyId, f.suite].join('\n');
}

export function queryPath(itemCode: string): string {
  return `/v1/items/${itemCode}/query`;
}

/** Percent-encodes a free-text header value (application reference, legal basis). */
export function encodeHeaderText(text: string): string {
  return encodeURIComponent(text);
}

/**
 * Whether a free text can travel in a request header (application reference, legal basis) the
 * way a node reads it: not blank, no control character, no lone surrogate (it has no UTF-8), and
 * at most 1,536 characters percent-encoded (FORMATS.encoded) — about 170 Chinese characters. A
 * consumer checks this before signing, so a text a node would refuse is never sent. A legal basis
 * that does not fit travels in the body, its SM3 reference in the header (legal-basis.ts).
 */
export function isHeaderText(text: string): boolean {
  if (!isPlainText(text)) return false;
  try {
    return FORMATS.encoded.test(encodeHeaderText(text));
  } catch {
    return false; // URIError: a lone surrogate
  }
}

/** A free text as a node takes it once decoded: not blank, no control character. */
function isPlainText(text: string): boolean {
  return text.trim() !== '' && !/[\u0000-\u001f\u007f]/.test(text);
}

export function decodeHeaderText(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/** Whether a timestamp is within ±FRESHNESS_MS of now. */
export function isFresh(timestamp: string, nowMs: number, windowMs = FRESHNESS_MS): boolean {
  if (!FORMATS.timestamp.test(timestamp)) return false;
  const t = Date.parse(timestamp);
  return Number.isFinite(t) && Math.abs(nowMs - t) <= windowMs;
}

/** Headers of a signed request, with the batch proof when the signature covers a batch. */
export function requestHeaders(f: RequestFields, signatureB64: string, proof?: BatchProof): Record<string, string> {
  return {
    [H.consumer]: f.consumer, [H.keyId]: f.keyId, [H.suite]: f.suite, [H.timestamp]: f.timestamp, [H.nonce]: f.nonce,
    [H.purpose]: f.purpose, [H.application]: f.application, [H.legalBasis]: f.legalBasis, [H.contentSm3]: f.contentSm3, [H.signature]: signatureB64,
    ...(f.node === undefined ? {} : { [H.node]: f.node }), ...(proof ? { [H.batch]: encodeBatchProof(proof) } : {}),
  };
}

export function responseHeaders(f: ResponseFields, signatureB64: string, proof?: BatchProof): Record<string, string> {
  return {
    [H.node]: f.node, [H.keyId]: f.keyId, [H.suite]: f.suite, [H.timestamp]: f.timestamp, [H.requestSm3]: f.requestSm3,
    [H.contentSm3]: f.contentSm3, [H.signature]: signatureB64, ...(proof ? { [H.batch]: encodeBatchProof(proof) } : {}),
  };
}

type HeaderBag = Record<string, string | string[] | undefined>;

function one(h: HeaderBag, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v;
}

/**
 * Reads the request headers a node needs. `missing` names the first absent header (the
 * request is unsigned when the signature header is among them), `invalid` the first one
 * with a wrong format.
 */
export function readRequestHeaders(h: HeaderBag): { ok: true; fields: Omit<RequestFields, 'method' | 'path'>; signature: string; proof: BatchProof | undefined } | { ok: false; missing?: string; invalid?: string } {
  const get = (n: string) => one(h, n);
  const order: Array<[string, RegExp | readonly string[]]> = [
    [H.signature, FORMATS.signature], [H.consumer, FORMATS.consumer], [H.keyId, FORMATS.keyId], [H.suite, SUITES], [H.timestamp, FORMATS.timestamp],
    [H.nonce, FORMATS.nonce], [H.purpose, FORMATS.purpose], [H.application, FORMATS.encoded], [H.legalBasis, FORMATS.encoded], [H.contentSm3, FORMATS.sm3],
  ];
  for (const [name, format] of order) {
    const v = get(name);
    if (v === undefined || v === '') return { ok: false, missing: name };
    const good = Array.isArray(format) ? (format as readonly string[]).includes(v) : (format as RegExp).test(v);
    if (!good) return { ok: false, invalid: name };
  }
  for (const name of [H.application, H.legalBasis]) {
    const decoded = decodeHeaderText(get(name)!);
    if (decoded === undefined || !isPlainText(decoded)) return { ok: false, invalid: name };
  }
  const proof = parseBatchProof(get(H.batch));
  if (proof === null) return { ok: false, invalid: H.batch };
  const node = get(H.node);
  if (node !== undefined && !FORMATS.node.test(node)) return { ok: false, invalid: H.node };
  return {
    ok: true,
    signature: get(H.signature)!,
    proof,
    fields: {
      ...(node === undefined ? {} : { node }),
      consumer: get(H.consumer)!, keyId: get(H.keyId)!, suite: get(H.suite)! as Suite, timestamp: get(H.timestamp)!, nonce: get(H.nonce)!,
      purpose: get(H.purpose)!, application: get(H.application)!, legalBasis: get(H.legalBasis)!, contentSm3: get(H.contentSm3)!,
    },
  };
}

export function readResponseHeaders(h: HeaderBag): { ok: true; fields: Omit<ResponseFields, 'status'>; signature: string; proof: BatchProof | undefined } | { ok: false; problem: string } {
  const get = (n: string) => one(h, n);
  const checks: Array<[string, RegExp | readonly string[]]> = [
    [H.signature, FORMATS.signature], [H.node, FORMATS.node], [H.keyId, FORMATS.keyId], [H.suite, SUITES], [H.timestamp, FORMATS.timestamp],
    [H.requestSm3, FORMATS.sm3], [H.contentSm3, FORMATS.sm3],
  ];
  for (const [name, format] of checks) {
    const v = get(name);
    if (v === undefined) return { ok: false, problem: `missing ${name}` };
    const good = Array.isArray(format) ? (format as readonly string[]).includes(v) : (format as RegExp).test(v);
    if (!good) return { ok: false, problem: `invalid ${name}` };
  }
  const proof = parseBatchProof(get(H.batch));
  if (proof === null) return { ok: false, problem: `invalid ${H.batch}` };
  return {
    ok: true,
    signature: get(H.signature)!,
    proof,
    fields: { node: get(H.node)!, keyId: get(H.keyId)!, suite: get(H.suite)! as Suite, timestamp: get(H.timestamp)!, requestSm3: get(H.requestSm3)!, contentSm3: get(H.contentSm3)! },
  };
}

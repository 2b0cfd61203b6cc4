/** The consumer's half of MZX1: building a request to sign, and checking a signed answer before use. */
import { randomFillSync } from 'node:crypto';
import {
  canonicalRequest, canonicalResponse, encodeHeaderText, FRESHNESS_MS, H, isFresh, queryPath, readResponseHeaders, requestHeaders,
  type RequestFields, type Suite,
} from './canonical.ts';
import { encodeBatchProof, type BatchProof, type VerifiedStatements } from './batch.ts';
import { legalBasisTransport } from './legal-basis.ts';
import { sm3Hex, verifyMessage } from './messages.ts';

export interface QueryToSign {
  /** the provider node the request is for (signed: another node refuses it) */
  node: string;
  itemCode: string;
  params: Record<string, unknown>;
  consumer: string;
  keyId: string;
  suite: Suite;
  purpose: string;
  applicationRef: string;
  legalBasis: string;
  /** defaults: now, 16 random bytes */
  timestamp?: string;
  nonce?: string;
}

export interface PreparedRequest {
  path: string;
  body: string;
  fields: RequestFields;
  /** the canonical string to sign */
  canonical: string;
  /** SM3 of the canonical string: the answer must carry it */
  requestSm3: string;
}

// Nonces come from a pool of CSPRNG bytes refilled 256 nonces at a time: one randomFillSync per 256 requests.
const noncePool = Buffer.alloc(16 * 256);
let nonceOffset = noncePool.length;

/** 16 fresh random bytes, base64url (22 characters). */
export function newNonce(): string {
  if (nonceOffset >= noncePool.length) {
    randomFillSync(noncePool);
    nonceOffset = 0;
  }
  const nonce = noncePool.toString('base64url', nonceOffset, nonceOffset + 16);
  noncePool.fill(0, nonceOffset, nonceOffset + 16); // a used nonce is not left in memory to be handed out twice
  nonceOffset += 16;
  return nonce;
}

/**
 * The request to sign. The legal basis travels whole: in its header when it fits there, otherwise
 * in the body with its SM3 reference in the header (legal-basis.ts) — `{"params":{…}}` or
 * `{"params":{…},"legalBasis":"…"}`.
 */
export function prepareRequest(q: QueryToSign): PreparedRequest {
  const path = queryPath(q.itemCode);
  const legalBasis = legalBasisTransport(q.legalBasis);
  const body = JSON.stringify(legalBasis.body === undefined ? { params: q.params } : { params: q.params, legalBasis: legalBasis.body });
  const fields: RequestFields = {
    method: 'POST', path, contentSm3: sm3Hex(body), timestamp: q.timestamp ?? new Date().toISOString(), nonce: q.nonce ?? newNonce(),
    consumer: q.consumer, keyId: q.keyId, suite: q.suite, purpose: q.purpose, application: encodeHeaderText(q.applicationRef), legalBasis: encodeHeaderText(legalBasis.header),
    node: q.node,
  };
  const canonical = canonicalRequest(fields);
  return { path, body, fields, canonical, requestSm3: sm3Hex(canonical) };
}

/** All request headers, given the signature (base64) over `prepared.canonical` — or over its batch, with the proof. */
export function signedHeaders(prepared: PreparedRequest, signatureB64: string, proof?: BatchProof): Record<string, string> {
  return { 'content-type': 'application/json', ...requestHeaders(prepared.fields, signatureB64, proof), [H.acceptBatch]: '1' };
}

export interface ProviderKeyRef { keyId: string; suite: Suite; publicKey: string }

export type ResponseCheck =
  | { ok: true; keyId: string; suite: Suite; signature: string; contentSm3: string; timestamp: string; /** encoded x-mz-batch proof when the node signed a batch */ batch: string | null }
  | { ok: false; problem: string };

/**
 * Verifies a node's answer before anything in it is used: the node id, a registered key
 * of that node, the signature over status + request digest + body digest, that the answer
 * is bound to this very request, that the body is the one signed, and (for answers) its freshness.
 */
export function checkResponse(
  res: { status: number; headers: Record<string, string | string[] | undefined>; body: string },
  expected: { nodeId: string; requestSm3: string; keys: readonly ProviderKeyRef[]; nowMs: number; windowMs?: number; verified?: VerifiedStatements },
): ResponseCheck {
  const read = readResponseHeaders(res.headers);
  if (!read.ok) return { ok: false, problem: `unsigned answer (${read.problem})` };
  const f = read.fields;
  if (f.node !== expected.nodeId) return { ok: false, problem: `answer from node ${f.node}, expected ${expected.nodeId}` };
  const key = expected.keys.find((k) => k.keyId === f.keyId && k.suite === f.suite);
  if (!key) return { ok: false, problem: `answer signed with unregistered key ${f.keyId}` };
  const contentSm3 = sm3Hex(res.body);
  if (contentSm3 !== f.contentSm3) return { ok: false, problem: 'body digest does not match the body' };
  if (f.requestSm3 !== expected.requestSm3) return { ok: false, problem: 'answer is bound to a different request' };
  // The request digest already binds the answer to this request (fresh nonce and timestamp), so an
  // old answer can never pass for a new one; freshness of answers is checked as a second line. A
  // signed rejection is accepted whatever its time, so a consumer with a wrong clock learns "stale".
  if (res.status === 200 && !isFresh(f.timestamp, expected.nowMs, expected.windowMs ?? FRESHNESS_MS)) return { ok: false, problem: 'answer timestamp outside the allowed window' };
  if (!verifyMessage(f.suite, key.publicKey, canonicalResponse({ ...f, status: res.status }), read.signature, read.proof, expected.verified)) return { ok: false, problem: 'answer signature does not verify' };
  return { ok: true, keyId: f.keyId, suite: f.suite, signature: read.signature, contentSm3, timestamp: f.timestamp, batch: read.proof ? encodeBatchProof(read.proof) : null };
}

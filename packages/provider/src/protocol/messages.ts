/** Bodies of MZX1 requests and answers, and the digest/signature helpers both sides use. */
import { hash } from 'node:crypto';
import { getSuite } from '@mianzheng/crypto';
import { signedTextFor, type BatchProof, type VerifiedStatements } from './batch.ts';
import type { Suite } from './canonical.ts';

/** The request body: the parameters of the query, nothing else. */
export interface QueryBody { params: Record<string, unknown> }

/** 200: the node answered the question (or found no record). */
export interface AnswerBody {
  item: string;
  outcome: 'answered' | 'not_found';
  /** absent when not_found */
  answer?: Record<string, unknown>;
  /** how current the data behind the answer is (the source's own update time) */
  asOf: string;
  answeredAt: string;
}

/**
 * The largest answer body a consumer reads (1 MiB). A node whose answer would be larger refuses
 * the query as `too_many_records` rather than send what the consumer cuts off.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** 4xx/5xx: why the node rejected the query. */
export interface RejectionBody {
  error: { code: string; reason: string; message: string; messageEn: string; field?: string };
}

/** SM3 (GB/T 32905) in lowercase hex, on the SM3 of Node's OpenSSL (as @mianzheng/crypto's sm3); one-shot, no Hash object. */
export function sm3Hex(data: string | Uint8Array): string {
  return hash('sm3', data, 'hex');
}

const utf8 = new TextEncoder();

export function signText(suite: Suite, privateKey: Uint8Array, text: string): string {
  const sig = getSuite(suite).sign(privateKey, utf8.encode(text));
  return Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength).toString('base64');
}

/** Never throws: a malformed key or signature is simply false. */
export function verifyText(suite: Suite, publicKeyHex: string, text: string, signatureB64: string): boolean {
  try {
    const sig = Buffer.from(signatureB64, 'base64');
    const pub = Buffer.from(publicKeyHex, 'hex');
    return getSuite(suite).verify(new Uint8Array(pub.buffer, pub.byteOffset, pub.byteLength), utf8.encode(text), new Uint8Array(sig.buffer, sig.byteOffset, sig.byteLength));
  } catch {
    return false;
  }
}

/**
 * Verifies the signature that proves a canonical string: directly, or — with a batch proof —
 * over the batch statement the proof leads to. `verified` remembers batch statements already
 * checked, so the rest of a batch costs its proof only. Never throws.
 */
export function verifyMessage(suite: Suite, publicKeyHex: string, canonical: string, signatureB64: string, proof?: BatchProof, verified?: VerifiedStatements): boolean {
  const text = signedTextFor(canonical, proof);
  if (text === null) return false;
  if (!proof || !verified) return verifyText(suite, publicKeyHex, text, signatureB64);
  return verified.verify(suite, publicKeyHex, text, signatureB64, () => verifyText(suite, publicKeyHex, text, signatureB64));
}

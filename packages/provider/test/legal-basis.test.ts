/**
 * A query carries its legal basis whole, up to the catalog's 2,000 characters over several lines:
 * in the signed header when it fits there (as before: one line, ≤ 1,536 characters
 * percent-encoded), otherwise in the signed body with its SM3 reference in the header. The node
 * writes the whole text to its trail; the control-character rules of the header are unchanged.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProviderNode, type ProviderNode } from '../src/node/server.ts';
import type { TrailEntry } from '../src/node/trail.ts';
import { canonicalRequest, encodeHeaderText, isHeaderText, requestHeaders } from '../src/protocol/canonical.ts';
import { prepareRequest, signedHeaders } from '../src/protocol/client.ts';
import {
  isLegalBasis, isLegalBasisText, LEGAL_BASIS_MAX_CHARS, legalBasisReference, legalBasisTransport, statedLegalBasis,
} from '../src/protocol/legal-basis.ts';
import { signText, sm3Hex } from '../src/protocol/messages.ts';
import { marriageNodeConfig, MARRIED, newConsumer, sendQuery, tmpDir } from './support.ts';

/** A legal basis as a catalog holds it: several provisions, one per line, 2,000 characters in all. */
function catalogLegalBasis(chars = LEGAL_BASIS_MAX_CHARS): string {
  const lines = ['1.《婚姻登记条例》第五条:办理结婚登记的内地居民应当出具本人的户口簿、身份证和本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明。',
    '2.《中华人民共和国民法典》第一千零四十九条:要求结婚的男女双方应当亲自到婚姻登记机关申请结婚登记。',
    '3.《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》(国办发〔2020〕42号)。'];
  let text = lines.join('\n');
  while ([...text].length < chars) text += `\n${lines[[...text].length % 3]}`;
  return [...text].slice(0, chars).join('');
}

const consumer = newConsumer('mas-ga', 'Ed25519');
let dir: string;
let node: ProviderNode;

function trail(): TrailEntry[] {
  return fs.readFileSync(path.join(dir, 'trail.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrailEntry);
}
const entryOf = (requestSm3: string) => trail().find((e) => e.requestSm3 === requestSm3)!;

beforeAll(async () => {
  dir = tmpDir();
  // the smallest body a node may be configured to take: a legal basis in the body has room on top of it
  node = await startProviderNode(marriageNodeConfig(dir, [consumer], { maxBodyBytes: 256 }));
});
afterAll(async () => {
  await node?.close();
});

describe('the legal basis travels whole', () => {
  it('a short one-line legal basis stays in its header, the body as before (nodes of an earlier release read it unchanged)', async () => {
    const prepared = prepareRequest({ node: 'node-test-mz', itemCode: 'marriage-status', params: { idNumber: MARRIED }, consumer: 'mas-ga', keyId: 'k', suite: 'Ed25519', purpose: 'application_review', applicationRef: 'BJ-1', legalBasis: '《婚姻登记条例》第五条' });
    expect(prepared.body).toBe(JSON.stringify({ params: { idNumber: MARRIED } }));
    expect(decodeURIComponent(prepared.fields.legalBasis)).toBe('《婚姻登记条例》第五条');
    const r = await sendQuery(node.url, consumer, { legalBasis: '《婚姻登记条例》第五条' });
    expect(r.json.outcome).toBe('answered');
    expect(entryOf(r.requestSm3).legalBasis).toBe('《婚姻登记条例》第五条');
  });

  it('the catalog\'s longest legal basis (2,000 characters, several lines) reaches the node and its trail whole', async () => {
    const basis = catalogLegalBasis();
    expect([...basis].length).toBe(LEGAL_BASIS_MAX_CHARS);
    expect(basis).toContain('\n');
    expect(isHeaderText(basis)).toBe(false); // what made such a query impossible before
    const prepared = prepareRequest({ node: 'node-test-mz', itemCode: 'marriage-status', params: { idNumber: MARRIED }, consumer: 'mas-ga', keyId: 'k', suite: 'Ed25519', purpose: 'application_review', applicationRef: 'BJ-1', legalBasis: basis });
    expect(JSON.parse(prepared.body)).toEqual({ params: { idNumber: MARRIED }, legalBasis: basis });
    expect(decodeURIComponent(prepared.fields.legalBasis)).toBe(legalBasisReference(basis));
    expect(legalBasisReference(basis)).toMatch(/^sm3:[0-9a-f]{64}$/);

    const r = await sendQuery(node.url, consumer, { legalBasis: basis });
    expect(r.status, r.text).toBe(200);
    expect(r.json.outcome).toBe('answered');
    expect(entryOf(r.requestSm3).legalBasis).toBe(basis);
  });

  it('one of ~170 Chinese characters on one line — the old limit — goes either way, and one character more travels in the body', async () => {
    for (const n of [170, 171, 400, 1999]) {
      const basis = '依'.repeat(n);
      const r = await sendQuery(node.url, consumer, { legalBasis: basis });
      expect(r.status, `${n}: ${r.text}`).toBe(200);
      expect(entryOf(r.requestSm3).legalBasis).toBe(basis);
    }
    expect(legalBasisTransport('依'.repeat(170)).body).toBeUndefined();
    expect(legalBasisTransport('依'.repeat(171)).body).toBe('依'.repeat(171));
  });

  it('the headers of the largest request a platform sends stay far below Node\'s header limit (a 2,000-character basis in a header would not)', () => {
    const prepared = prepareRequest({ node: 'node-test-mz', itemCode: 'marriage-status', params: { idNumber: MARRIED }, consumer: 'mas-ga', keyId: 'k'.repeat(128), suite: 'Ed25519', purpose: 'application_review', applicationRef: '办'.repeat(128), legalBasis: catalogLegalBasis() });
    const headers = signedHeaders(prepared, 'A'.repeat(88));
    const bytes = Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
    expect(bytes).toBeLessThan(http.maxHeaderSize / 4);
    for (const v of Object.values(headers)) expect(v.length).toBeLessThanOrEqual(1536);
    // had it travelled in its header, 2,000 Chinese characters alone (18,000 bytes percent-encoded) would pass Node's limit for all headers
    expect(encodeURIComponent('依'.repeat(LEGAL_BASIS_MAX_CHARS)).length).toBeGreaterThan(http.maxHeaderSize);
  });
});

describe('what the node refuses (malformed_request, field legalBasis), signed and in its trail', () => {
  /** a request whose body and x-mz-legal-basis (decoded) the consumer made and signed itself */
  async function sendBody(body: Record<string, unknown>, headerText: string): Promise<Awaited<ReturnType<typeof sendQuery>>> {
    const base = prepareRequest({ node: 'node-test-mz', itemCode: 'marriage-status', params: {}, consumer: consumer.id, keyId: consumer.keyId, suite: consumer.suite, purpose: 'application_review', applicationRef: 'BJ-2026-000001', legalBasis: '-' });
    const text = JSON.stringify(body);
    const fields = { ...base.fields, contentSm3: sm3Hex(text), legalBasis: encodeHeaderText(headerText) };
    const canonical = canonicalRequest(fields);
    const res = await fetch(node.url + base.path, { method: 'POST', headers: { 'content-type': 'application/json', ...requestHeaders(fields, signText(consumer.suite, consumer.privateKey, canonical)) }, body: text });
    const answer = await res.text();
    return { status: res.status, headers: {}, text: answer, json: JSON.parse(answer), requestSm3: sm3Hex(canonical) };
  }
  const refused = (r: Awaited<ReturnType<typeof sendQuery>>) => {
    expect(r.status, r.text).toBe(400);
    expect(r.json.error).toMatchObject({ reason: 'malformed_request', field: 'legalBasis' });
    expect(entryOf(r.requestSm3)).toMatchObject({ reason: 'malformed_request', field: 'legalBasis', authenticated: true });
  };
  const params = { idNumber: MARRIED };

  it('a body text that is not the one the header refers to', async () => {
    const basis = catalogLegalBasis(300);
    refused(await sendBody({ params, legalBasis: `${basis}。` }, legalBasisReference(basis)));
    // a plain header and a body text: the header does not refer to it
    refused(await sendBody({ params, legalBasis: '第五条\n第六条' }, '《婚姻登记条例》第五条'));
    // a reference whose text the body does not carry
    refused(await sendBody({ params }, legalBasisReference(basis)));
  });

  it('control characters other than line feeds, a text over 2,000 characters, a blank one or not a text at all — even when the reference matches', async () => {
    for (const bad of ['第五条\r\n第六条', '第五条\t第六条', '第五条\u0000', '第五条\u007f', '第五条\u001b[31m', `${catalogLegalBasis()}条`, ' \n ']) {
      refused(await sendBody({ params, legalBasis: bad }, legalBasisReference(bad)));
    }
    refused(await sendBody({ params, legalBasis: ['第五条'] }, legalBasisReference('第五条')));
  });

  it('the header keeps its rules: a control character percent-encoded in it is still malformed', async () => {
    const r = await sendQuery(node.url, consumer, {}, { headers: { 'x-mz-legal-basis': encodeURIComponent('第五条\n第六条') } });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ reason: 'malformed_request', field: 'x-mz-legal-basis' });
  });

  it('the room for a legal basis in the body is given only to a request whose header refers to one', async () => {
    // a body of maxBodyBytes + 1 without a reference in the header is refused as too large, as before
    const r = await sendQuery(node.url, consumer, {}, { signedBody: JSON.stringify({ params, pad: 'x'.repeat(300) }) });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ reason: 'malformed_request', field: 'body' });
    expect(r.json.error.message).toContain('too large');
  });
});

describe('the checks, as both sides use them', () => {
  it('isLegalBasis: what fits the header, or what the body carries', () => {
    expect(isLegalBasis('《婚姻登记条例》第五条')).toBe(true);
    expect(isLegalBasis(catalogLegalBasis())).toBe(true);
    expect(isLegalBasis(`${catalogLegalBasis()}条`)).toBe(false);
    expect(isLegalBasis('𠀀'.repeat(LEGAL_BASIS_MAX_CHARS))).toBe(true); // characters, not UTF-16 units
    for (const bad of ['', '  ', '第五条\r\n第六条', '第五条\u0085', '第五条\ud800', '\udc00第五条', 42, null, undefined]) {
      expect(isLegalBasis(bad) && bad !== '第五条\u0085', JSON.stringify(bad)).toBe(false);
    }
    expect(isLegalBasisText('第五条\n第六条')).toBe(true);
  });

  it('statedLegalBasis: the header text, or the body text it refers to', () => {
    expect(statedLegalBasis('第五条', undefined)).toEqual({ ok: true, text: '第五条' });
    expect(statedLegalBasis(legalBasisReference('第五条\n第六条'), '第五条\n第六条')).toEqual({ ok: true, text: '第五条\n第六条' });
    expect(statedLegalBasis(legalBasisReference('第五条'), undefined).ok).toBe(false);
    // a text that looks like a reference travels in the body, so a header is never read both ways
    const lookalike = `sm3:${'a'.repeat(64)}`;
    expect(legalBasisTransport(lookalike)).toEqual({ header: legalBasisReference(lookalike), body: lookalike });
  });

  it('the signature covers the body text: a changed legal basis no longer verifies', async () => {
    const basis = catalogLegalBasis(500);
    const prepared = prepareRequest({ node: 'node-test-mz', itemCode: 'marriage-status', params: { idNumber: MARRIED }, consumer: consumer.id, keyId: consumer.keyId, suite: consumer.suite, purpose: 'application_review', applicationRef: 'BJ-2026-000001', legalBasis: basis });
    const headers = signedHeaders(prepared, signText(consumer.suite, consumer.privateKey, prepared.canonical));
    const forged = prepared.body.replace('第五条', '第六条');
    const res = await fetch(node.url + prepared.path, { method: 'POST', headers, body: forged });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { reason: string } }).error.reason).toBe('digest_mismatch');
  });
});

/**
 * The provider node: a small HTTP service a department runs next to its own system. It
 * answers signed, purpose-bound MZX1 queries about the data items it offers, signs every
 * answer, and keeps its own hash-chained trail of every exchange.
 *
 * Order of checks (each failure is answered with its precise reason and written to the trail):
 * headers present (unsigned / malformed_request) → consumer known (unknown_consumer) → key
 * registered for that consumer (unknown_key) → timestamp within ±5 min (stale) → body digest
 * (digest_mismatch) → signature (bad_signature) → nonce new (replayed) and recorded (busy, when
 * the nonce store is full: a request whose nonce cannot be recorded is never answered) → item offered
 * (item_not_offered) → consumer allowed the item (item_not_allowed) and the purpose
 * (purpose_not_allowed) → parameters match the item definition (invalid_params) → source
 * (source_unavailable) → the answer fits one exchange (too_many_records).
 */
import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { canonicalize } from '@mianzheng/crypto';
import {
  canonicalRequest, canonicalResponse, decodeHeaderText, H, isFresh, readRequestHeaders, responseHeaders, type RequestFields,
} from '../protocol/canonical.ts';
import { checkAnswer, MAX_RECORDS, validateParams } from '../protocol/items.ts';
import { isLegalBasisReference, LEGAL_BASIS_MAX_BODY_BYTES, statedLegalBasis } from '../protocol/legal-basis.ts';
import { BatchSigner, VerifiedStatements, type BatchProof } from '../protocol/batch.ts';
import { MAX_ANSWER_BYTES, signText, sm3Hex, verifyMessage, type AnswerBody, type RejectionBody } from '../protocol/messages.ts';
import { NODE_REJECTIONS, type NodeRejection } from '../protocol/reasons.ts';
import { deriveAnswer } from './answer.ts';
import { NodeConfigError, nodeConfigWarnings, type ConsumerConfig, type ItemConfig, type NodeConfig } from './config.ts';
import { loadOrCreateNodeKey, loadOrCreateParamsKey, type NodeKey } from './keys.ts';
import { NonceStore } from './nonce-store.ts';
import { Trail, type TrailRecord } from './trail.ts';
import { openSource, SourceError, type DataSource } from '../sources/source.ts';

export interface ProviderNode {
  readonly nodeId: string;
  readonly url: string;
  readonly port: number;
  readonly key: { keyId: string; suite: NodeKey['suite']; publicKey: string };
  /** whether the key file was created by this start */
  readonly keyCreated: boolean;
  readonly trail: Trail;
  stats(): NodeStats;
  /**
   * Replaces the consumers (who may ask what, with which keys) without a restart — what a
   * department does after the platform exports a new consumer list. Requests already being
   * checked finish under the list they started with; nonces are kept.
   */
  reloadConsumers(consumers: readonly ConsumerConfig[]): void;
  close(): Promise<void>;
}

export interface NodeStats {
  requests: number; answered: number; notFound: number; rejected: Record<string, number>; trailSeq: number;
  /** nonces held (replay protection), and the most it holds (maxNonces) */
  nonces: number; maxNonces: number;
  /** answers signed, and the signatures made for them (batch signatures: fewer signatures than answers under load) */
  signing: { answers: number; signatures: number };
}

export interface StartOptions {
  /** clock, for tests */
  now?: () => Date;
  /** log lines (default: none) */
  log?: (line: string) => void;
  /**
   * Behave as a node of the release before batch signatures (for compatibility tests): it
   * neither advertises nor understands x-mz-batch, and signs every answer alone.
   */
  withoutBatchSignatures?: boolean;
}

const QUERY_PATH = /^\/v1\/items\/([a-z][a-z0-9-]{1,47})\/query$/;
const ZERO = '0'.repeat(64);

class Rejection extends Error {
  constructor(readonly reason: NodeRejection, readonly field?: string, readonly detail?: string) {
    super(reason);
  }
}

/**
 * The request body, up to `maxBytes`. A larger one (declared, or as it arrives) is refused at
 * once — exactly once, however much more of it arrives — and the connection is closed after
 * the answer, so the sender cannot keep the node reading and discarding the rest until the
 * request timeout. Exported for its test.
 */
export function readBoundedBody(
  req: Pick<http.IncomingMessage, 'on' | 'headers'>, res: Pick<http.ServerResponse, 'headersSent' | 'setHeader'>, maxBytes: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let refused = false;
    const tooLarge = () => {
      if (refused) return; // the rest of the body is only drained
      refused = true;
      if (!res.headersSent) res.setHeader('connection', 'close');
      reject(new Rejection('malformed_request', 'body', 'too large'));
    };
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
      tooLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        tooLarge();
        chunks.length = 0;
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The warning lines the node logs once at start — what a valid configuration leaves unsafe
 * (nodeConfigWarnings). `mianzheng provider --check` prints these very lines, so a
 * configuration is judged the same way before a start as at it.
 */
export function startWarningLines(config: Pick<NodeConfig, 'sources'>): string[] {
  return nodeConfigWarnings(config).map((w) => `warning: ${w}`);
}

export async function startProviderNode(config: NodeConfig, options: StartOptions = {}): Promise<ProviderNode> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const { key, created } = loadOrCreateNodeKey(config.signing.keyFile, config.node.id, config.signing.suite);
  const paramsKey = loadOrCreateParamsKey(config.trail.paramsKeyFile);
  const nonces = new NonceStore(config.freshnessMs, config.maxNonces, now().getTime());
  const { trail, recent } = await Trail.open(config.trail.file, { fsync: config.trail.fsync, rotateBytes: config.trail.rotateBytes, recentMs: 2 * config.freshnessMs, nowMs: now().getTime() });
  for (const e of recent) {
    // every nonce the node recorded, even beyond maxNonces (then it is busy until they age out); a busy refusal recorded none
    if (e.authenticated && e.consumer && e.nonce && e.requestTimestamp && e.reason !== 'busy') nonces.restore(e.consumer, e.nonce, Date.parse(e.requestTimestamp), now().getTime());
  }
  const sources = new Map<string, DataSource>();
  try {
    for (const [name, s] of Object.entries(config.sources)) sources.set(name, await openSource(s));
    const problems = config.items.flatMap((i) => (sources.get(i.binding.source)!.missingColumns?.(i.binding) ?? [])
      .map((c) => `items (${i.definition.code}): source ${i.binding.source} has no column "${c}"`));
    if (problems.length) throw new NodeConfigError(problems, config.file);
  } catch (e) {
    for (const s of sources.values()) await s.close().catch(() => undefined);
    await trail.close();
    throw e;
  }
  for (const line of startWarningLines(config)) log(line);
  let consumers = new Map<string, ConsumerConfig>(config.consumers.map((c) => [c.id, c]));
  const items = new Map<string, ItemConfig>(config.items.map((i) => [i.definition.code, i]));
  const stats: Omit<NodeStats, 'signing'> = { requests: 0, answered: 0, notFound: 0, rejected: {}, nonces: 0, maxNonces: config.maxNonces, trailSeq: 0 };
  /** refusals since the nonce store filled up (logged when it fills and when it takes nonces again), or -1 while it is not full */
  let busyRefusals = -1;
  // Answers that become ready in the same event-loop turn (one trail commit) share one signature.
  const signer = new BatchSigner((text) => ({ signature: signText(key.suite, key.privateKey, text), keyId: key.keyId }), config.signing.maxBatch);
  const verified = new VerifiedStatements();

  const batching = !options.withoutBatchSignatures;
  /** answers signed alone (their consumer does not take batches): one signature each */
  let signedAlone = 0;

  /** Signs and sends an answer: with other answers of this turn when the consumer said it understands batches, alone otherwise. */
  async function send(res: http.ServerResponse, status: number, text: string, contentSm3: string, requestSm3: string, consumerBatches: boolean): Promise<void> {
    const fields = { status, requestSm3, contentSm3, timestamp: now().toISOString(), node: config.node.id, keyId: key.keyId, suite: key.suite };
    const canonical = canonicalResponse(fields);
    let signed: { signature: string; proof?: BatchProof };
    if (batching && consumerBatches) signed = await signer.sign(canonical);
    else {
      signed = { signature: signText(key.suite, key.privateKey, canonical) };
      signedAlone++;
    }
    const { signature, proof } = signed;
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...responseHeaders(fields, signature, proof),
      ...(batching ? { [H.acceptBatch]: '1' } : {}),
    });
    res.end(text);
  }

  function plain(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function rejectionBody(r: Rejection): RejectionBody {
    const [, zh, en] = NODE_REJECTIONS[r.reason];
    return { error: { code: `EXCHANGE.${r.reason.toUpperCase()}`, reason: r.reason, message: r.detail ? `${zh}:${r.detail}` : zh, messageEn: en, ...(r.field ? { field: r.field } : {}) } };
  }

  async function handleQuery(req: http.IncomingMessage, res: http.ServerResponse, itemCode: string): Promise<void> {
    const started = performance.now();
    stats.requests++;
    const record: TrailRecord = {
      at: now().toISOString(), consumer: null, keyId: null, item: itemCode, purpose: null, application: null, legalBasis: null, nonce: null,
      requestTimestamp: null, authenticated: false, requestSm3: null, paramsHmac: null, status: 0, outcome: 'rejected', reason: null, field: null,
      responseSm3: ZERO, asOf: null, durationMs: 0,
    };
    let status = 200;
    let body: AnswerBody | RejectionBody;
    /** the answer's JSON text, once the node has one */
    let answerText: string | undefined;
    let requestSm3 = ZERO;
    try {
      // a legal basis too long for its header travels in the body (its reference in the header): room for it on top
      const basisHeader = req.headers[H.legalBasis];
      const basisInBody = typeof basisHeader === 'string' && isLegalBasisReference(decodeHeaderText(basisHeader));
      const raw = await readBoundedBody(req, res, config.maxBodyBytes + (basisInBody ? LEGAL_BASIS_MAX_BODY_BYTES : 0));
      const read = readRequestHeaders(req.headers);
      if (!read.ok) {
        if (read.missing === H.signature) throw new Rejection('unsigned', H.signature);
        throw new Rejection('malformed_request', read.missing ?? read.invalid, read.missing ? `missing ${read.missing}` : `invalid ${read.invalid}`);
      }
      const f = read.fields;
      Object.assign(record, {
        consumer: f.consumer, keyId: f.keyId, purpose: f.purpose, nonce: f.nonce, requestTimestamp: f.timestamp,
        application: decodeHeaderText(f.application) ?? null, legalBasis: decodeHeaderText(f.legalBasis) ?? null,
      });
      // a request for another node (one captured on its way there), or one naming none where that is not taken
      if (f.node === undefined ? !config.acceptUnboundRequests : f.node !== config.node.id) {
        throw new Rejection('wrong_node', H.node, f.node === undefined ? 'the request names no node' : `the request is for node ${f.node}`);
      }
      const fields: RequestFields = { ...f, method: req.method ?? 'POST', path: req.url ?? '' };
      const canonical = canonicalRequest(fields);
      requestSm3 = sm3Hex(canonical);
      record.requestSm3 = requestSm3;
      const consumer = consumers.get(f.consumer);
      if (!consumer) throw new Rejection('unknown_consumer', H.consumer);
      const ckey = consumer.keys.find((k) => k.keyId === f.keyId && k.suite === f.suite);
      if (!ckey) throw new Rejection('unknown_key', H.keyId);
      const nowMs = now().getTime();
      if (!isFresh(f.timestamp, nowMs, config.freshnessMs)) throw new Rejection('stale', H.timestamp);
      if (sm3Hex(raw) !== f.contentSm3) throw new Rejection('digest_mismatch', H.contentSm3);
      if (!verifyMessage(f.suite, ckey.publicKey, canonical, read.signature, batching ? read.proof : undefined, verified)) throw new Rejection('bad_signature', H.signature);
      record.authenticated = true;
      const nonce = nonces.remember(f.consumer, f.nonce, Date.parse(f.timestamp), nowMs);
      if (nonce !== 'recorded') {
        if (nonce === 'replayed') throw new Rejection('replayed', H.nonce);
        if (busyRefusals < 0) {
          busyRefusals = 0;
          log(`nonce store full (${nonces.size} of maxNonces ${config.maxNonces}): refusing new requests (busy) until nonces leave the ${config.freshnessMs / 1000} s window`);
        }
        busyRefusals++;
        throw new Rejection('busy');
      }
      if (busyRefusals >= 0) {
        log(`nonce store takes nonces again (${nonces.size} of ${config.maxNonces}) after refusing ${busyRefusals} request(s) as busy`);
        busyRefusals = -1;
      }
      const item = items.get(itemCode);
      if (!item) throw new Rejection('item_not_offered', 'item');
      const allowed = consumer.allow.filter((a) => a.item === itemCode);
      if (allowed.length === 0) throw new Rejection('item_not_allowed', 'item');
      if (!allowed.some((a) => a.purposes.includes(f.purpose))) throw new Rejection('purpose_not_allowed', H.purpose);
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new Rejection('malformed_request', 'content-type', 'content-type must be application/json');
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new Rejection('malformed_request', 'body', 'not JSON');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.keys(parsed).some((k) => k !== 'params' && k !== 'legalBasis')) {
        throw new Rejection('malformed_request', 'body', 'the body must be { "params": { … } } (with "legalBasis" when x-mz-legal-basis is its sm3: reference)');
      }
      // the legal basis itself, when the header only refers to it: the trail keeps the whole text
      const stated = statedLegalBasis(decodeHeaderText(f.legalBasis)!, (parsed as { legalBasis?: unknown }).legalBasis);
      if (!stated.ok) throw new Rejection('malformed_request', 'legalBasis', stated.problem);
      record.legalBasis = stated.text;
      const checked = validateParams(item.definition, (parsed as { params?: unknown }).params ?? {});
      if (!checked.ok) throw new Rejection('invalid_params', checked.issue.field, checked.issue.problem);
      record.paramsHmac = createHmac('sm3', paramsKey).update(canonicalize(checked.params)).digest('hex');
      const source = sources.get(item.binding.source)!;
      const at = now();
      const fetched = await source.fetch(item.binding, checked.params, at);
      const asOfQuery = item.binding.asOf !== 'source' && 'query' in item.binding.asOf && source.asOf ? await source.asOf(item.binding.asOf.query) : undefined;
      // more records than one answer carries: refused whole, with the count (part of a list would read as all of it)
      if (item.definition.many && fetched.rows.length > MAX_RECORDS) throw new Rejection('too_many_records', undefined, `${fetched.rows.length} records; at most ${MAX_RECORDS}`);
      const derived = deriveAnswer(item, fetched.rows, fetched.snapshotAt, asOfQuery);
      if (derived.outcome === 'answered') {
        const problem = checkAnswer(item.definition, derived.answer);
        if (problem) throw new Error(`answer does not conform to the item definition: ${problem}`);
      }
      body = {
        item: itemCode, outcome: derived.outcome, ...(derived.outcome === 'answered' ? { answer: derived.answer } : {}),
        asOf: derived.asOf.toISOString(), answeredAt: at.toISOString(),
      };
      answerText = JSON.stringify(body);
      const bytes = Buffer.byteLength(answerText);
      if (bytes > MAX_ANSWER_BYTES) {
        // long texts in many records: more than a consumer reads (it would cut the answer off and call the node unreachable)
        throw new Rejection('too_many_records', undefined, `${item.definition.many ? `${fetched.rows.length} records` : 'an answer'} of ${bytes} bytes; at most ${MAX_ANSWER_BYTES} bytes`);
      }
      record.outcome = derived.outcome;
      record.asOf = body.asOf;
      if (derived.outcome === 'answered') stats.answered++;
      else stats.notFound++;
    } catch (e) {
      let r: Rejection;
      if (e instanceof Rejection) r = e;
      else if (e instanceof SourceError) {
        log(`source error on ${itemCode}: ${e.message}`);
        r = new Rejection('source_unavailable');
      } else {
        log(`internal error on ${itemCode}: ${(e as Error).stack ?? String(e)}`);
        r = new Rejection('internal');
      }
      status = NODE_REJECTIONS[r.reason][0];
      body = rejectionBody(r);
      answerText = undefined;
      record.outcome = status >= 500 ? 'error' : 'rejected';
      record.reason = r.reason;
      record.field = r.field ?? null;
      if (r.detail) record.detail = r.detail;
      stats.rejected[r.reason] = (stats.rejected[r.reason] ?? 0) + 1;
    }
    record.status = status;
    const text = answerText ?? JSON.stringify(body);
    record.responseSm3 = sm3Hex(text);
    record.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    try {
      await trail.append(record); // answered only once the trail holds the exchange
    } catch (e) {
      log(`trail write failed: ${(e as Error).message}`);
      plain(res, 500, { error: { code: 'EXCHANGE.INTERNAL', reason: 'internal', message: '提供节点留痕失败', messageEn: 'The node could not write its trail' } });
      return;
    }
    await send(res, status, text, record.responseSm3, requestSm3, req.headers[H.acceptBatch] === '1');
  }

  const currentStats = (): NodeStats => ({
    ...stats, nonces: nonces.size, trailSeq: trail.lastSeq, rejected: { ...stats.rejected },
    signing: { answers: signer.stats.messages + signedAlone, signatures: signer.stats.batches + signedAlone },
  });

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const match = req.method === 'POST' ? QUERY_PATH.exec(url) : null;
    if (match) {
      handleQuery(req, res, match[1]!).catch((e: unknown) => {
        log(`unexpected: ${String(e)}`);
        if (!res.headersSent) plain(res, 500, { error: { code: 'EXCHANGE.INTERNAL', reason: 'internal' } });
      });
      return;
    }
    if (req.method === 'GET' && url === '/v1/health') {
      return plain(res, 200, { status: 'ok', node: config.node.id, time: now().toISOString(), ...currentStats() });
    }
    if (req.method === 'GET' && url === '/v1/meta') {
      return plain(res, 200, {
        protocol: 'MZX1', node: config.node, keys: [{ keyId: key.keyId, suite: key.suite, publicKey: key.publicKey }],
        items: config.items.map((i) => i.definition),
      });
    }
    req.resume();
    plain(res, 404, { error: { code: 'EXCHANGE.NOT_FOUND', reason: 'not_found', message: '接口不存在', messageEn: 'No such endpoint' } });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.listen.port, config.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await trail.close();
    for (const s of sources.values()) await s.close().catch(() => undefined);
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host === '0.0.0.0' ? '127.0.0.1' : config.listen.host;
  let closed = false;
  return {
    nodeId: config.node.id,
    url: `http://${host}:${port}`,
    port,
    key: { keyId: key.keyId, suite: key.suite, publicKey: key.publicKey },
    keyCreated: created,
    trail,
    stats: currentStats,
    reloadConsumers(next) {
      consumers = new Map(next.map((c) => [c.id, c]));
    },
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      await trail.close();
      for (const s of sources.values()) await s.close().catch(() => undefined);
    },
  };
}

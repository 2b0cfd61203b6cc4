/**
 * The real transport to provider nodes: MZX1 over HTTP(S) with keep-alive agents, one
 * cockatiel policy per provider:
 *
 *   total deadline → concurrency limit (bulkhead) → retry with exponential backoff
 *     → circuit breaker → per-attempt timeout → signed HTTP attempt
 *
 * Only transient failures are retried and counted by the breaker: connection errors,
 * attempt timeouts and 5xx answers — except a node's signed `busy` (its replay protection is
 * full until old nonces age out, minutes rather than the backoff's milliseconds): counted by
 * the breaker, not retried. A denial (4xx) is a final, signed answer. Each attempt
 * is signed anew (fresh nonce and timestamp), so a retry is never mistaken for a replay.
 * The total deadline bounds every query, including time queued behind the concurrency
 * limit: a slow or dead provider never hangs the caller.
 */
import http from 'node:http';
import https from 'node:https';
import {
  BrokenCircuitError, BulkheadRejectedError, CircuitState, ConsecutiveBreaker, ExponentialBackoff, IsolatedCircuitError, TaskCancelledError,
  bulkhead, circuitBreaker, handleWhen, retry, timeout, TimeoutStrategy, wrap, type CircuitBreakerPolicy, type IPolicy,
} from 'cockatiel';
import { BatchSigner, checkResponse, MAX_ANSWER_BYTES, prepareRequest, signedHeaders, VerifiedStatements, type Suite } from '@mianzheng/provider/protocol';
import type {
  AttemptRecord, ExchangeClient, OutgoingQuery, ProbeResult, ProviderTarget, SendOptions, TransportFailure, TransportResult,
} from '../domain/exchange-client.ts';

/** Signs for a consumer department (the KeyStore port satisfies it). */
export interface RequestSigner {
  ensureKey(ownerId: string, suite: Suite): Promise<{ keyId: string }>;
  sign(ownerId: string, suite: Suite, message: Uint8Array): Promise<{ keyId: string; signature: Uint8Array }>;
}

class TransientError extends Error {
  constructor(readonly reason: 'timeout' | 'connection_failed' | 'provider_error' | 'source_unavailable' | 'provider_busy', detail: string, readonly status: number | null = null) {
    super(detail);
  }

  /** a busy node stays busy for longer than the backoff: asking again at once only adds to its load */
  get retryable(): boolean {
    return this.reason !== 'provider_busy';
  }
}

/** A node's signed 5xx reasons the platform reports as such; any other 5xx is provider_error. */
const NODE_5XX = { source_unavailable: 'source_unavailable', busy: 'provider_busy' } as const;

class BadResponseError extends Error {
  constructor(detail: string, readonly status: number | null) {
    super(detail);
  }
}

interface ProviderRuntime {
  signature: string;
  /** the endpoint, parsed once */
  origin: Origin;
  policy: IPolicy;
  breaker: CircuitBreakerPolicy;
  agent: http.Agent;
  /** whether the node said, on its last answer, that it understands batch-signed requests (x-mz-accept-batch) */
  acceptsBatch: boolean;
}

/** the largest answer read (a node refuses a larger one itself, as too_many_records) */
const MAX_BODY = MAX_ANSWER_BYTES;
const utf8 = new TextEncoder();

export class HttpExchangeClient implements ExchangeClient {
  readonly #runtimes = new Map<string, ProviderRuntime>();
  /** last key id each consumer signed with (the keystore's answer to sign() keeps it current after a rotation) */
  readonly #keyIds = new Map<string, string>();
  /** one group signer per consumer key: requests prepared in the same event-loop turn share a signature (MZX1 batch) */
  readonly #batchSigners = new Map<string, BatchSigner<string>>();
  /** batch statements of nodes already verified: the other answers of a batch cost their proof only */
  readonly #verified = new VerifiedStatements();
  readonly #now: () => Date;
  readonly #maxBatch: number;

  constructor(private readonly signer: RequestSigner, options: { now?: () => Date; maxBatch?: number } = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#maxBatch = options.maxBatch ?? 64;
  }

  #batchSigner(consumerId: string, suite: Suite): BatchSigner<string> {
    const k = `${consumerId}\u0000${suite}`;
    let s = this.#batchSigners.get(k);
    if (!s) {
      s = new BatchSigner(async (text) => {
        const signed = await this.signer.sign(consumerId, suite, utf8.encode(text));
        return { keyId: signed.keyId, signature: Buffer.from(signed.signature).toString('base64') };
      }, this.#maxBatch);
      this.#batchSigners.set(k, s);
    }
    return s;
  }

  #runtime(target: ProviderTarget): ProviderRuntime {
    const r = target.resilience;
    const signature = `${target.endpoint}|${r.timeoutMs}|${r.maxAttempts}|${r.concurrency}|${r.breakerThreshold}|${r.breakerHalfOpenMs}`;
    const existing = this.#runtimes.get(target.providerId);
    if (existing?.signature === signature) return existing;
    existing?.agent.destroy();
    const transient = handleWhen((e) => e instanceof TransientError || e instanceof TaskCancelledError);
    const breaker = circuitBreaker(transient, { halfOpenAfter: r.breakerHalfOpenMs, breaker: new ConsecutiveBreaker(r.breakerThreshold) });
    const retries = retry(handleWhen((e) => (e instanceof TransientError && e.retryable) || (e instanceof TaskCancelledError && !(e instanceof BrokenCircuitError))), {
      maxAttempts: r.maxAttempts - 1, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }),
    });
    // Deadline for the whole query: every attempt, the backoff between them, and some queueing.
    const total = r.maxAttempts * r.timeoutMs + Math.min(500, 50 * 2 ** r.maxAttempts) * r.maxAttempts + 250;
    // abortOnReturn: false — a completed attempt has nothing left to cancel (saves an abort event per call).
    const policy = wrap(
      timeout(total, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }), bulkhead(r.concurrency, r.concurrency * 8), retries, breaker,
      timeout(r.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }),
    );
    const agentOptions = { keepAlive: true, maxSockets: r.concurrency, maxFreeSockets: r.concurrency, scheduling: 'lifo' as const };
    const agent = target.endpoint.startsWith('https:') ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    const u = new URL(target.endpoint);
    const origin: Origin = { protocol: u.protocol, hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, base: u.pathname.replace(/\/$/, '') };
    const runtime: ProviderRuntime = { signature, origin, policy, breaker, agent, acceptsBatch: false };
    this.#runtimes.set(target.providerId, runtime);
    return runtime;
  }

  /** requests signed alone (to nodes that do not take batches, or before they said they do) */
  #signedAlone = 0;

  async #signAlone(consumerId: string, suite: Suite, text: string): Promise<{ keyId: string; signature: string; proof: undefined }> {
    const signed = await this.signer.sign(consumerId, suite, utf8.encode(text));
    this.#signedAlone++;
    return { keyId: signed.keyId, signature: Buffer.from(signed.signature).toString('base64'), proof: undefined };
  }

  /** requests signed and signatures made for them, over all consumer keys */
  signingStats(): { requests: number; signatures: number } {
    let requests = this.#signedAlone;
    let signatures = this.#signedAlone;
    for (const s of this.#batchSigners.values()) {
      requests += s.stats.messages;
      signatures += s.stats.batches;
    }
    return { requests, signatures };
  }

  breakerState(providerId: string): 'closed' | 'open' | 'half_open' | 'isolated' | 'unknown' {
    const rt = this.#runtimes.get(providerId);
    if (!rt) return 'unknown';
    switch (rt.breaker.state) {
      case CircuitState.Closed: return 'closed';
      case CircuitState.Open: return 'open';
      case CircuitState.HalfOpen: return 'half_open';
      case CircuitState.Isolated: return 'isolated';
    }
    return 'unknown';
  }

  async send(target: ProviderTarget, query: OutgoingQuery, options: SendOptions = {}): Promise<TransportResult> {
    const rt = this.#runtime(target);
    // a caller's own deadline (an applicant waiting at the counter) cuts the provider's one short
    const deadline = options.deadlineMs ? AbortSignal.timeout(options.deadlineMs) : undefined;
    const attempts: AttemptRecord[] = [];
    let last: { requestDigest: string; consumerKeyId: string; nonce: string } | null = null;
    try {
      return await rt.policy.execute(async ({ signal }) => {
        const started = performance.now();
        const keyId = (this.#keyIds.get(`${query.consumerId}\u0000${target.requestSuite}`)) ?? (await this.signer.ensureKey(query.consumerId, target.requestSuite)).keyId;
        let prepared = prepareRequest({
          node: target.providerId, itemCode: query.itemCode, params: query.params, consumer: query.consumerId, keyId, suite: target.requestSuite,
          purpose: query.purpose, applicationRef: query.applicationRef, legalBasis: query.legalBasis, timestamp: this.#now().toISOString(),
        });
        // batch-signed only to a node that said it understands batches; alone otherwise (nodes of earlier releases)
        const sign = (text: string) => (rt.acceptsBatch ? this.#batchSigner(query.consumerId, target.requestSuite).sign(text) : this.#signAlone(query.consumerId, target.requestSuite, text));
        let signed = await sign(prepared.canonical);
        if (signed.keyId !== keyId) {
          // the key rotated in between: sign again over the new key id
          prepared = prepareRequest({ ...query, node: target.providerId, consumer: query.consumerId, keyId: signed.keyId, suite: target.requestSuite, timestamp: this.#now().toISOString() });
          signed = await sign(prepared.canonical);
        }
        this.#keyIds.set(`${query.consumerId}\u0000${target.requestSuite}`, signed.keyId);
        last = { requestDigest: prepared.requestSm3, consumerKeyId: signed.keyId, nonce: prepared.fields.nonce };
        const record: AttemptRecord = { attempt: attempts.length + 1, nonce: prepared.fields.nonce, requestDigest: prepared.requestSm3, status: null, result: 'pending', latencyMs: 0 };
        attempts.push(record);
        const finish = (result: string, status: number | null) => {
          record.result = result;
          record.status = status;
          record.latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
        };
        let res: { status: number; headers: http.IncomingHttpHeaders; body: string };
        try {
          res = await post(rt.origin, prepared.path, prepared.body, signedHeaders(prepared, signed.signature, signed.proof), rt.agent, signal);
        } catch (e) {
          const reason = signal.aborted ? 'timeout' : 'connection_failed';
          finish(reason, null);
          throw new TransientError(reason, (e as Error).message);
        }
        rt.acceptsBatch = res.headers['x-mz-accept-batch'] === '1';
        const check = checkResponse(res, { nodeId: target.providerId, requestSm3: prepared.requestSm3, keys: target.keys.filter((k) => k.status === 'active'), nowMs: this.#now().getTime(), verified: this.#verified });
        if (res.status >= 500) {
          const said = check.ok ? bodyReason(res.body) : undefined;
          const reason = said !== undefined && Object.hasOwn(NODE_5XX, said) ? NODE_5XX[said as keyof typeof NODE_5XX] : 'provider_error';
          finish(reason, res.status);
          throw new TransientError(reason, `HTTP ${res.status}`, res.status);
        }
        if (!check.ok) {
          finish('bad_response', res.status);
          throw new BadResponseError(check.problem, res.status);
        }
        let body: unknown;
        try {
          body = JSON.parse(res.body);
        } catch {
          finish('bad_response', res.status);
          throw new BadResponseError('answer is not JSON', res.status);
        }
        finish(res.status === 200 ? 'answered' : `rejected:${bodyReason(res.body) ?? res.status}`, res.status);
        return {
          kind: 'response' as const, status: res.status, body, rawBody: res.body, requestDigest: prepared.requestSm3, responseDigest: check.contentSm3,
          consumerKeyId: signed.keyId, providerKeyId: check.keyId, providerSuite: check.suite, signature: check.signature, batchProof: check.batch, signedAt: check.timestamp, nonce: prepared.fields.nonce, attempts,
        };
      }, deadline);
    } catch (e) {
      const l = last as { requestDigest: string; consumerKeyId: string; nonce: string } | null;
      const fail = (reason: TransportFailure['reason'], detail: string, status: number | null = null): TransportFailure => ({
        kind: 'failure', reason, detail, status, requestDigest: l?.requestDigest ?? null, consumerKeyId: l?.consumerKeyId ?? null, nonce: l?.nonce ?? null, attempts,
      });
      if (e instanceof BrokenCircuitError || e instanceof IsolatedCircuitError) return fail('circuit_open', 'circuit breaker open');
      if (e instanceof BulkheadRejectedError) return fail('concurrency_limit', 'concurrency limit and queue full');
      if (e instanceof TaskCancelledError) return fail('timeout', 'no answer within the deadline');
      if (e instanceof TransientError) return fail(e.reason, e.message, e.status);
      if (e instanceof BadResponseError) return fail('bad_response', e.message, e.status);
      return fail('connection_failed', (e as Error).message);
    }
  }

  async probe(target: ProviderTarget): Promise<ProbeResult> {
    const started = performance.now();
    const signal = AbortSignal.timeout(target.resilience.timeoutMs);
    try {
      const rt = this.#runtime(target);
      const res = await get(rt.origin, '/v1/health', rt.agent, signal);
      let node: string | null = null;
      try {
        node = (JSON.parse(res.body) as { node?: string }).node ?? null;
      } catch { /* not JSON */ }
      const ok = res.status === 200 && node === target.providerId;
      return { ok, latencyMs: performance.now() - started, status: res.status, node, detail: ok ? 'ok' : node && node !== target.providerId ? `answered as ${node}` : `HTTP ${res.status}` };
    } catch (e) {
      return { ok: false, latencyMs: performance.now() - started, status: null, node: null, detail: signal.aborted ? 'timeout' : (e as Error).message };
    }
  }

  async close(): Promise<void> {
    for (const rt of this.#runtimes.values()) rt.agent.destroy();
    this.#runtimes.clear();
  }
}

function bodyReason(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: { reason?: string } }).error?.reason;
  } catch {
    return undefined;
  }
}

interface Origin { protocol: string; hostname: string; port: string; base: string }

function request(method: 'GET' | 'POST', origin: Origin, path: string, body: string | undefined, headers: Record<string, string>, agent: http.Agent, signal: AbortSignal): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const lib = origin.protocol === 'https:' ? https : http;
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = lib.request({ protocol: origin.protocol, hostname: origin.hostname, port: origin.port, path: origin.base + path, method, agent, signal, headers }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) req.destroy(new Error('answer too large'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('connection closed mid-answer')));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const post = (origin: Origin, path: string, body: string, headers: Record<string, string>, agent: http.Agent, signal: AbortSignal) => request('POST', origin, path, body, headers, agent, signal);
const get = (origin: Origin, path: string, agent: http.Agent, signal: AbortSignal) => request('GET', origin, path, undefined, { accept: 'application/json' }, agent, signal);

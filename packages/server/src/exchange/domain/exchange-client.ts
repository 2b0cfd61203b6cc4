/**
 * Transport port: how the platform reaches a provider node. The adapter signs each
 * attempt (fresh nonce and timestamp), applies the provider's resilience settings
 * (timeout, retries with backoff, circuit breaker, concurrency limit) and verifies the
 * node's signature before returning anything. Adapter: HttpExchangeClient.
 */
import type { Suite } from '@mianzheng/provider/protocol';
import type { ProviderKey, ResilienceSettings } from './directory.ts';

export interface ProviderTarget {
  providerId: string;
  endpoint: string;
  requestSuite: Suite;
  keys: readonly ProviderKey[];
  resilience: ResilienceSettings;
}

export interface OutgoingQuery {
  itemCode: string;
  params: Record<string, string | number>;
  /** consumer department id: its key signs the request */
  consumerId: string;
  purpose: string;
  applicationRef: string;
  legalBasis: string;
}

export interface AttemptRecord {
  attempt: number;
  nonce: string;
  requestDigest: string;
  status: number | null;
  result: string;
  latencyMs: number;
}

/** A verified answer of the node (any status the node signed, except 5xx which are retried). */
export interface TransportResponse {
  kind: 'response';
  status: number;
  body: unknown;
  rawBody: string;
  requestDigest: string;
  responseDigest: string;
  consumerKeyId: string;
  providerKeyId: string;
  providerSuite: Suite;
  signature: string;
  /** the MZX1 batch proof (x-mz-batch) when the node signed a batch of answers; the signature then covers the batch root */
  batchProof: string | null;
  signedAt: string;
  nonce: string;
  attempts: AttemptRecord[];
}

export interface TransportFailure {
  kind: 'failure';
  reason: 'timeout' | 'connection_failed' | 'circuit_open' | 'concurrency_limit' | 'bad_response' | 'provider_error' | 'source_unavailable' | 'provider_busy';
  detail: string;
  status: number | null;
  requestDigest: string | null;
  consumerKeyId: string | null;
  nonce: string | null;
  attempts: AttemptRecord[];
}

export type TransportResult = TransportResponse | TransportFailure;

export interface ProbeResult { ok: boolean; latencyMs: number; status: number | null; node: string | null; detail: string }

export interface SendOptions {
  /**
   * The caller's deadline for the whole query (attempts, backoff, queueing), when shorter
   * than the provider's own: past it the query ends as `timeout`, and any attempt in flight
   * is abandoned (its answer, should it come, is not used).
   */
  deadlineMs?: number;
}

export interface ExchangeClient {
  send(target: ProviderTarget, query: OutgoingQuery, options?: SendOptions): Promise<TransportResult>;
  /** GET /v1/health of the node (unsigned), for the directory's availability check */
  probe(target: ProviderTarget): Promise<ProbeResult>;
  /** circuit state per provider, for the directory */
  breakerState(providerId: string): 'closed' | 'open' | 'half_open' | 'isolated' | 'unknown';
  /** requests signed and signatures made for them (MZX1 batch signatures share one signature under load) */
  signingStats(): { requests: number; signatures: number };
  close(): Promise<void>;
}

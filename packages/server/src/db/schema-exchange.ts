import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** Tables of the exchange context (数据共享), migration 0006_create-exchange.sql. */
export interface ExchangeProvidersTable {
  id: string; name: string; department_id: string; endpoint: string; status: Defaulted<'active' | 'suspended'>; request_suite: Defaulted<'SM2-SM3' | 'Ed25519'>;
  timeout_ms: Defaulted<number>; max_attempts: Defaulted<number>; concurrency: Defaulted<number>; breaker_threshold: Defaulted<number>; breaker_half_open_ms: Defaulted<number>;
  created_at: ColumnType<Date, Date | string | undefined, never>; updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export interface ExchangeProviderKeysTable {
  provider_id: string; key_id: string; suite: 'SM2-SM3' | 'Ed25519'; public_key: string; status: Defaulted<'active' | 'retired'>;
  added_at: ColumnType<Date, Date | string | undefined, never>;
}
export interface ExchangeItemsTable {
  provider_id: string; code: string; name: string; definition: Json<import('@mianzheng/provider/protocol').ItemDefinition>; proof_item_ids: string[];
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export interface ExchangeGrantsTable { provider_id: string; item_code: string; consumer_department_id: string; purposes: string[] }
export interface ExchangeLogTable {
  id: string; at: Timestamp; provider_id: string | null; provider_name: string | null; item_code: string; item_name: string | null;
  consumer_department_id: string; consumer_name: string; actor_account_id: string | null; actor_role: string | null; on_behalf_of: string | null;
  purpose: string; application_ref: string; legal_basis: string; subject_kind: string | null; subject_hash: string | null; subject_mask: string | null;
  params_digest: string | null; sent: boolean; outcome: 'answered' | 'not_found' | 'denied' | 'unavailable'; reason: string | null; detail: string | null;
  http_status: number | null; attempts: number; request_suite: string | null; consumer_key_id: string | null; nonce: string | null; request_digest: string | null;
  provider_key_id: string | null; response_digest: string | null; response_signature: string | null; response_batch_proof: string | null; response_signed_at: Timestamp | null; as_of: Timestamp | null; answered_at: Timestamp | null;
  latency_ms: number; access_log_id: string | null; attempt_log: Json<unknown[]>;
}

export interface ExchangeTables {
  exchange_providers: ExchangeProvidersTable;
  exchange_provider_keys: ExchangeProviderKeysTable;
  exchange_items: ExchangeItemsTable;
  exchange_grants: ExchangeGrantsTable;
  exchange_log: ExchangeLogTable;
}

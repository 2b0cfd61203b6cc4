-- 数据共享: the directory of provider nodes, what they offer to whom, and the platform's trail of every query.

CREATE TABLE exchange_providers (
  id                    text PRIMARY KEY,
  name                  text NOT NULL,
  department_id         text NOT NULL REFERENCES departments(id),
  endpoint              text NOT NULL,
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  request_suite         text NOT NULL DEFAULT 'SM2-SM3' CHECK (request_suite IN ('SM2-SM3', 'Ed25519')),
  timeout_ms            integer NOT NULL DEFAULT 2000 CHECK (timeout_ms BETWEEN 100 AND 30000),
  max_attempts          integer NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 5),
  concurrency           integer NOT NULL DEFAULT 32 CHECK (concurrency BETWEEN 1 AND 512),
  breaker_threshold     integer NOT NULL DEFAULT 5 CHECK (breaker_threshold BETWEEN 1 AND 100),
  breaker_half_open_ms  integer NOT NULL DEFAULT 10000 CHECK (breaker_half_open_ms BETWEEN 500 AND 600000),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE exchange_providers IS 'provider nodes a department runs next to its own system (数据共享提供节点)';
COMMENT ON COLUMN exchange_providers.endpoint IS 'base URL of the node (http(s)://host:port); queries go to <endpoint>/v1/items/<code>/query';
COMMENT ON COLUMN exchange_providers.request_suite IS 'signature suite the platform signs requests to this node with (the node holds the consumer public keys of that suite)';
COMMENT ON COLUMN exchange_providers.max_attempts IS 'attempts per query including retries (transient failures only: connection, timeout, 5xx)';
COMMENT ON COLUMN exchange_providers.breaker_threshold IS 'consecutive failed attempts that open the circuit breaker';

CREATE TABLE exchange_provider_keys (
  provider_id  text NOT NULL REFERENCES exchange_providers(id) ON DELETE CASCADE,
  key_id       text NOT NULL,
  suite        text NOT NULL CHECK (suite IN ('SM2-SM3', 'Ed25519')),
  public_key   text NOT NULL,
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  added_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider_id, key_id)
);
COMMENT ON TABLE exchange_provider_keys IS 'public keys the platform verifies provider answers with; retired keys no longer verify';

CREATE TABLE exchange_items (
  provider_id   text NOT NULL REFERENCES exchange_providers(id) ON DELETE CASCADE,
  code          text NOT NULL,
  name          text NOT NULL,
  definition    jsonb NOT NULL,
  proof_item_ids text[] NOT NULL DEFAULT '{}',
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider_id, code)
);
COMMENT ON COLUMN exchange_items.definition IS 'item definition (protocol MZX1): kind, params (types, required), answer fields, subject parameter';
COMMENT ON COLUMN exchange_items.proof_item_ids IS 'catalog proof items (证明事项) this data item satisfies, e.g. ZM-MAS-HYZK 婚姻状况证明';

CREATE TABLE exchange_grants (
  provider_id            text NOT NULL,
  item_code              text NOT NULL,
  consumer_department_id text NOT NULL REFERENCES departments(id),
  purposes               text[] NOT NULL,
  PRIMARY KEY (provider_id, item_code, consumer_department_id),
  FOREIGN KEY (provider_id, item_code) REFERENCES exchange_items(provider_id, code) ON DELETE CASCADE
);
COMMENT ON TABLE exchange_grants IS 'which consumer department may ask which item for which purposes (the node enforces its own copy)';

CREATE TABLE exchange_log (
  id                     uuid PRIMARY KEY,
  at                     timestamptz NOT NULL,
  provider_id            text,
  provider_name          text,
  item_code              text NOT NULL,
  item_name              text,
  consumer_department_id text NOT NULL,
  consumer_name          text NOT NULL,
  actor_account_id       text,
  actor_role             text,
  on_behalf_of           text,
  purpose                text NOT NULL,
  application_ref        text NOT NULL,
  legal_basis            text NOT NULL,
  subject_kind           text,
  subject_hash           text,
  subject_mask           text,
  params_digest          text,
  sent                   boolean NOT NULL,
  outcome                text NOT NULL CHECK (outcome IN ('answered', 'not_found', 'denied', 'unavailable')),
  reason                 text,
  detail                 text,
  http_status            integer,
  attempts               integer NOT NULL DEFAULT 0,
  request_suite          text,
  consumer_key_id        text,
  nonce                  text,
  request_digest         text,
  provider_key_id        text,
  response_digest        text,
  response_signature     text,
  as_of                  timestamptz,
  answered_at            timestamptz,
  latency_ms             double precision NOT NULL,
  access_log_id          uuid,
  attempt_log            jsonb NOT NULL DEFAULT '[]'
);
COMMENT ON TABLE exchange_log IS 'platform side of the trail: one row per data-sharing query, whatever its outcome; insert-only';
COMMENT ON COLUMN exchange_log.sent IS 'false when the platform denied the query itself (directory, parameters) and nothing was sent';
COMMENT ON COLUMN exchange_log.subject_hash IS 'HMAC-SM3 lookup hash of the data subject (same key as access_log.subject_hash)';
COMMENT ON COLUMN exchange_log.params_digest IS 'SM3 of the JCS-canonical parameters; identifiers are never stored in clear';
COMMENT ON COLUMN exchange_log.request_digest IS 'SM3 of the canonical request string (MZX1) of the final attempt';
COMMENT ON COLUMN exchange_log.response_digest IS 'SM3 of the signed answer body of the final attempt';
COMMENT ON COLUMN exchange_log.as_of IS 'as-of time of the data behind the answer, as the provider stated it';
COMMENT ON COLUMN exchange_log.attempt_log IS 'every attempt: nonce, request digest, outcome, reason, latency';
CREATE INDEX exchange_log_at_idx ON exchange_log(at DESC);
CREATE INDEX exchange_log_provider_idx ON exchange_log(provider_id, at DESC);
CREATE INDEX exchange_log_subject_idx ON exchange_log(subject_hash, at DESC);
CREATE INDEX exchange_log_application_idx ON exchange_log(application_ref);
CREATE TRIGGER exchange_log_append_only BEFORE UPDATE OR DELETE ON exchange_log FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

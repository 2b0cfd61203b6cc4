-- Foundation: regions, departments, accounts, sessions, audit log.
CREATE TABLE regions (
  code        char(6) PRIMARY KEY,
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('province', 'city', 'district')),
  parent_code char(6) REFERENCES regions(code)
);
COMMENT ON TABLE regions IS 'GB/T 2260 administrative divisions';

CREATE TABLE departments (
  id          text PRIMARY KEY,
  uscc        char(18) NOT NULL UNIQUE,
  name        text NOT NULL UNIQUE,
  region_code char(6) NOT NULL REFERENCES regions(code),
  category    text NOT NULL
);
COMMENT ON COLUMN departments.uscc IS 'GB 32100 unified social credit code of the department (check character validated on input)';
COMMENT ON COLUMN departments.category IS 'functional category shared across regions: 公安, 民政, 人社 …; lets a proof list name 公安 and mean the local 公安局';

CREATE TABLE accounts (
  id             uuid PRIMARY KEY,
  username       text NOT NULL UNIQUE,
  display_name   text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('person', 'enterprise', 'staff')),
  password_hash  text,
  roles          text[] NOT NULL,
  department_id  text REFERENCES departments(id),
  region_code    char(6) REFERENCES regions(code),
  id_number_enc  text,
  id_number_hash text UNIQUE,
  id_number_mask text,
  uscc           char(18),
  external_subject text UNIQUE,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN accounts.id_number_enc IS 'identity number (GB 11643), SM4-encrypted with the master key; never stored in clear';
COMMENT ON COLUMN accounts.id_number_hash IS 'HMAC-SM3 of the identity number under the master key, for lookup without decryption';
COMMENT ON COLUMN accounts.external_subject IS 'subject of the province unified-login (OIDC) identity, when linked';

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES accounts(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
COMMENT ON COLUMN sessions.token_hash IS 'SHA-256 of the bearer/cookie token; the token itself is never stored';
CREATE INDEX sessions_account_idx ON sessions(account_id);

CREATE TABLE login_attempts (
  key          text PRIMARY KEY,
  failures     integer NOT NULL,
  window_start timestamptz NOT NULL,
  locked_until timestamptz
);
COMMENT ON TABLE login_attempts IS 'login throttling counters per username and per client address, shared by all instances';

CREATE TABLE audit_log (
  seq           bigint PRIMARY KEY,
  at            timestamptz NOT NULL,
  actor_id      text,
  actor_role    text,
  on_behalf_of  text,
  action        text NOT NULL,
  subject_type  text NOT NULL,
  subject_id    text NOT NULL,
  purpose       text,
  legal_basis   text,
  change_digest text NOT NULL,
  prev_hash     text NOT NULL,
  hash          text NOT NULL
);
COMMENT ON TABLE audit_log IS 'append-only, hash-chained: hash = SM3(prev_hash || canonical entry); rows are never updated or deleted';
COMMENT ON COLUMN audit_log.change_digest IS 'SM3 of the canonical JSON of the change the entry records';
CREATE INDEX audit_log_subject_idx ON audit_log(subject_type, subject_id);

CREATE FUNCTION forbid_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

CREATE TABLE idempotency_keys (
  key          text NOT NULL,
  account_id   uuid NOT NULL,
  request_hash text NOT NULL,
  status       integer NOT NULL,
  response     jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, key)
);
COMMENT ON TABLE idempotency_keys IS 'responses of retried mutations, keyed by the client''s Idempotency-Key header';

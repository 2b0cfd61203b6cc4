-- 电子证照 (electronic licenses): types, their link to catalog proof items, issued licenses,
-- status changes, the per-issuer status lists, use grants (用证授权) and single-use presentations (亮证).

CREATE TABLE license_types (
  code                   text PRIMARY KEY CHECK (code ~ '^[0-9A-HJ-NPQRTUWXY]{18}[0-9]{3}$'),
  name                   text NOT NULL UNIQUE,
  defining_agency_name   text NOT NULL,
  holder_kind            text NOT NULL CHECK (holder_kind IN ('111', '001')),
  fields                 jsonb NOT NULL,
  issuing_department_ids text[] NOT NULL,
  validity               jsonb NOT NULL,
  legal_basis            text NOT NULL DEFAULT '',
  description            text NOT NULL DEFAULT '',
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE license_types IS '证照类型, registered by data administrators (数据资源局)';
COMMENT ON COLUMN license_types.code IS 'GB/T 36904 证照类型代码: the defining agency''s USCC (18, check character validated) + a 3-digit sequence';
COMMENT ON COLUMN license_types.holder_kind IS '持证主体代码类型: 111 公民身份号码 (GB 11643), 001 统一社会信用代码 (GB 32100)';
COMMENT ON COLUMN license_types.fields IS 'field schema: [{name, label, type: string|date|number|enum, required, disclosable, enumValues?}]; disclosable fields are salted digests in the signed document';
COMMENT ON COLUMN license_types.issuing_department_ids IS 'departments whose issuer staff may issue this type';
COMMENT ON COLUMN license_types.legal_basis IS '设定依据 of the license, cited in the access log when a license is issued or used';
COMMENT ON COLUMN license_types.validity IS '{"kind":"none"} or {"kind":"years","years":N}: the default validity period from the start date';

-- Links a catalog proof item (a material that may be satisfied by an e-license) to the license type
-- that satisfies it. A table rather than a column on service_item_materials: the catalog schema and its
-- published digests stay untouched, and one link serves every service item requiring the proof item.
-- No foreign key to proof_items: published versions keep ids that may have left the draft.
CREATE TABLE license_type_proof_items (
  proof_item_id     text PRIMARY KEY,
  license_type_code text NOT NULL REFERENCES license_types(code),
  linked_at         timestamptz NOT NULL DEFAULT now(),
  linked_by         text NOT NULL
);
COMMENT ON TABLE license_type_proof_items IS 'proof item (证明事项) → license type that satisfies it; drives the 用证事项清单 and the 电子证照关联率';
CREATE INDEX license_type_proof_items_type_idx ON license_type_proof_items(license_type_code);

-- One IETF Token Status List per issuing department; indexes are handed out in order.
CREATE TABLE license_status_lists (
  issuer_department_id text PRIMARY KEY REFERENCES departments(id),
  next_index           integer NOT NULL
);
COMMENT ON TABLE license_status_lists IS 'next free index in the issuer''s status list (allocated with UPDATE … RETURNING, safe across instances)';

CREATE SEQUENCE license_serial_seq;

CREATE TABLE licenses (
  id                   uuid PRIMARY KEY,
  identifier           text NOT NULL UNIQUE,
  license_number       text NOT NULL,
  type_code            text NOT NULL REFERENCES license_types(code),
  issuer_department_id text NOT NULL REFERENCES departments(id),
  holder_kind          text NOT NULL CHECK (holder_kind IN ('111', '001')),
  holder_enc           text NOT NULL,
  holder_hash          text NOT NULL,
  holder_mask          text NOT NULL,
  holder_name_mask     text NOT NULL,
  status               text NOT NULL CHECK (status IN ('valid', 'suspended', 'revoked')),
  status_index         integer NOT NULL,
  valid_from           text NOT NULL CHECK (valid_from ~ '^\d{4}-\d{2}-\d{2}$'),
  valid_until          text CHECK (valid_until ~ '^\d{4}-\d{2}-\d{2}$'),
  issued_at            timestamptz NOT NULL,
  issued_by            text,
  suite                text NOT NULL CHECK (suite IN ('SM2-SM3', 'Ed25519')),
  key_id               text NOT NULL,
  document_sealed      text NOT NULL,
  document_digest      text NOT NULL,
  batch_id             uuid,
  UNIQUE (issuer_department_id, status_index)
);
COMMENT ON TABLE licenses IS 'issued e-licenses; the signed document is stored sealed, the holder code only encrypted + keyed hash + mask';
COMMENT ON COLUMN licenses.identifier IS 'GB/T 36904 电子证照标识 with its ISO 7064 MOD 37,36 check character';
COMMENT ON COLUMN licenses.holder_enc IS '持证主体代码 (identity number or USCC), SM4-sealed by the PII protector; never stored in clear';
COMMENT ON COLUMN licenses.holder_hash IS 'HMAC-SM3 lookup hash of the holder code (same key as accounts.id_number_hash / uscc_hash)';
COMMENT ON COLUMN licenses.holder_name_mask IS 'holder name with inner characters masked (张*梅), for issuer lists';
COMMENT ON COLUMN licenses.status_index IS 'index of this license in its issuer''s status list (2 bits: 0 valid, 1 revoked, 2 suspended)';
COMMENT ON COLUMN licenses.document_sealed IS 'the signed license document with all its disclosures (canonical JSON), SM4-CTR+HMAC-SM3 sealed under a key derived from the master key, bound to the license id';
COMMENT ON COLUMN licenses.document_digest IS 'SM3 of the signed content (JCS), for integrity checks without unsealing';
CREATE INDEX licenses_holder_idx ON licenses(holder_hash);
CREATE INDEX licenses_issuer_idx ON licenses(issuer_department_id, issued_at DESC);

CREATE TABLE license_status_events (
  id          uuid PRIMARY KEY,
  license_id  uuid NOT NULL REFERENCES licenses(id),
  at          timestamptz NOT NULL,
  action      text NOT NULL CHECK (action IN ('suspend', 'reinstate', 'revoke')),
  from_status text NOT NULL,
  to_status   text NOT NULL,
  reason      text NOT NULL,
  actor_id    text NOT NULL
);
COMMENT ON TABLE license_status_events IS 'every status transition of a license, with its reason; insert-only';
CREATE INDEX license_status_events_license_idx ON license_status_events(license_id, at);
CREATE TRIGGER license_status_events_append_only BEFORE UPDATE OR DELETE ON license_status_events FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

CREATE TABLE license_grants (
  id                uuid PRIMARY KEY,
  license_id        uuid NOT NULL REFERENCES licenses(id),
  holder_hash       text NOT NULL,
  department_id     text NOT NULL REFERENCES departments(id),
  service_item_code text,
  application_ref   text,
  purpose           text NOT NULL,
  valid_until       timestamptz NOT NULL,
  created_at        timestamptz NOT NULL,
  created_by        uuid NOT NULL,
  revoked_at        timestamptz,
  CHECK (service_item_code IS NOT NULL OR application_ref IS NOT NULL)
);
COMMENT ON TABLE license_grants IS '用证授权: the holder lets one department use one license for one purpose (a service item or an application) until a time; revocable';
CREATE INDEX license_grants_license_idx ON license_grants(license_id, department_id);
CREATE INDEX license_grants_holder_idx ON license_grants(holder_hash);

CREATE TABLE license_presentations (
  nonce             text PRIMARY KEY,
  license_id        uuid NOT NULL REFERENCES licenses(id),
  holder_account_id uuid NOT NULL,
  audience_kind     text CHECK (audience_kind IN ('account', 'department')),
  audience_id       text,
  disclosed         text[] NOT NULL,
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  consumed_at       timestamptz,
  consumed_by       text
);
COMMENT ON TABLE license_presentations IS '亮证 presentations; the nonce is consumed once (UPDATE … WHERE consumed_at IS NULL), which makes them single-use across instances';
CREATE INDEX license_presentations_license_idx ON license_presentations(license_id);

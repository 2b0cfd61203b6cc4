-- Catalog: the working draft (proof items, service items, materials) and the published, immutable versions.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SEQUENCE proof_item_seq;
CREATE TABLE proof_items (
  id                    text PRIMARY KEY DEFAULT ('ZM' || lpad(nextval('proof_item_seq')::text, 6, '0')),
  name                  text NOT NULL,
  issuing_department_id text NOT NULL REFERENCES departments(id),
  region_code           char(6) NOT NULL REFERENCES regions(code),
  legal_basis           text NOT NULL DEFAULT '',
  methods               text[] NOT NULL,
  risk_category         text,
  commitment            jsonb,
  notes                 text NOT NULL DEFAULT '',
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name, issuing_department_id)
);
COMMENT ON TABLE proof_items IS 'draft of the proof-item list (证明事项清单) that catalog admins edit';
COMMENT ON COLUMN proof_items.methods IS 'exemption methods in order of preference (cancelled, data_sharing, e_license, dept_verification, commitment, online_issue, retained)';
COMMENT ON COLUMN proof_items.risk_category IS 'excluded category for the commitment route (national_security, public_security, …) or NULL';
COMMENT ON COLUMN proof_items.commitment IS '{conditions, consequence, postCheck:{samplingRate, withinDays}} when methods include commitment';

CREATE TABLE service_items (
  code          text PRIMARY KEY,
  name          text NOT NULL,
  department_id text NOT NULL REFERENCES departments(id),
  region_code   char(6) NOT NULL REFERENCES regions(code)
);
COMMENT ON TABLE service_items IS 'public services (政务服务事项) that can be applied for';

CREATE TABLE service_item_materials (
  id                text PRIMARY KEY,
  service_item_code text NOT NULL REFERENCES service_items(code) ON DELETE CASCADE,
  position          integer NOT NULL,
  name              text NOT NULL,
  proof_item_id     text REFERENCES proof_items(id),
  required          boolean NOT NULL DEFAULT true
);
CREATE INDEX service_item_materials_proof_idx ON service_item_materials(proof_item_id);
CREATE INDEX service_item_materials_item_idx ON service_item_materials(service_item_code, position);

CREATE TABLE catalog_versions (
  number             integer PRIMARY KEY,
  published_at       timestamptz NOT NULL,
  published_by       text NOT NULL,
  note               text NOT NULL,
  proof_item_count   integer NOT NULL,
  service_item_count integer NOT NULL,
  content_digest     text NOT NULL
);
COMMENT ON COLUMN catalog_versions.content_digest IS 'SM3 over the canonical published content, so a version can be checked for tampering';

CREATE TABLE published_proof_items (
  version_number          integer NOT NULL REFERENCES catalog_versions(number),
  id                      text NOT NULL,
  name                    text NOT NULL,
  issuing_department_id   text NOT NULL,
  issuing_department_name text NOT NULL,
  region_code             char(6) NOT NULL,
  region_name             text NOT NULL,
  legal_basis             text NOT NULL,
  methods                 text[] NOT NULL,
  risk_category           text,
  commitment              jsonb,
  notes                   text NOT NULL,
  service_item_codes      text[] NOT NULL,
  PRIMARY KEY (version_number, id)
);
CREATE INDEX published_proof_items_name_trgm ON published_proof_items USING gin (name gin_trgm_ops);

CREATE TABLE published_service_items (
  version_number  integer NOT NULL REFERENCES catalog_versions(number),
  code            text NOT NULL,
  name            text NOT NULL,
  department_id   text NOT NULL,
  department_name text NOT NULL,
  region_code     char(6) NOT NULL,
  region_name     text NOT NULL,
  materials       jsonb NOT NULL,
  PRIMARY KEY (version_number, code)
);
CREATE INDEX published_service_items_name_trgm ON published_service_items USING gin (name gin_trgm_ops);

CREATE TRIGGER catalog_versions_immutable BEFORE UPDATE OR DELETE ON catalog_versions FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
CREATE TRIGGER published_proof_items_immutable BEFORE UPDATE OR DELETE ON published_proof_items FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
CREATE TRIGGER published_service_items_immutable BEFORE UPDATE OR DELETE ON published_service_items FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

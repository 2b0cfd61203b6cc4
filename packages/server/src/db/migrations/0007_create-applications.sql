-- Applications (办件): applications, bundles (一件事), material resolutions, uploaded files,
-- agent authorizations (帮办代办), walk-in identity checks and in-app notifications.

CREATE TABLE bundle_applications (
  id                   uuid PRIMARY KEY,
  ref                  text NOT NULL UNIQUE,
  bundle_code          text NOT NULL,
  bundle_name          text NOT NULL,
  applicant_account_id uuid REFERENCES accounts(id),
  applicant_name       text NOT NULL,
  created_at           timestamptz NOT NULL
);
COMMENT ON TABLE bundle_applications IS 'one integrated-service (集成办/一件事) request: one form, its member applications share de-duplicated material resolutions';

CREATE TABLE applications (
  id                    uuid PRIMARY KEY,
  ref                   text NOT NULL UNIQUE,
  bundle_id             uuid REFERENCES bundle_applications(id),
  service_item_code     text NOT NULL,
  service_item_name     text NOT NULL,
  department_id         text NOT NULL REFERENCES departments(id),
  department_name       text NOT NULL,
  region_code           char(6) NOT NULL REFERENCES regions(code),
  catalog_version       integer NOT NULL REFERENCES catalog_versions(number),
  status                text NOT NULL CHECK (status IN ('draft', 'submitted', 'resolving', 'awaiting', 'under_review', 'approved', 'rejected', 'returned', 'completed', 'withdrawn')),
  applicant_account_id  uuid REFERENCES accounts(id),
  applicant_kind        text NOT NULL CHECK (applicant_kind IN ('person', 'enterprise')),
  applicant_name        text NOT NULL,
  applicant_code_enc    text NOT NULL,
  applicant_code_hash   text NOT NULL,
  applicant_code_mask   text NOT NULL,
  created_by_account_id uuid NOT NULL REFERENCES accounts(id),
  agent_account_id      uuid REFERENCES accounts(id),
  identity_check_id     uuid,
  form                  jsonb NOT NULL DEFAULT '{}',
  created_at            timestamptz NOT NULL,
  submitted_at          timestamptz,
  period_month          char(7),
  review_due_at         timestamptz,
  decided_at            timestamptz,
  decided_by            uuid REFERENCES accounts(id),
  decision_reason       text,
  completed_at          timestamptz,
  revocation_suggested  boolean NOT NULL DEFAULT false,
  updated_at            timestamptz NOT NULL
);
COMMENT ON COLUMN applications.catalog_version IS 'the published catalog version the materials were resolved against';
COMMENT ON COLUMN applications.applicant_code_enc IS 'identity number or USCC of the applicant, SM4-sealed (kind id_number or uscc); never stored in clear';
COMMENT ON COLUMN applications.applicant_code_hash IS 'HMAC-SM3 lookup hash of the applicant code (same key as accounts.id_number_hash and access_log.subject_hash)';
COMMENT ON COLUMN applications.agent_account_id IS 'the agent or service-hall helper who filed for the applicant (帮办代办), if any';
COMMENT ON COLUMN applications.identity_check_id IS 'walk-in applications: the identity check the helper made before filing';
COMMENT ON COLUMN applications.period_month IS 'YYYY-MM of submission in Asia/Shanghai, for monthly statistics';
COMMENT ON COLUMN applications.review_due_at IS 'deadline for the clerk decision, in working days of the official calendar';
COMMENT ON COLUMN applications.revocation_suggested IS 'set when a commitment in the application was found false: the decision may be revoked';
CREATE INDEX applications_applicant_idx ON applications(applicant_code_hash, created_at DESC);
CREATE INDEX applications_account_idx ON applications(applicant_account_id, created_at DESC);
CREATE INDEX applications_agent_idx ON applications(agent_account_id, created_at DESC);
CREATE INDEX applications_queue_idx ON applications(department_id, status, review_due_at);
CREATE INDEX applications_month_idx ON applications(period_month);
CREATE INDEX applications_bundle_idx ON applications(bundle_id);

CREATE TABLE material_resolutions (
  id                      uuid PRIMARY KEY,
  application_id          uuid NOT NULL REFERENCES applications(id),
  bundle_id               uuid REFERENCES bundle_applications(id),
  proof_item_id           text NOT NULL,
  proof_item_name         text NOT NULL,
  issuing_department_id   text NOT NULL,
  issuing_department_name text NOT NULL,
  legal_basis             text NOT NULL,
  methods                 text[] NOT NULL,
  method                  text,
  status                  text NOT NULL CHECK (status IN ('pending', 'satisfied', 'awaiting_verification', 'awaiting_signature', 'awaiting_grant', 'awaiting_upload', 'failed')),
  without_submission      boolean,
  attempts                jsonb NOT NULL DEFAULT '[]',
  evidence                jsonb,
  explanation             text NOT NULL DEFAULT '',
  explanation_en          text NOT NULL DEFAULT '',
  resolved_at             timestamptz,
  updated_at              timestamptz NOT NULL
);
COMMENT ON TABLE material_resolutions IS 'how one required proof was satisfied in one application (or once for a whole bundle), with evidence and legal basis';
COMMENT ON COLUMN material_resolutions.methods IS 'the methods the catalog version allows, in order of preference';
COMMENT ON COLUMN material_resolutions.method IS 'the method in use: the first that worked or the one the resolution waits on; "upload" when the applicant submits the document';
COMMENT ON COLUMN material_resolutions.without_submission IS 'true when satisfied without the applicant submitting anything (numerator of 免提交率), false when a document was uploaded';
COMMENT ON COLUMN material_resolutions.attempts IS 'every method tried, in order: {method, outcome, reason, at}; a fallback is never silent';
CREATE INDEX material_resolutions_application_idx ON material_resolutions(application_id);
CREATE INDEX material_resolutions_bundle_idx ON material_resolutions(bundle_id);

CREATE TABLE application_materials (
  application_id  uuid NOT NULL REFERENCES applications(id),
  material_id     text NOT NULL,
  position        integer NOT NULL,
  name            text NOT NULL,
  required        boolean NOT NULL,
  proof_item_id   text,
  resolution_id   uuid REFERENCES material_resolutions(id),
  PRIMARY KEY (application_id, material_id)
);
COMMENT ON COLUMN application_materials.resolution_id IS 'shared by the member applications of a bundle that require the same proof (de-duplicated)';
CREATE INDEX application_materials_resolution_idx ON application_materials(resolution_id);

CREATE TABLE application_files (
  id             uuid PRIMARY KEY,
  application_id uuid NOT NULL REFERENCES applications(id),
  resolution_id  uuid REFERENCES material_resolutions(id),
  filename       text NOT NULL,
  media_type     text NOT NULL,
  size           integer NOT NULL,
  sm3            text NOT NULL,
  content        bytea NOT NULL,
  uploaded_by    uuid NOT NULL REFERENCES accounts(id),
  uploaded_at    timestamptz NOT NULL
);
COMMENT ON COLUMN application_files.media_type IS 'sniffed from the bytes (PDF, JPEG, PNG, OFD), not taken from the client';
CREATE INDEX application_files_application_idx ON application_files(application_id);

CREATE TABLE agent_authorizations (
  id                 uuid PRIMARY KEY,
  principal_account_id uuid NOT NULL REFERENCES accounts(id),
  principal_name     text NOT NULL,
  agent_account_id   uuid NOT NULL REFERENCES accounts(id),
  agent_name         text NOT NULL,
  service_item_codes text[] NOT NULL,
  valid_from         timestamptz NOT NULL,
  valid_until        timestamptz NOT NULL,
  status             text NOT NULL CHECK (status IN ('active', 'revoked')),
  created_at         timestamptz NOT NULL,
  revoked_at         timestamptz
);
COMMENT ON TABLE agent_authorizations IS '帮办代办授权: the applicant (principal) lets an agent prepare and submit applications for the listed service items during a period';
CREATE INDEX agent_authorizations_agent_idx ON agent_authorizations(agent_account_id, status);
CREATE INDEX agent_authorizations_principal_idx ON agent_authorizations(principal_account_id, status);

CREATE TABLE identity_checks (
  id               uuid PRIMARY KEY,
  method           text NOT NULL CHECK (method IN ('document', 'face')),
  subject_name     text NOT NULL,
  subject_kind     text NOT NULL CHECK (subject_kind IN ('person', 'enterprise')),
  subject_code_enc text NOT NULL,
  subject_code_hash text NOT NULL,
  subject_code_mask text NOT NULL,
  verified         boolean NOT NULL,
  checks           jsonb NOT NULL,
  checked_by       uuid NOT NULL REFERENCES accounts(id),
  checked_at       timestamptz NOT NULL
);
COMMENT ON TABLE identity_checks IS 'identity checks of walk-in applicants before a helper files for them: a document check by the clerk now, face verification later';

CREATE TABLE notifications (
  id                   uuid PRIMARY KEY,
  recipient_account_id uuid NOT NULL REFERENCES accounts(id),
  kind                 text NOT NULL,
  title                text NOT NULL,
  body                 text NOT NULL,
  link                 text,
  created_at           timestamptz NOT NULL,
  read_at              timestamptz
);
COMMENT ON TABLE notifications IS 'in-app notifications (the in-app adapter of the notifications port; SMS and e-mail adapters come later)';
CREATE INDEX notifications_recipient_idx ON notifications(recipient_account_id, created_at DESC);

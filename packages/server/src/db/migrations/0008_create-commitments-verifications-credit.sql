-- Commitments (告知承诺), department verification requests (部门核验), post-checks and credit records (信用监管).

CREATE TABLE commitments (
  id                   uuid PRIMARY KEY,
  application_id       uuid NOT NULL REFERENCES applications(id),
  resolution_id        uuid NOT NULL REFERENCES material_resolutions(id),
  proof_item_id        text NOT NULL,
  proof_item_name      text NOT NULL,
  issuing_department_id text NOT NULL,
  applicant_account_id uuid REFERENCES accounts(id),
  applicant_name       text NOT NULL,
  applicant_code_hash  text NOT NULL,
  applicant_code_mask  text NOT NULL,
  notice               jsonb NOT NULL,
  text                 text NOT NULL,
  text_digest          text NOT NULL,
  rule                 jsonb NOT NULL,
  status               text NOT NULL CHECK (status IN ('pending_signature', 'signed', 'declined', 'found_false')),
  created_at           timestamptz NOT NULL,
  signed_at            timestamptz,
  signed_by            uuid REFERENCES accounts(id),
  signed_via           text CHECK (signed_via IN ('own_account', 'in_person')),
  seal                 jsonb,
  period_month         char(7)
);
COMMENT ON COLUMN commitments.notice IS 'what the department tells the applicant (2020 guidance): proof name and content, legal basis, conditions, consequence, who verifies, how to complain';
COMMENT ON COLUMN commitments.text_digest IS 'SM3 of the full commitment text the applicant signed';
COMMENT ON COLUMN commitments.seal IS 'platform SM2 signature over {commitmentId, textDigest, signer, signedAt}: keyId, signature';
COMMENT ON COLUMN commitments.signed_via IS 'own_account: signed by the applicant signed in to their own account; in_person: a walk-in applicant signed at the window after an identity check';
CREATE INDEX commitments_application_idx ON commitments(application_id);
CREATE INDEX commitments_applicant_idx ON commitments(applicant_code_hash);

CREATE TABLE verification_requests (
  id                        uuid PRIMARY KEY,
  application_id            uuid NOT NULL REFERENCES applications(id),
  application_ref           text NOT NULL,
  resolution_id             uuid NOT NULL REFERENCES material_resolutions(id),
  proof_item_id             text NOT NULL,
  proof_item_name           text NOT NULL,
  issuing_department_id     text NOT NULL REFERENCES departments(id),
  requesting_department_id  text NOT NULL REFERENCES departments(id),
  requesting_department_name text NOT NULL,
  subject_name              text NOT NULL,
  subject_kind              text NOT NULL,
  subject_code_hash         text NOT NULL,
  subject_code_mask         text NOT NULL,
  question                  text NOT NULL,
  status                    text NOT NULL CHECK (status IN ('pending', 'escalated', 'confirmed', 'denied')),
  requested_at              timestamptz NOT NULL,
  due_at                    timestamptz NOT NULL,
  working_days              integer NOT NULL,
  escalated_at              timestamptz,
  answered_at               timestamptz,
  answered_by               uuid REFERENCES accounts(id),
  reason                    text,
  period_month              char(7) NOT NULL
);
COMMENT ON COLUMN verification_requests.due_at IS 'end of the last working day (Asia/Shanghai) of the deadline, counted in the official calendar with holidays and make-up workdays';
COMMENT ON COLUMN verification_requests.escalated_at IS 'when the overdue request was escalated to supervisors';
CREATE INDEX verification_requests_inbox_idx ON verification_requests(issuing_department_id, status, due_at);
CREATE INDEX verification_requests_application_idx ON verification_requests(application_id);

CREATE TABLE post_checks (
  id                     uuid PRIMARY KEY,
  commitment_id          uuid NOT NULL UNIQUE REFERENCES commitments(id),
  application_id         uuid NOT NULL REFERENCES applications(id),
  application_ref        text NOT NULL,
  proof_item_id          text NOT NULL,
  proof_item_name        text NOT NULL,
  assigned_department_id text NOT NULL REFERENCES departments(id),
  subject_name           text NOT NULL,
  subject_code_hash      text NOT NULL,
  subject_code_mask      text NOT NULL,
  reason                 text NOT NULL CHECK (reason IN ('sampled', 'credit_history')),
  status                 text NOT NULL CHECK (status IN ('open', 'done')),
  created_at             timestamptz NOT NULL,
  due_at                 timestamptz NOT NULL,
  result                 boolean,
  note                   text,
  checked_by             uuid REFERENCES accounts(id),
  checked_at             timestamptz
);
COMMENT ON TABLE post_checks IS '事中事后核查 of signed commitments, sampled at the item rate with seeded randomness; assigned to the issuing department';
COMMENT ON COLUMN post_checks.result IS 'true: the commitment was true; false: it was false (a credit record follows)';
CREATE INDEX post_checks_department_idx ON post_checks(assigned_department_id, status, due_at);

CREATE TABLE credit_records (
  id               uuid PRIMARY KEY,
  subject_code_hash text NOT NULL,
  subject_code_mask text NOT NULL,
  subject_name     text NOT NULL,
  subject_kind     text NOT NULL,
  type             text NOT NULL CHECK (type IN ('false_commitment')),
  source_type      text NOT NULL,
  source_id        text NOT NULL,
  source_ref       text NOT NULL,
  department_id    text NOT NULL REFERENCES departments(id),
  detail           text NOT NULL,
  recorded_at      timestamptz NOT NULL,
  valid_until      timestamptz NOT NULL,
  status           text NOT NULL CHECK (status IN ('active', 'repaired')),
  repaired_at      timestamptz,
  repaired_by      uuid REFERENCES accounts(id),
  repair_reason    text
);
COMMENT ON TABLE credit_records IS '失信记录: a false commitment withdraws the commitment route from the subject until valid_until or repair';
COMMENT ON COLUMN credit_records.source_ref IS 'human-readable source: the application number of the false commitment';
CREATE INDEX credit_records_subject_idx ON credit_records(subject_code_hash, status, valid_until);

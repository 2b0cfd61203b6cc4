-- 数据留痕: every use of a person's or enterprise's data, readable by that person.
CREATE TABLE access_log (
  id                     uuid PRIMARY KEY,
  at                     timestamptz NOT NULL,
  subject_hash           text NOT NULL,
  subject_kind           text NOT NULL CHECK (subject_kind IN ('person', 'enterprise')),
  subject_mask           text NOT NULL,
  accessor_department_id text,
  accessor_name          text NOT NULL,
  accessor_account_id    text,
  accessor_role          text,
  on_behalf_of           text,
  data_item              text NOT NULL,
  data_item_label        text NOT NULL,
  purpose                text NOT NULL,
  application_ref        text,
  legal_basis            text NOT NULL,
  outcome                text NOT NULL,
  detail                 jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE access_log IS 'one row per use of personal/enterprise data (license read, data-sharing query, verification); insert-only; the subject reads their rows';
COMMENT ON COLUMN access_log.subject_hash IS 'HMAC-SM3 lookup hash of the subject identity number or USCC (same key as accounts.id_number_hash)';
CREATE INDEX access_log_subject_idx ON access_log(subject_hash, at DESC);
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
ALTER TABLE accounts ADD COLUMN uscc_hash text;
COMMENT ON COLUMN accounts.uscc_hash IS 'HMAC-SM3 lookup hash of the enterprise USCC, to match access-log rows';

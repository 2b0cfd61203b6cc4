-- 实名核验: a self-registered account has only claimed its identity number (anyone can type
-- a valid one). Until the claim is verified — in person at a service-hall window against the
-- identity document, or by a connected real-name service — the account reaches no personal
-- data: no licenses, no access log, no applications, no authorisations.
ALTER TABLE accounts ADD COLUMN identity_verification text NOT NULL DEFAULT 'assumed'
  CHECK (identity_verification IN ('assumed', 'pending', 'in_person', 'online'));
ALTER TABLE accounts ADD COLUMN identity_verified_at timestamptz;
ALTER TABLE accounts ADD COLUMN identity_verified_by uuid REFERENCES accounts(id);
COMMENT ON COLUMN accounts.identity_verification IS 'assumed: created by a trusted path (staff, seeded, unified login); pending: self-registered, not yet verified; in_person: verified at a window against the document; online: verified by a real-name service';
-- accounts that registered themselves before this migration have not been verified either
UPDATE accounts SET identity_verification = 'pending'
 WHERE id::text IN (SELECT subject_id FROM audit_log WHERE action = 'identity.account.register');

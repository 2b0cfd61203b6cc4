-- 修改密码 and 等保 2.0 (定期更换): when each account's password was last set, and the hashes of
-- the passwords it replaced (a new password may not be any of the last five, the current one
-- included). Existing accounts count from this migration: their passwords are taken as set now.
ALTER TABLE accounts ADD COLUMN password_changed_at timestamptz NOT NULL DEFAULT now();
COMMENT ON COLUMN accounts.password_changed_at IS 'when the password was last set (account created, seeded or 修改密码); a staff-side account whose password is older than PASSWORD_MAX_AGE_DAYS may only change it';

CREATE TABLE password_history (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id    uuid NOT NULL REFERENCES accounts(id),
  password_hash text NOT NULL,
  replaced_at   timestamptz NOT NULL
);
CREATE INDEX password_history_account_idx ON password_history (account_id, id);
COMMENT ON TABLE password_history IS 'scrypt hashes (never the passwords) an account used before its current one, only the most recent four: a new password may equal none of them nor the current one';
COMMENT ON COLUMN password_history.replaced_at IS 'when the password stopped being the account''s (the 修改密码 that replaced it)';

COMMENT ON TABLE login_attempts IS 'throttling counters shared by all instances: sign-in and 修改密码 failures per username (user:…) and per client address (addr:…); registrations that hit an identity number or USCC already registered, per client address (register-conflict:…)';

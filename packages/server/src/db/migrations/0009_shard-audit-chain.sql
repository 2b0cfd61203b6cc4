-- The audit log becomes several parallel hash chains, so that concurrent transactions do
-- not queue on one lock. Each transaction appends to one chain (picked at random, kept for
-- the whole transaction); every chain is checked on its own.
ALTER TABLE audit_log ADD COLUMN chain smallint NOT NULL DEFAULT 0;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
ALTER TABLE audit_log ADD PRIMARY KEY (chain, seq);
CREATE INDEX audit_log_at_idx ON audit_log(at);
COMMENT ON COLUMN audit_log.chain IS 'which of the parallel hash chains the entry belongs to; seq, prev_hash and hash are per chain';

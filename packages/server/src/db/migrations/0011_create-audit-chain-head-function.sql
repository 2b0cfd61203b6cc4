-- Taking a chain's lock and reading its head in one round trip. The function is VOLATILE
-- PL/pgSQL, so under READ COMMITTED its SELECT takes a new snapshot after the lock is
-- granted: it sees every entry committed by the chain's previous holder.
CREATE FUNCTION audit_chain_lock_head(lock_key bigint, chain_no smallint)
RETURNS TABLE (seq bigint, hash text)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  RETURN QUERY SELECT a.seq::bigint, a.hash::text FROM audit_log a WHERE a.chain = chain_no ORDER BY a.seq DESC LIMIT 1;
END
$$;
COMMENT ON FUNCTION audit_chain_lock_head(bigint, smallint) IS 'locks an audit chain for the rest of the transaction and returns its head (seq, hash), or no row for an empty chain';

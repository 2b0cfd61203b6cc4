-- Key management: signing keys of issuing departments, provider nodes and the platform.
CREATE TABLE signing_keys (
  key_id          text PRIMARY KEY,
  owner_id        text NOT NULL,
  suite           text NOT NULL CHECK (suite IN ('SM2-SM3', 'Ed25519')),
  public_key      text NOT NULL,
  private_key_sealed text NOT NULL,
  status          text NOT NULL CHECK (status IN ('active', 'retired')),
  created_at      timestamptz NOT NULL,
  retired_at      timestamptz
);
COMMENT ON TABLE signing_keys IS 'keystore; private keys sealed with SM4-CTR+HMAC-SM3 under a key derived from the master key, bound to key_id; never returned by any API';
COMMENT ON COLUMN signing_keys.owner_id IS 'department id, provider node id or "platform"';
COMMENT ON COLUMN signing_keys.status IS 'active keys sign; retired keys only verify (rotation keeps them valid for verification)';
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(owner_id, suite) WHERE status = 'active';

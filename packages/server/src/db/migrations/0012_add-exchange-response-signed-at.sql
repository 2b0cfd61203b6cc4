-- The time the provider signed its answer (x-mz-timestamp), part of the MZX1 response
-- canonical string: with the request and response digests, the key and the batch proof, the
-- exchange log alone re-verifies the provider's signature (without holding the answer itself).
ALTER TABLE exchange_log ADD COLUMN response_signed_at timestamptz;
COMMENT ON COLUMN exchange_log.response_signed_at IS 'x-mz-timestamp of the signed answer; with request_digest, response_digest, provider_key_id, response_signature and response_batch_proof it re-verifies the signature';

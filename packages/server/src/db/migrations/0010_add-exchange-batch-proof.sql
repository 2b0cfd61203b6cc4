-- MZX1 batch signatures: a node may sign several answers at once; the stored signature then
-- covers the batch statement, and this proof leads from the answer's canonical string to its root.
ALTER TABLE exchange_log ADD COLUMN response_batch_proof text;
COMMENT ON COLUMN exchange_log.response_batch_proof IS 'x-mz-batch inclusion proof (<index>.<size>.<path>) when response_signature covers a batch of answers; null for a signature over this answer alone';

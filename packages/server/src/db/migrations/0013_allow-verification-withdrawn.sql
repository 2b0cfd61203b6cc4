-- A department verification request the applicant no longer needs (the application was
-- withdrawn, or the material is now met another way) leaves the issuer's inbox as
-- 'withdrawn': it is not escalated, and an answer to it is refused — no data is disclosed
-- for a purpose that has gone.
ALTER TABLE verification_requests DROP CONSTRAINT verification_requests_status_check;
ALTER TABLE verification_requests ADD CONSTRAINT verification_requests_status_check
  CHECK (status IN ('pending', 'escalated', 'confirmed', 'denied', 'withdrawn'));
COMMENT ON COLUMN verification_requests.status IS 'pending → escalated (overdue) → confirmed / denied; withdrawn: no longer needed (application withdrawn, or the material met another way) before an answer';

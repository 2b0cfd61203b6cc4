-- Working-day deadlines already set are recomputed when the official calendar changes
-- (PUT /api/v1/calendar/:year): open verification requests from requested_at and their
-- working_days, applications under review from when the review started and its working days.

-- The clerk's review deadline: its start and length were not stored, only its end.
ALTER TABLE applications ADD COLUMN review_started_at timestamptz;
ALTER TABLE applications ADD COLUMN review_working_days integer CHECK (review_working_days > 0);
COMMENT ON COLUMN applications.review_started_at IS 'when the current (or last) review period began: the move to under_review; review_due_at is the end of the review_working_days-th working day after it, and is recomputed from it when the calendar changes';
COMMENT ON COLUMN applications.review_working_days IS 'length of the review period in working days (REVIEW_WORKING_DAYS when it began)';
-- Applications under review now: the period began at their last move to under_review (the audit
-- entry's time; updated_at when that is earlier, e.g. a history written with a set clock).
UPDATE applications a SET review_working_days = 5, review_started_at = LEAST(a.updated_at, COALESCE(
    (SELECT max(l.at) FROM audit_log l WHERE l.subject_type = 'application' AND l.subject_id = a.id::text AND l.action = 'application.under_review'), a.updated_at))
  WHERE a.status = 'under_review' AND a.review_due_at IS NOT NULL;

-- The calendar's generation: changed (+1) with the overrides, in the same transaction. A
-- transaction that writes a working-day deadline first holds the calendar (shared lock) and
-- reads the generation; a calendar change takes the lock exclusively. So a deadline is
-- written either before the change (which then recomputes it) or after it (with the new
-- calendar: an instance whose copy is of an older generation reloads it first).
CREATE TABLE calendar_generation (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  n        bigint NOT NULL
);
COMMENT ON TABLE calendar_generation IS 'one row: how many times the calendar overrides (calendar_days) have been changed';
INSERT INTO calendar_generation (n) VALUES (0);

-- VOLATILE PL/pgSQL: the SELECT after the lock takes a new snapshot (see audit_chain_lock_head, 0011).
CREATE FUNCTION calendar_hold() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(72010301);
  RETURN (SELECT n FROM calendar_generation);
END
$$;
COMMENT ON FUNCTION calendar_hold() IS 'holds the official calendar unchanged until the transaction ends (shared) and returns its generation; taken before any row lock by a transaction that writes a working-day deadline';

CREATE FUNCTION calendar_change() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  changed bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(72010301);
  UPDATE calendar_generation SET n = n + 1 RETURNING n INTO changed;
  RETURN changed;
END
$$;
COMMENT ON FUNCTION calendar_change() IS 'locks the official calendar against deadline writers and other changes until the transaction ends (exclusive) and advances its generation; taken first by a calendar change';

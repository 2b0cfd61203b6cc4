-- Idle timeout (等保 2.0 level 3): a session unused for longer than SESSION_IDLE_MINUTES is
-- refused and deleted. Its last use is written at most once a minute per session, so
-- authenticating a request does not write each time.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
COMMENT ON COLUMN sessions.last_seen_at IS 'last use of the session, to the minute (written at most once a minute); unused for longer than SESSION_IDLE_MINUTES → the session is ended';

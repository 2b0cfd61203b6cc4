-- 节假日安排: the State Council's annual holiday notice (国务院办公厅关于某年部分节假日安排的通知)
-- as a data administrator enters it, before the calendar package carries it. Working-day
-- deadlines (verification requests, clerk review) read these rows over the package and
-- the statutory holidays.
CREATE TABLE calendar_days (
  date        date PRIMARY KEY,
  work        boolean NOT NULL,
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 40),
  updated_by  uuid REFERENCES accounts(id),
  updated_at  timestamptz NOT NULL
);
COMMENT ON TABLE calendar_days IS 'administrators'' overrides of the official working-day calendar, one row per date; a row beats the chinese-days package and the statutory holidays for its date; a year''s rows are replaced together';
COMMENT ON COLUMN calendar_days.work IS 'true: a working day (e.g. a 调休 make-up workday on a weekend); false: a day off (a holiday, or a bridge day moved by 调休)';
COMMENT ON COLUMN calendar_days.name IS 'what the notice calls the day, e.g. 春节, 国庆节调休上班';

-- In-app notifications in both languages: the UI speaks zh-CN first and English second, so each
-- notice keeps its English title and body beside the Chinese ones. Notices written before this
-- migration have none (NULL): they are shown in Chinese in either language.
ALTER TABLE notifications ADD COLUMN title_en text;
ALTER TABLE notifications ADD COLUMN body_en text;
COMMENT ON COLUMN notifications.title IS 'the title in zh-CN (always present)';
COMMENT ON COLUMN notifications.body IS 'the body in zh-CN (always present)';
COMMENT ON COLUMN notifications.title_en IS 'the title in English; NULL for notices written before migration 0021 (shown in Chinese)';
COMMENT ON COLUMN notifications.body_en IS 'the body in English; NULL for notices written before migration 0021 (shown in Chinese)';

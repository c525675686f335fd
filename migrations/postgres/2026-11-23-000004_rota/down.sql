DELETE FROM notifications WHERE kind NOT IN ('absence', 'reminder', 'escalation', 'digest');
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('absence', 'reminder', 'escalation', 'digest'));
DROP TABLE calendar_feeds;
DROP INDEX shifts_location_start;
DROP INDEX shifts_template_date;
ALTER TABLE shifts DROP COLUMN handover_at;
ALTER TABLE shifts DROP COLUMN handover_by;
ALTER TABLE shifts DROP COLUMN handover_note;
ALTER TABLE shifts DROP COLUMN cancelled_at;
ALTER TABLE shifts DROP COLUMN template_date;
ALTER TABLE shifts DROP COLUMN template_id;
ALTER TABLE shifts DROP COLUMN min_staff;
DROP TABLE rota_templates;

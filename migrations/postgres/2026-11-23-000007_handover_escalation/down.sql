DELETE FROM notifications WHERE kind IN ('handover_in', 'handover_out');
ALTER TABLE notifications DROP COLUMN client_id;
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('absence', 'reminder', 'escalation', 'digest'));
DROP INDEX followups_escalation;
DROP TABLE handovers;

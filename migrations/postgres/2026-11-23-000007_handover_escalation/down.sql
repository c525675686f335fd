DELETE FROM notifications WHERE kind IN ('handover_in', 'handover_out');
ALTER TABLE notifications DROP COLUMN client_id;
DROP INDEX followups_escalation;
DROP TABLE handovers;

DELETE FROM notifications WHERE kind IN ('handover_in', 'handover_out');
CREATE TABLE notifications_old (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    dedupe_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    followup_id BIGINT REFERENCES followups (id) ON DELETE CASCADE,
    threshold_days INTEGER,
    item_count INTEGER NOT NULL DEFAULT 1,
    urgent BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    deliver_after TIMESTAMP NOT NULL,
    dispatched_at TIMESTAMP
);
INSERT INTO notifications_old (id, user_id, dedupe_key, kind, followup_id, threshold_days,
        item_count, urgent, created_at, deliver_after, dispatched_at)
    SELECT id, user_id, dedupe_key, kind, followup_id, threshold_days,
        item_count, urgent, created_at, deliver_after, dispatched_at
    FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_old RENAME TO notifications;
CREATE INDEX notifications_pending ON notifications (dispatched_at, deliver_after);
DROP INDEX followups_escalation;
DROP TABLE handovers;

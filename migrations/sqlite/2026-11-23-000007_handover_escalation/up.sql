-- Warm handovers and escalation by hand. Keep in step with the postgres folder of the same name.

-- A warm handover (warme overdracht): one casemanager hands a client to another; both
-- answer for her from starts_on until overlap_until (the end of the old assignment).
-- The note is client data: it is shown to the team on her file and never sent anywhere.
CREATE TABLE handovers (
    id INTEGER PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    from_user_id BIGINT NOT NULL REFERENCES users (id),
    to_user_id BIGINT NOT NULL REFERENCES users (id),
    starts_on DATE NOT NULL,
    overlap_until DATE NOT NULL,
    note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (overlap_until >= starts_on),
    CHECK (from_user_id <> to_user_id)
);
CREATE INDEX handovers_client ON handovers (client_id, created_at);

-- The process director's view: follow-ups escalated to her are few among many.
CREATE INDEX followups_escalation ON followups (escalation_level, status);

-- Notifications learn two kinds (the receiving and the handing casemanager of a handover)
-- and which client they concern, for the deep link. SQLite cannot change a CHECK in place,
-- so the table is rebuilt; nothing references it.
CREATE TABLE notifications_new (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    dedupe_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('absence', 'reminder', 'escalation', 'digest', 'handover_in', 'handover_out')),
    followup_id BIGINT REFERENCES followups (id) ON DELETE CASCADE,
    threshold_days INTEGER,
    item_count INTEGER NOT NULL DEFAULT 1,
    urgent BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    deliver_after TIMESTAMP NOT NULL,
    dispatched_at TIMESTAMP,
    client_id BIGINT REFERENCES clients (id) ON DELETE CASCADE
);
INSERT INTO notifications_new (id, user_id, dedupe_key, kind, followup_id, threshold_days,
        item_count, urgent, created_at, deliver_after, dispatched_at)
    SELECT id, user_id, dedupe_key, kind, followup_id, threshold_days,
        item_count, urgent, created_at, deliver_after, dispatched_at
    FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_pending ON notifications (dispatched_at, deliver_after);

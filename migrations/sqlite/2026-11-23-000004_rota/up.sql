-- The rota: weekly templates per location, shifts generated from them (one per template
-- and local date, so generating twice adds nothing), minimum staffing, cancellation,
-- a handover note per shift, and each user's secret calendar feed.
-- Keep in step with the postgres folder of the same name.
CREATE TABLE rota_templates (
    id INTEGER PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    location_id BIGINT NOT NULL REFERENCES locations (id),
    -- ISO weekdays as digits, Monday = 1: '12345' is Monday to Friday.
    weekdays TEXT NOT NULL,
    -- Local wall times 'HH:MM'; an end at or before the start is on the next day.
    starts_local TEXT NOT NULL,
    ends_local TEXT NOT NULL,
    min_staff INTEGER NOT NULL CHECK (min_staff BETWEEN 1 AND 20),
    active BOOLEAN NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX rota_templates_team ON rota_templates (team_id);

ALTER TABLE shifts ADD COLUMN min_staff INTEGER NOT NULL DEFAULT 1;
ALTER TABLE shifts ADD COLUMN template_id BIGINT REFERENCES rota_templates (id);
-- The local date of the template slot this shift was made for (kept when it is moved).
ALTER TABLE shifts ADD COLUMN template_date DATE;
ALTER TABLE shifts ADD COLUMN cancelled_at TIMESTAMP;
ALTER TABLE shifts ADD COLUMN handover_note TEXT;
ALTER TABLE shifts ADD COLUMN handover_by BIGINT REFERENCES users (id);
ALTER TABLE shifts ADD COLUMN handover_at TIMESTAMP;
CREATE UNIQUE INDEX shifts_template_date ON shifts (template_id, template_date);
CREATE INDEX shifts_location_start ON shifts (location_id, starts_at);

-- Only a hash of the feed's secret is kept; revoking deletes the row.
CREATE TABLE calendar_feeds (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- Notification kinds are an open set that grows with features (shift reminders now); the
-- code composes each push from the kinds it knows, so the database no longer lists them.
-- SQLite cannot drop a CHECK: rebuild the table.
CREATE TABLE notifications_rebuilt (
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
INSERT INTO notifications_rebuilt SELECT * FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_rebuilt RENAME TO notifications;
CREATE INDEX notifications_pending ON notifications (dispatched_at, deliver_after);

-- Follow-ups and Web Push. Keep in step with the sqlite folder of the same name.

-- Kept up to date with every recorded, corrected or deleted contact, so that finding
-- overdue clients costs time in proportion to clients, not contacts.
ALTER TABLE clients ADD COLUMN last_contact_at TIMESTAMP;
UPDATE clients SET last_contact_at =
    (SELECT MAX(seen_at) FROM contacts WHERE contacts.client_id = clients.id);
CREATE INDEX clients_caseload ON clients (caseload_status);

-- Quiet hours in local wall time (HH:MM); notifications inside them wait until they end.
ALTER TABLE users ADD COLUMN quiet_hours_start TEXT NOT NULL DEFAULT '23:00';
ALTER TABLE users ADD COLUMN quiet_hours_end TEXT NOT NULL DEFAULT '08:00';

CREATE TABLE followups (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('absence', 'reminder')),
    -- One absence follow-up per client per absence: 'absence:<client>:<start of absence>'.
    dedupe_key TEXT UNIQUE,
    absent_since TIMESTAMP,
    due_at TIMESTAMP NOT NULL,
    note TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'snoozed', 'closed')),
    escalation_level INTEGER NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 2),
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    notified_at TIMESTAMP,
    acknowledged_by BIGINT REFERENCES users (id),
    acknowledged_at TIMESTAMP,
    snoozed_until TIMESTAMP,
    snooze_reason TEXT,
    closed_by BIGINT REFERENCES users (id),
    closed_at TIMESTAMP,
    outcome TEXT
);
CREATE INDEX followups_client ON followups (client_id, status);
CREATE INDEX followups_status_due ON followups (status, due_at);
CREATE INDEX followups_team ON followups (team_id, status);

CREATE TABLE followup_events (
    id BIGSERIAL PRIMARY KEY,
    followup_id BIGINT NOT NULL REFERENCES followups (id) ON DELETE CASCADE,
    occurred_at TIMESTAMP NOT NULL,
    event TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    detail TEXT
);
CREATE INDEX followup_events_followup ON followup_events (followup_id, occurred_at);

CREATE TABLE push_subscriptions (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_success_at TIMESTAMP
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- What a user is to be told; the unique key makes every sweep idempotent.
CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    dedupe_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('absence', 'reminder', 'escalation', 'digest')),
    followup_id BIGINT REFERENCES followups (id) ON DELETE CASCADE,
    threshold_days INTEGER,
    item_count INTEGER NOT NULL DEFAULT 1,
    urgent BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    deliver_after TIMESTAMP NOT NULL,
    dispatched_at TIMESTAMP
);
CREATE INDEX notifications_pending ON notifications (dispatched_at, deliver_after);

-- One Web Push message to one device: the outbox the deliverer works through, with retries.
CREATE TABLE push_messages (
    id BIGSERIAL PRIMARY KEY,
    subscription_id BIGINT REFERENCES push_subscriptions (id) ON DELETE SET NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    payload TEXT NOT NULL,
    urgent BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'gone')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX push_messages_due ON push_messages (status, next_attempt_at);

-- Every delivery attempt, without the payload.
CREATE TABLE push_attempts (
    id BIGSERIAL PRIMARY KEY,
    message_id BIGINT NOT NULL REFERENCES push_messages (id) ON DELETE CASCADE,
    subscription_id BIGINT,
    attempted_at TIMESTAMP NOT NULL,
    outcome TEXT NOT NULL,
    status_code INTEGER
);
CREATE INDEX push_attempts_message ON push_attempts (message_id);

-- Keys the server generates once and keeps (the VAPID key pair); shared by all instances.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

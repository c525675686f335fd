-- The flex budget, and follow-ups before a registration expires.
-- Keep in step with the postgres folder of the same name.
--
-- SQLite cannot change a CHECK constraint in place, so `followups` is rebuilt to admit the
-- kind `registration_expiry` (notification kinds are no longer checked, see 000004), the documented way
-- (https://www.sqlite.org/lang_altertable.html#otheralter): foreign keys off, a new table,
-- copy, drop, rename the new one into place. That needs our own transaction (metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE followups_new (
    id INTEGER PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('absence', 'reminder', 'registration_expiry')),
    -- 'absence:<client>:<start of absence>', 'registration_expiry:<client>:<expiry date>'.
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
INSERT INTO followups_new SELECT * FROM followups;
DROP TABLE followups;
ALTER TABLE followups_new RENAME TO followups;
CREATE INDEX followups_client ON followups (client_id, status);
CREATE INDEX followups_status_due ON followups (status, due_at);
CREATE INDEX followups_team ON followups (team_id, status);

-- The team's flex budget for a calendar year, in euro cents.
CREATE TABLE flex_budgets (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TIMESTAMP NOT NULL,
    PRIMARY KEY (team_id, year)
);

-- What was spent for a client, on a local date, in euro cents. When a client's record is
-- deleted her expenses stay as amounts without her (SET NULL): the year's accounts stay true.
CREATE TABLE flex_expenses (
    id INTEGER PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id BIGINT REFERENCES clients (id) ON DELETE SET NULL,
    spent_on DATE NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    category TEXT NOT NULL CHECK (category IN ('clothing', 'sleeping_gear', 'food', 'transport', 'phone', 'housing', 'documents', 'other')),
    description TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX flex_expenses_team ON flex_expenses (team_id, spent_on);
CREATE INDEX flex_expenses_client ON flex_expenses (client_id, spent_on);

COMMIT;
PRAGMA foreign_keys = ON;

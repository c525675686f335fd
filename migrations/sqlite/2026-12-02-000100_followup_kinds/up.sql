-- Follow-up kinds are no longer checked by the database, as notification kinds are not
-- (since 000004): the plan, referrals and case meetings each add kinds, and the one mapping
-- of kinds to their stored text is `FollowupKind` in backend/domain/followup.rs, which
-- refuses any other text on reading. Keep in step with the postgres folder of the same name.
--
-- SQLite cannot drop a CHECK constraint in place, so `followups` is rebuilt the documented
-- way (https://www.sqlite.org/lang_altertable.html#otheralter), as in 000005.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE followups_new (
    id INTEGER PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- '<kind>:<client>:<what makes it unique>', for example 'absence:<client>:<start of absence>'.
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
CREATE INDEX followups_escalation ON followups (escalation_level, status);

COMMIT;
PRAGMA foreign_keys = ON;

-- The client file: the categories the assignment counts (addiction, sheltered housing,
-- known at the Huiskamer), why a trajectory was closed, and the history of her caseload
-- status (intake, to regular care, back to the team's own caseload, closed, reopened),
-- written in the same transaction as each change. Keep in step with
-- ../../sqlite/2026-11-30-002000_client_file/up.sql.
ALTER TABLE clients ADD COLUMN addiction TEXT NOT NULL DEFAULT 'unknown'
    CHECK (addiction IN ('yes', 'no', 'unknown'));
ALTER TABLE clients ADD COLUMN sheltered_housing BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN known_at_huiskamer BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN exit_reason TEXT
    CHECK (exit_reason IN ('regular_care', 'moved_away', 'stopped_sex_work', 'detained', 'deceased', 'other'));
ALTER TABLE clients ADD COLUMN exit_note TEXT;

-- Trajectories closed before reasons were recorded count as "other".
UPDATE clients SET exit_reason = 'other' WHERE caseload_status = 'closed';

CREATE TABLE client_status_changes (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    change TEXT NOT NULL
        CHECK (change IN ('intake', 'to_regular_care', 'to_own_caseload', 'closed', 'reopened')),
    changed_on DATE NOT NULL,
    reason TEXT
        CHECK (reason IN ('regular_care', 'moved_away', 'stopped_sex_work', 'detained', 'deceased', 'other')),
    note TEXT,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX client_status_changes_client ON client_status_changes (client_id, changed_on);

-- The history of the clients there are: their intake, and their present status as the
-- last change (dated at the intake for regular care, whose day was not kept; at the exit
-- date for a closure). Nobody recorded these: `recorded_by` stays empty.
INSERT INTO client_status_changes (client_id, change, changed_on, recorded_at)
    SELECT id, 'intake', coalesce(intake_on, CAST(created_at AS DATE)), created_at
    FROM clients ORDER BY id;
INSERT INTO client_status_changes (client_id, change, changed_on, recorded_at)
    SELECT id, 'to_regular_care', coalesce(intake_on, CAST(created_at AS DATE)), updated_at
    FROM clients WHERE caseload_status = 'regular_care' ORDER BY id;
INSERT INTO client_status_changes (client_id, change, changed_on, reason, recorded_at)
    SELECT id, 'closed', coalesce(exit_on, CAST(updated_at AS DATE)), exit_reason, updated_at
    FROM clients WHERE caseload_status = 'closed' ORDER BY id;

-- A contact outside a shift (by phone, a home visit, on the street, an appointment) has no
-- location: it keeps her in view but is no visit to De Loods or De Cirkel. SQLite cannot
-- drop a NOT NULL, so the table is rebuilt (nothing references contacts).
CREATE TABLE contacts_new (
    id INTEGER PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id BIGINT REFERENCES clients (id),
    visitor_count INTEGER NOT NULL DEFAULT 1,
    location_id BIGINT REFERENCES locations (id),
    shift_id BIGINT REFERENCES shifts (id),
    seen_at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'seen_at_zone', 'outreach', 'phone', 'home_visit', 'appointment')),
    services TEXT NOT NULL,
    note TEXT,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((client_id IS NOT NULL AND visitor_count = 1) OR (client_id IS NULL AND visitor_count BETWEEN 1 AND 100)),
    CHECK (location_id IS NOT NULL OR (client_id IS NOT NULL AND shift_id IS NULL AND kind IN ('outreach', 'phone', 'home_visit', 'appointment')))
);
INSERT INTO contacts_new (id, team_id, client_id, visitor_count, location_id, shift_id, seen_at,
    kind, services, note, recorded_by, created_at, updated_at)
SELECT id, team_id, client_id, visitor_count, location_id, shift_id, seen_at,
    kind, services, note, recorded_by, created_at, updated_at FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;
CREATE INDEX contacts_client_seen ON contacts (client_id, seen_at);
CREATE INDEX contacts_shift ON contacts (shift_id);
CREATE INDEX contacts_team_seen ON contacts (team_id, seen_at);

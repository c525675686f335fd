-- Time-out stays: a few nights away from the street (planned: 6 a year, at most 14 days).
-- Keep in step with the postgres folder of the same name.
CREATE TABLE timeout_stays (
    id INTEGER PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    place TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX timeout_stays_team ON timeout_stays (team_id, starts_on);
CREATE INDEX timeout_stays_client ON timeout_stays (client_id);

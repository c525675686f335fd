-- Stagnations: a stalled case the coordinator or her casemanager escalates to the process
-- director, with its kind and reason; she answers with an agreed action (an owner, a date)
-- or closes it with an outcome. Every step is an event on its timeline. A client can be
-- marked Top 15&15 (the city's homelessness approach).
-- Keep in step with the other folder of the same name.
ALTER TABLE clients ADD COLUMN top15 BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE stagnations (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id BIGINT NOT NULL REFERENCES clients (id),
    kind TEXT NOT NULL CHECK (kind IN (
        'housing', 'care_waiting_list', 'care_avoidance', 'safety', 'money', 'justice', 'other')),
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
    reported_by BIGINT NOT NULL REFERENCES users (id),
    reported_at TIMESTAMP NOT NULL,
    -- The latest answer: what was agreed, who does it, by when.
    agreed_action TEXT,
    action_owner TEXT,
    action_due_on DATE,
    answered_at TIMESTAMP,
    outcome TEXT,
    closed_at TIMESTAMP
);
CREATE INDEX stagnations_client ON stagnations (client_id);
CREATE INDEX stagnations_team_status ON stagnations (team_id, status);

CREATE TABLE stagnation_events (
    id BIGSERIAL PRIMARY KEY,
    stagnation_id BIGINT NOT NULL REFERENCES stagnations (id) ON DELETE CASCADE,
    occurred_at TIMESTAMP NOT NULL,
    event TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    -- The reason, the agreed action or the outcome, as the event says.
    detail TEXT,
    action_owner TEXT,
    action_due_on DATE
);
CREATE INDEX stagnation_events_stagnation ON stagnation_events (stagnation_id, occurred_at);

-- The case meeting (casusoverleg): the coordinator plans one for her team with the partner
-- organisations taking part; its agenda items (a free subject, or about a client, with why
-- she is on it), a discussion summary per item, and the decisions taken, each with an
-- owner (a team member, or a partner with a named contact person) and a due date.
-- A client's items and decisions are removed by her erasure; the meeting stays.
-- Keep in step with the other folder of the same name.
CREATE TABLE case_meetings (
    id INTEGER PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    starts_at TIMESTAMP NOT NULL,
    location TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_meetings_team ON case_meetings (team_id, starts_at);

CREATE TABLE case_meeting_partners (
    meeting_id BIGINT NOT NULL REFERENCES case_meetings (id) ON DELETE CASCADE,
    partner_id BIGINT NOT NULL REFERENCES partners (id),
    PRIMARY KEY (meeting_id, partner_id)
);

CREATE TABLE case_meeting_items (
    id INTEGER PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES case_meetings (id),
    ordinal INTEGER NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN (
        'stagnation', 'escalation', 'out_of_view', 'referral_waiting', 'plan_review',
        'client', 'free')),
    client_id BIGINT REFERENCES clients (id),
    title TEXT NOT NULL,
    summary TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX case_meeting_items_meeting ON case_meeting_items (meeting_id, ordinal);
CREATE INDEX case_meeting_items_client ON case_meeting_items (client_id);

CREATE TABLE case_meeting_decisions (
    id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES case_meeting_items (id) ON DELETE CASCADE,
    -- The item's client, kept here for the sweep, her export and her erasure.
    client_id BIGINT REFERENCES clients (id),
    what TEXT NOT NULL,
    owner_id BIGINT REFERENCES users (id),
    partner_id BIGINT REFERENCES partners (id),
    partner_contact TEXT,
    due_on DATE NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_meeting_decisions_item ON case_meeting_decisions (item_id);
CREATE INDEX case_meeting_decisions_client ON case_meeting_decisions (client_id);

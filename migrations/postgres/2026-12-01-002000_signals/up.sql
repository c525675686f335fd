-- Signals (signalering): what a worker noticed at the zone, the coordinator's triage, and
-- every hand-off to the police or supervisors; the team's editable checklist of
-- trafficking indicators. Text, description and ticked indicators are erased some months
-- after closing (`text_erased_at`); kind, time and location stay countable. Keep in step
-- with ../../sqlite/2026-12-01-002000_signals/up.sql.
CREATE TABLE signals (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    kind TEXT NOT NULL CHECK (kind IN
        ('new_face', 'violence', 'dangerous_customer', 'trafficking', 'health_concern', 'other_trend')),
    status TEXT NOT NULL CHECK (status IN ('new', 'assessed', 'passed_on', 'closed')),
    occurred_at TIMESTAMP NOT NULL,
    location_id BIGINT REFERENCES locations (id),
    client_id BIGINT REFERENCES clients (id),
    description TEXT,
    body TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    text_erased_at TIMESTAMP
);
CREATE INDEX signals_team ON signals (team_id, occurred_at);
CREATE INDEX signals_client ON signals (client_id);
CREATE INDEX signals_closed ON signals (closed_at);

CREATE TABLE signal_handoffs (
    id BIGSERIAL PRIMARY KEY,
    signal_id BIGINT NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL CHECK (recipient IN
        ('police', 'trafficking_coordinator', 'comensha', 'supervisor', 'partner')),
    recipient_detail TEXT,
    method TEXT NOT NULL CHECK (method IN ('phone', 'email', 'in_person', 'meeting', 'other')),
    handed_at TIMESTAMP NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX signal_handoffs_signal ON signal_handoffs (signal_id);

CREATE TABLE signal_indicators (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    label TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX signal_indicators_team ON signal_indicators (team_id);

CREATE TABLE signal_indicator_marks (
    signal_id BIGINT NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES signal_indicators (id),
    PRIMARY KEY (signal_id, indicator_id)
);

-- A signal sent again from the outbox with the same key is recorded once.
CREATE TABLE signal_idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users (id),
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    signal_id BIGINT NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

-- Every team starts with the common indicators; its coordinator edits them.
INSERT INTO signal_indicators (team_id, label, active, created_at)
    SELECT teams.id, defaults.label, TRUE, CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP)
    FROM teams CROSS JOIN (
        SELECT 1 AS position, 'Iemand anders beheert haar geld of papieren' AS label
        UNION ALL SELECT 2, 'Ze wordt gebracht en gehaald'
        UNION ALL SELECT 3, 'Ze heeft een schuld bij iemand'
        UNION ALL SELECT 4, 'Ze weet niet waar ze is of kan niet voor zichzelf spreken'
        UNION ALL SELECT 5, 'Tekenen van controle, angst of letsel'
    ) AS defaults
    ORDER BY teams.id, defaults.position;

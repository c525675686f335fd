-- Foundation: teams, accounts, sessions, clients, locations, shifts, contacts, audit log.
-- Keep in step with ../../sqlite/2026-11-23-000001_foundation/up.sql (see ../README.md).

CREATE TABLE organisations (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO organisations (name) VALUES
    ('IrisZorg'), ('Leger des Heils'), ('GGD'), ('Gemeente Nijmegen');

CREATE TABLE teams (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'casemanager', 'peer', 'process_director', 'municipality')),
    team_id BIGINT REFERENCES teams (id),
    organisation_id BIGINT REFERENCES organisations (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, failed_at);
CREATE INDEX login_failures_address ON login_failures (address, failed_at);

CREATE TABLE locations (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('zone', 'living_room', 'outreach', 'phone', 'other')),
    active BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO locations (code, name, kind) VALUES
    ('loods', 'De Loods', 'zone'),
    ('cirkel', 'Huiskamer De Cirkel', 'living_room');

CREATE TABLE clients (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    code TEXT NOT NULL,
    alias TEXT NOT NULL,
    registration_status TEXT NOT NULL CHECK (registration_status IN ('none', 'applied', 'registered', 'refused', 'ended')),
    registration_number TEXT,
    registration_date DATE,
    registration_expires_on DATE,
    region TEXT NOT NULL CHECK (region IN ('nijmegen', 'mo_region', 'outside')),
    caseload_status TEXT NOT NULL CHECK (caseload_status IN ('active', 'regular_care', 'closed')),
    intake_on DATE,
    exit_on DATE,
    followup_threshold_days INTEGER CHECK (followup_threshold_days BETWEEN 1 AND 365),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (team_id, code)
);

CREATE TABLE client_casemanagers (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    from_on DATE NOT NULL,
    until_on DATE,
    created_at TIMESTAMP NOT NULL,
    CHECK (until_on IS NULL OR until_on >= from_on)
);
CREATE INDEX client_casemanagers_client ON client_casemanagers (client_id);
CREATE INDEX client_casemanagers_user ON client_casemanagers (user_id);

CREATE TABLE shifts (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    location_id BIGINT NOT NULL REFERENCES locations (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX shifts_team_start ON shifts (team_id, starts_at);

CREATE TABLE shift_staff (
    id BIGSERIAL PRIMARY KEY,
    shift_id BIGINT NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    checked_in_at TIMESTAMP,
    checked_out_at TIMESTAMP,
    UNIQUE (shift_id, user_id)
);

CREATE TABLE contacts (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id BIGINT REFERENCES clients (id),
    visitor_count INTEGER NOT NULL DEFAULT 1,
    location_id BIGINT NOT NULL REFERENCES locations (id),
    shift_id BIGINT REFERENCES shifts (id),
    seen_at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'seen_at_zone', 'outreach', 'phone', 'home_visit', 'appointment')),
    services TEXT NOT NULL,
    note TEXT,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((client_id IS NOT NULL AND visitor_count = 1) OR (client_id IS NULL AND visitor_count BETWEEN 1 AND 100))
);
CREATE INDEX contacts_client_seen ON contacts (client_id, seen_at);
CREATE INDEX contacts_shift ON contacts (shift_id);
CREATE INDEX contacts_team_seen ON contacts (team_id, seen_at);

-- The replay memory behind `Idempotency-Key`: one row per key per user, written in the same
-- transaction as the contact it produced, so an acknowledged key always has its contact.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users (id),
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    contact_id BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

-- Append-only access log (NEN 7513 spirit). No foreign keys: entries outlive users and clients.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    user_id BIGINT,
    role TEXT,
    session_id BIGINT,
    address TEXT,
    event TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('C', 'R', 'U', 'D', 'E')),
    client_id BIGINT,
    outcome TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX audit_log_client ON audit_log (client_id, occurred_at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

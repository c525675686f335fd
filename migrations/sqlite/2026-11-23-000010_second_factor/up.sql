-- Second factor: a TOTP secret per user (confirmed once a first code matched), the last
-- 30-second step used (so each code works once), one-time recovery codes (hashed), and
-- on each session the moment its second factor was completed.
-- Keep in step with ../../postgres/2026-11-23-000010_second_factor/up.sql (see ../README.md).

CREATE TABLE totp_secrets (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    secret TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    last_used_step BIGINT
);

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL UNIQUE,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

ALTER TABLE sessions ADD COLUMN second_factor_at TIMESTAMP;

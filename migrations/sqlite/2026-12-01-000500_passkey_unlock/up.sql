-- A passkey also unlocks a locked session: a third kind of ceremony. SQLite cannot change a
-- CHECK constraint, so the table is made anew; a ceremony lives five minutes at most, so
-- one in flight during the upgrade is simply started again.
DROP TABLE webauthn_ceremonies;
CREATE TABLE webauthn_ceremonies (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('register', 'authenticate', 'unlock')),
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

DROP TABLE webauthn_ceremonies;
CREATE TABLE webauthn_ceremonies (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('register', 'authenticate')),
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

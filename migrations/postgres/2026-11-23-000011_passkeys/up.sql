-- Passkeys (WebAuthn): several per user, each with a name she gives it; the credential as
-- webauthn-rs stores it (JSON: public key, counter). A ceremony (registering or signing
-- in) keeps its challenge state here between its two requests, so any instance can finish
-- it; it is deleted when used, and refused after five minutes.
-- Keep in step with ../../sqlite/2026-11-23-000011_passkeys/up.sql (see ../README.md).

CREATE TABLE passkeys (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    credential TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX passkeys_user ON passkeys (user_id);

CREATE TABLE webauthn_ceremonies (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('register', 'authenticate')),
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

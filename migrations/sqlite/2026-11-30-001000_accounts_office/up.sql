-- The office's accounts: one-time start passwords, invitation links, and the partner
-- organisations of the care chain.
-- Keep in step with ../../postgres/2026-11-30-001000_accounts_office/up.sql (see ../README.md).

-- A start password the admin handed out (or InBeeld made up for her) works until it
-- expires, and only to choose her own: until she has, her sessions reach nothing else.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_expires_at TIMESTAMP;

-- An invitation link: only the SHA-256 of its token is kept; used once, it is deleted.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX invitations_user ON invitations (user_id);

-- Partners of the care chain, not users: what referrals will point at. A partner that is
-- referred to is set inactive, never deleted.
CREATE TABLE partners (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    active BOOLEAN NOT NULL DEFAULT 1
);
INSERT INTO partners (name) VALUES
    ('Zorg- en Veiligheidshuis'),
    ('GGD Bijzondere Zorg'),
    ('GGD Seksuele Gezondheid'),
    ('Huiskamer De Cirkel'),
    ('Huis op de Muur'),
    ('Politie'),
    ('Overweeghuis'),
    ('KiSS'),
    ('RIBW'),
    ('Domus'),
    ('Skeave Huse'),
    ('Het Hoogeland');

-- A passkey also unlocks a locked session: a third kind of ceremony.
ALTER TABLE webauthn_ceremonies DROP CONSTRAINT webauthn_ceremonies_kind_check;
ALTER TABLE webauthn_ceremonies
    ADD CONSTRAINT webauthn_ceremonies_kind_check CHECK (kind IN ('register', 'authenticate', 'unlock'));

-- A client's registration for the zone as a history of events: applied, granted, refused,
-- expired, renewed, ended. Her registration fields on `clients` stay as the cached current
-- state, rewritten from these events in the transaction that records or removes one. Keep
-- in step with ../../sqlite/2026-11-30-003000_registration_events/up.sql.
CREATE TABLE registration_events (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    kind TEXT NOT NULL
        CHECK (kind IN ('applied', 'granted', 'refused', 'expired', 'renewed', 'ended')),
    occurred_on DATE NOT NULL,
    number TEXT,
    expires_on DATE,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX registration_events_client ON registration_events (client_id, occurred_on);

-- One event for each client's present registration, dated at her registration date (else
-- her intake). Nobody recorded these: `recorded_by` stays empty.
INSERT INTO registration_events (client_id, kind, occurred_on, number, expires_on, recorded_at)
    SELECT id,
        CASE registration_status WHEN 'registered' THEN 'granted' ELSE registration_status END,
        coalesce(registration_date, intake_on, CAST(created_at AS DATE)),
        CASE registration_status WHEN 'registered' THEN registration_number END,
        CASE registration_status WHEN 'registered' THEN registration_expires_on END,
        updated_at
    FROM clients WHERE registration_status <> 'none' AND erased_at IS NULL ORDER BY id;

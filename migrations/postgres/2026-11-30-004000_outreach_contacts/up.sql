-- A contact outside a shift (by phone, a home visit, on the street, an appointment) has no
-- location: it keeps her in view but is no visit to De Loods or De Cirkel.
-- Keep in step with ../../sqlite/2026-11-30-003000_outreach_contacts/up.sql.
ALTER TABLE contacts ALTER COLUMN location_id DROP NOT NULL;
ALTER TABLE contacts ADD CONSTRAINT contacts_outreach_without_location
    CHECK (location_id IS NOT NULL OR (client_id IS NOT NULL AND shift_id IS NULL AND kind IN ('outreach', 'phone', 'home_visit', 'appointment')));

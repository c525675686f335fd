-- Back to a location for every contact: fails while a contact outside a shift exists.
ALTER TABLE contacts DROP CONSTRAINT contacts_outreach_without_location;
ALTER TABLE contacts ALTER COLUMN location_id SET NOT NULL;

DROP TABLE client_status_changes;
ALTER TABLE clients DROP COLUMN exit_note;
ALTER TABLE clients DROP COLUMN exit_reason;
ALTER TABLE clients DROP COLUMN known_at_huiskamer;
ALTER TABLE clients DROP COLUMN sheltered_housing;
ALTER TABLE clients DROP COLUMN addiction;

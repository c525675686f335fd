ALTER TABLE followups DROP COLUMN owner_id;

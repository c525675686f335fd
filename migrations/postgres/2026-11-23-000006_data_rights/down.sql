ALTER TABLE clients DROP COLUMN erased_at;

-- Data rights: an erased client stays behind as a tombstone that only keeps what the
-- figures need (team, intake and exit date, status); `erased_at` marks it, and every
-- query that shows clients leaves it out. Keep in step with the postgres folder.
ALTER TABLE clients ADD COLUMN erased_at TIMESTAMP;

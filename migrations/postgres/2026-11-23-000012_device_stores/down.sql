ALTER TABLE sessions DROP COLUMN locked_at;
ALTER TABLE sessions DROP COLUMN device_id;
DROP TABLE devices;

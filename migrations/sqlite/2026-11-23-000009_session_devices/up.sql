-- A session names the device it was opened on ("Chrome op Android", from the User-Agent;
-- nothing more of it is kept), so a user can recognise and end her own sessions.
-- Keep in step with ../../postgres/2026-11-23-000009_session_devices/up.sql (see ../README.md).
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';

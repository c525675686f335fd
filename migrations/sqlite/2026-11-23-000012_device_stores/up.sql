-- A device is one browser in which a user keeps InBeeld's offline store (cached client
-- list, queued contacts). The store is encrypted on the phone under a key that is itself
-- wrapped with `store_key`, which only this server hands out, to a live session on that
-- device: revoking the device erases the key and so makes the phone's copy unreadable.
-- An optional PIN unlocks a locked session on the device: only a hash of a proof derived
-- from it on the phone is kept, and five wrong ones remove it.
-- A session names its device once the app has asked for the key, and may be locked
-- (`locked_at`, or idle longer than the lock time): then it reaches nothing until unlocked.
-- Keep in step with ../../postgres/2026-11-23-000012_device_stores/up.sql (see ../README.md).

CREATE TABLE devices (
    id TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    store_key TEXT,
    pin_hash TEXT,
    pin_failures INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    CHECK ((store_key IS NULL) = (revoked_at IS NOT NULL))
);
CREATE INDEX devices_user ON devices (user_id);

ALTER TABLE sessions ADD COLUMN device_id TEXT REFERENCES devices (id);
ALTER TABLE sessions ADD COLUMN locked_at TIMESTAMP;

-- The phone a push subscription was registered from: ending that phone's session (signing
-- out, a lost phone ended from another, an account switched off) revokes the device and
-- removes its subscriptions with it, so a phone no longer hers stops getting notifications.
-- Empty for a subscription registered before the phone had claimed its device. A device id
-- (`devices.id`), without a foreign key so that SQLite can drop the column again.
-- Keep in step with ../../postgres/2026-12-06-000100_push_subscription_device/up.sql (see ../README.md).

ALTER TABLE push_subscriptions ADD COLUMN device_id TEXT;
CREATE INDEX push_subscriptions_device ON push_subscriptions (device_id);

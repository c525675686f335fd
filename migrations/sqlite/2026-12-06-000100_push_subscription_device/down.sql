DROP INDEX push_subscriptions_device;
ALTER TABLE push_subscriptions DROP COLUMN device_id;

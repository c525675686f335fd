-- The days whose morning digest has been queued. The sweep runs every quarter hour and
-- catches up on a digest for twelve hours after its time; once a day's digests are queued
-- (in the same transaction as this row), later sweeps that day skip the step instead of
-- reading every unclosed follow-up again to find them queued already.
-- Keep in step with ../../sqlite/2026-12-04-000200_digest_days/up.sql (see ../README.md).

CREATE TABLE digest_days (
    day DATE PRIMARY KEY,
    queued_at TIMESTAMP NOT NULL
);

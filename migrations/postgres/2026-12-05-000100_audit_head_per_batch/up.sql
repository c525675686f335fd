-- A lane's head in `audit_chain` is moved once per batch of writes, by the writer that
-- holds the lane (backend/db/lane.rs), instead of by a trigger after every entry: the row
-- changes once per batch, not twice per entry. The chain itself is unchanged: every entry
-- still carries the hash of the one before it, and the head the newest hash at commit.
-- Keep in step with ../../sqlite/2026-12-05-000100_audit_head_per_batch/up.sql (see ../README.md).

DROP TRIGGER audit_chain_follows ON audit_log;
DROP FUNCTION audit_chain_follow();

-- The audit trail becomes tamper-evident: every entry carries the hash of the one before
-- it and its own (see backend/audit/chain.rs), and `audit_chain` holds the newest hash.
-- Entries written before this migration keep no hash; the chain starts after them.
-- Keep in step with ../../postgres/2026-11-23-000008_audit_chain/up.sql (see ../README.md).

ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- One row. Writers update it in the same transaction as their entry, which on PostgreSQL
-- also makes them take turns, so the chain never forks. `pruned_through_*` is where the
-- chain resumes once entries past their retention period have been deleted.
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_hash TEXT NOT NULL,
    entries BIGINT NOT NULL,
    pruned_through_id BIGINT,
    pruned_through_hash TEXT
);
INSERT INTO audit_chain (id, last_hash, entries)
    VALUES (1, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- The head follows every new entry inside the database: one statement less per entry,
-- on the busiest path there is (every tally tap writes one).
CREATE TRIGGER audit_chain_follows AFTER INSERT ON audit_log
WHEN NEW.hash IS NOT NULL
BEGIN
    UPDATE audit_chain SET last_hash = NEW.hash WHERE id = 1;
END;

-- Entries are never changed, and deleted only once more than five years old (NEN 7513's
-- minimum; `audit_retention_years` may keep them longer, never shorter).
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.occurred_at >= datetime('now', '-5 years')
BEGIN
    SELECT RAISE(ABORT, 'audit_log entries are kept at least five years');
END;

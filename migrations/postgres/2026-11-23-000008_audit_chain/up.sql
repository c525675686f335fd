-- The audit trail becomes tamper-evident: every entry carries the hash of the one before
-- it and its own (see backend/audit/chain.rs), and `audit_chain` holds the newest hash.
-- Entries written before this migration keep no hash; the chain starts after them.
-- Keep in step with ../../sqlite/2026-11-23-000008_audit_chain/up.sql (see ../README.md).

ALTER TABLE audit_log ADD COLUMN prev_hash TEXT, ADD COLUMN hash TEXT;

-- One row. Writers update it in the same transaction as their entry, which also makes
-- them take turns (the row lock), so the chain never forks. `pruned_through_*` is where
-- the chain resumes once entries past their retention period have been deleted.
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
CREATE FUNCTION audit_chain_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_chain SET last_hash = NEW.hash WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_chain_follows AFTER INSERT ON audit_log
    FOR EACH ROW WHEN (NEW.hash IS NOT NULL) EXECUTE FUNCTION audit_chain_follow();

-- Entries are never changed, and deleted only once more than five years old (NEN 7513's
-- minimum; `audit_retention_years` may keep them longer, never shorter).
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.occurred_at < (now() AT TIME ZONE 'UTC') - interval '5 years' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only; entries are kept at least five years';
END
$$;

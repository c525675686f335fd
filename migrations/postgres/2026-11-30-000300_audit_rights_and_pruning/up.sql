-- What an entry changed, where the event alone does not say it: whose account and its new
-- role, team or state (a JSON object; never a password). Covered by the entry's hash.
ALTER TABLE audit_log ADD COLUMN detail TEXT;

-- The chain's pruning point (`audit_chain.pruned_through_*`) says where `inbeeld audit
-- verify` starts: entries at or below it count as pruned. It may only move forward, and
-- only over entries that are gone, which the database deletes only once they are five
-- years old (migration 8). How far retention may go by the setting is the code's to keep
-- (`jobs::retention`); `verify` fails when any entry at or below the point remains.
-- Keep in step with ../../sqlite/2026-11-30-000300_audit_rights_and_pruning/up.sql.

CREATE FUNCTION audit_chain_prune_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.pruned_through_id IS NULL
        OR NEW.pruned_through_id <= coalesce(OLD.pruned_through_id, 0) THEN
        RAISE EXCEPTION 'the audit chain''s pruning point only moves forward';
    END IF;
    IF EXISTS (SELECT 1 FROM audit_log WHERE id <= NEW.pruned_through_id) THEN
        RAISE EXCEPTION 'the audit chain''s pruning point cannot pass entries that still exist';
    END IF;
    RETURN NEW;
END
$$;
-- Only when the point changes: the head's updates on every entry never run this.
CREATE TRIGGER audit_chain_prunes_forward
    BEFORE UPDATE OF pruned_through_id, pruned_through_hash ON audit_chain
    FOR EACH ROW WHEN (NEW.pruned_through_id IS DISTINCT FROM OLD.pruned_through_id
        OR NEW.pruned_through_hash IS DISTINCT FROM OLD.pruned_through_hash)
    EXECUTE FUNCTION audit_chain_prune_forward();

-- Its one row stays: without it no entry can be written, and the head would be lost.
-- TRUNCATE passes row triggers, so it is refused for the chain and the trail alike.
CREATE FUNCTION audit_chain_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% keeps its rows', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER audit_chain_kept BEFORE DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_chain_kept();
CREATE TRIGGER audit_chain_not_truncated BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_kept();
CREATE TRIGGER audit_log_not_truncated BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_kept();

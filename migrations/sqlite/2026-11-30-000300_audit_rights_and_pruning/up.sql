-- What an entry changed, where the event alone does not say it: whose account and its new
-- role, team or state (a JSON object; never a password). Covered by the entry's hash.
ALTER TABLE audit_log ADD COLUMN detail TEXT;

-- The chain's pruning point (`audit_chain.pruned_through_*`) says where `inbeeld audit
-- verify` starts: entries at or below it count as pruned. It may only move forward, and
-- only over entries that are gone, which the database deletes only once they are five
-- years old (migration 8). How far retention may go by the setting is the code's to keep
-- (`jobs::retention`); `verify` fails when any entry at or below the point remains.
-- Keep in step with ../../postgres/2026-11-30-000300_audit_rights_and_pruning/up.sql.

-- Only when the point changes: the head's updates on every entry never run this.
CREATE TRIGGER audit_chain_prunes_forward
BEFORE UPDATE OF pruned_through_id, pruned_through_hash ON audit_chain
WHEN NEW.pruned_through_id IS NOT OLD.pruned_through_id
    OR NEW.pruned_through_hash IS NOT OLD.pruned_through_hash
BEGIN
    SELECT RAISE(ABORT, 'the audit chain''s pruning point only moves forward')
    WHERE NEW.pruned_through_id IS NULL
        OR NEW.pruned_through_id <= coalesce(OLD.pruned_through_id, 0);
    SELECT RAISE(ABORT, 'the audit chain''s pruning point cannot pass entries that still exist')
    WHERE EXISTS (SELECT 1 FROM audit_log WHERE id <= NEW.pruned_through_id);
END;

-- Its one row stays: without it no entry can be written, and the head would be lost.
CREATE TRIGGER audit_chain_kept BEFORE DELETE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'audit_chain keeps its one row');
END;

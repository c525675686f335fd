-- The audit chain in lanes: four independent chains, so that writes committed in parallel
-- (the four write queues of backend/db/batch.rs, on one server or several) no longer take
-- turns on one head row from their audit entry to their commit. Each entry says which
-- lane it extends; each lane's row holds its newest hash and its own pruning point.
-- `inbeeld audit verify` walks every lane and checks each against its head
-- (backend/app/audit/chain.rs). Entries written before this migration are lane 1.
-- Keep in step with ../../sqlite/2026-12-04-000100_audit_lanes/up.sql (see ../README.md).

ALTER TABLE audit_log ADD COLUMN lane INTEGER NOT NULL DEFAULT 1 CHECK (lane BETWEEN 1 AND 4);

ALTER TABLE audit_chain DROP CONSTRAINT audit_chain_id_check;
ALTER TABLE audit_chain ADD CONSTRAINT audit_chain_lane CHECK (id BETWEEN 1 AND 4);
-- New lanes start at the beginning (no hash before them) and at lane 1's pruning point:
-- nothing at or below it exists.
INSERT INTO audit_chain (id, last_hash, entries, pruned_through_id)
    SELECT lanes.id, '0000000000000000000000000000000000000000000000000000000000000000', 0,
           audit_chain.pruned_through_id
    FROM audit_chain, generate_series(2, 4) AS lanes(id)
    WHERE audit_chain.id = 1;

CREATE OR REPLACE FUNCTION audit_chain_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_chain SET last_hash = NEW.hash WHERE id = NEW.lane;
    RETURN NULL;
END
$$;

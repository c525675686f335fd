DROP TRIGGER audit_chain_follows ON audit_log;
DROP FUNCTION audit_chain_follow();
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
DROP TABLE audit_chain;
ALTER TABLE audit_log DROP COLUMN hash, DROP COLUMN prev_hash;

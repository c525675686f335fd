DROP TRIGGER audit_chain_kept;
DROP TRIGGER audit_chain_prunes_forward;
ALTER TABLE audit_log DROP COLUMN detail;

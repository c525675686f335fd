DROP TRIGGER audit_log_not_truncated ON audit_log;
DROP TRIGGER audit_chain_not_truncated ON audit_chain;
DROP TRIGGER audit_chain_kept ON audit_chain;
DROP FUNCTION audit_chain_kept();
DROP TRIGGER audit_chain_prunes_forward ON audit_chain;
DROP FUNCTION audit_chain_prune_forward();
ALTER TABLE audit_log DROP COLUMN detail;

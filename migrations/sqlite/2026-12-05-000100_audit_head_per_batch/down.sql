CREATE TRIGGER audit_chain_follows AFTER INSERT ON audit_log
WHEN NEW.hash IS NOT NULL
BEGIN
    UPDATE audit_chain SET last_hash = NEW.hash WHERE id = 1;
END;

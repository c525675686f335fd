CREATE FUNCTION audit_chain_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_chain SET last_hash = NEW.hash WHERE id = NEW.lane;
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_chain_follows AFTER INSERT ON audit_log
    FOR EACH ROW WHEN (NEW.hash IS NOT NULL) EXECUTE FUNCTION audit_chain_follow();

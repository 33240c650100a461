-- The audit trail is append-only (DESIGN.md section 6).
-- 1. The application role may insert and read, never change or remove.
REVOKE UPDATE, DELETE, TRUNCATE ON TABLE audit_events FROM compliancehub_app;
GRANT SELECT, INSERT ON TABLE audit_events TO compliancehub_app;

-- 2. For everyone else a trigger refuses UPDATE, DELETE and TRUNCATE. The table owner could disable it; the hash
--    chain is what then shows that the history was rewritten (AuditChainVerifier).
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();

CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

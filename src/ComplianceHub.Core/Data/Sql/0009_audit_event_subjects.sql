-- The subjects of an audit event that records many rows at once (ADR 0022) are append-only like the trail itself.
REVOKE UPDATE, DELETE, TRUNCATE ON TABLE audit_event_subjects FROM compliancehub_app;
GRANT SELECT, INSERT ON TABLE audit_event_subjects TO compliancehub_app;

CREATE OR REPLACE FUNCTION audit_event_subjects_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event_subjects is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_event_subjects_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_event_subjects
    FOR EACH ROW EXECUTE FUNCTION audit_event_subjects_refuse_change();

CREATE TRIGGER audit_event_subjects_no_truncate
    BEFORE TRUNCATE ON audit_event_subjects
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_subjects_refuse_change();

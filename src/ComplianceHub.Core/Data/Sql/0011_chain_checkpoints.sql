-- Signed checkpoints of the audit chain (issue 19, ADR 0031) are append-only like the trail: the application role may insert
-- and read them; a trigger refuses UPDATE, DELETE and TRUNCATE to everyone, the owner included. A forged checkpoint cannot be
-- made without the signing key (a file outside the database); one removed is still in the append-only checkpoint file.
REVOKE UPDATE, DELETE, TRUNCATE ON TABLE chain_checkpoints FROM compliancehub_app;
GRANT SELECT, INSERT ON TABLE chain_checkpoints TO compliancehub_app;

CREATE OR REPLACE FUNCTION chain_checkpoints_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'chain_checkpoints is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER chain_checkpoints_no_update_or_delete
    BEFORE UPDATE OR DELETE ON chain_checkpoints
    FOR EACH ROW EXECUTE FUNCTION chain_checkpoints_refuse_change();

CREATE TRIGGER chain_checkpoints_no_truncate
    BEFORE TRUNCATE ON chain_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION chain_checkpoints_refuse_change();

-- Database backstop for the gate (docs/adr/0008-evaluation-receipts.md). No rule logic lives here: the trigger only
-- asks whether the gate ran for this row in this transaction.
REVOKE UPDATE, DELETE, TRUNCATE ON TABLE evaluation_receipts FROM compliancehub_app;
GRANT SELECT, INSERT ON TABLE evaluation_receipts TO compliancehub_app;

CREATE OR REPLACE FUNCTION require_evaluation_receipt() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    row_id uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM evaluation_receipts r
        WHERE r.transaction_id = pg_current_xact_id()
          AND r.subject_table = TG_TABLE_NAME
          AND r.subject_id = row_id) THEN
        RAISE EXCEPTION '% on %.% (id %) was not evaluated by the compliance gate in this transaction',
            TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME, row_id
            USING ERRCODE = 'integrity_constraint_violation',
                  HINT = 'Every change to rule-relevant data goes through the command pipeline (ComplianceDbContext.SaveChangesAsync).';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER people_require_evaluation_receipt
    AFTER INSERT OR UPDATE OR DELETE ON people
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_evaluation_receipt();

CREATE CONSTRAINT TRIGGER access_grants_require_evaluation_receipt
    AFTER INSERT OR UPDATE OR DELETE ON access_grants
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_evaluation_receipt();

CREATE CONSTRAINT TRIGGER escort_assignments_require_evaluation_receipt
    AFTER INSERT OR UPDATE OR DELETE ON escort_assignments
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_evaluation_receipt();

-- A system's impact level decides grants (IL4+ rules), so cloud_systems joins the tables whose rows need the gate's
-- evaluation receipt at commit (docs/adr/0008-evaluation-receipts.md).
CREATE CONSTRAINT TRIGGER cloud_systems_require_evaluation_receipt
    AFTER INSERT OR UPDATE OR DELETE ON cloud_systems
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_evaluation_receipt();

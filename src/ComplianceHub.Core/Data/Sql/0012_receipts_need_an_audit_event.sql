-- A receipt proves the gate ran for a row only if the gate's other half, the audit event, is in the same transaction
-- (issue 19). Before this, whoever held the application role could insert a receipt for a row and change the row with raw
-- SQL in one transaction, and the commit-time check (0003/0005) was satisfied. Now every receipt must come with an audit
-- event written by its transaction: such a change then leaves a record in the chain, and state verification compares it
-- with the tables.
--
-- Each event records its transaction (top-level, as pg_current_xact_id() reports it even inside a savepoint, which EF Core
-- opens around SaveChanges). The column is not part of the hashed canonical form. Rows written before it have none.
ALTER TABLE audit_events ADD COLUMN transaction_id xid8;
ALTER TABLE audit_events ALTER COLUMN transaction_id SET DEFAULT pg_current_xact_id();

-- At commit, for each receipt: the newest event this transaction sees must be its own. The gate writes its events under
-- the chain lock (ADR 0024), held to commit, so no other transaction's event can be newer than ours; one index probe
-- (the primary key, backwards) per receipt.
CREATE OR REPLACE FUNCTION require_audit_event_in_transaction() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    current_transaction xid8 := pg_current_xact_id();
    newest xid8;
BEGIN
    SELECT e.transaction_id INTO newest FROM audit_events e ORDER BY e.sequence DESC LIMIT 1;
    IF newest IS DISTINCT FROM current_transaction THEN
        RAISE EXCEPTION 'an evaluation receipt for %.% (id %) was written in a transaction that wrote no audit event',
            TG_TABLE_SCHEMA, NEW.subject_table, NEW.subject_id
            USING ERRCODE = 'integrity_constraint_violation',
                  HINT = 'Receipts are written by the compliance gate together with the audit events of the change (ComplianceDbContext.SaveChangesAsync).';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER evaluation_receipts_require_audit_event
    AFTER INSERT ON evaluation_receipts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_audit_event_in_transaction();

-- The receipt check of 0003, unchanged in meaning, made an index lookup (docs/adr/0013-roster-import.md).
-- TG_TABLE_NAME is of type name: compared with the varchar column it cast the column, so the index on
-- (transaction_id, subject_table, subject_id) was used for transaction_id only and every check scanned all receipts of
-- the transaction. A 50,000-person import then spent about 90 seconds in the checks at commit (quadratic); with the
-- values in variables of the columns' own types each check is one index probe (under a second for 50,000 rows).
CREATE OR REPLACE FUNCTION require_evaluation_receipt() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    row_id uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
    subject varchar(60) := TG_TABLE_NAME;
    current_transaction xid8 := pg_current_xact_id();
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM evaluation_receipts r
        WHERE r.transaction_id = current_transaction
          AND r.subject_table = subject
          AND r.subject_id = row_id) THEN
        RAISE EXCEPTION '% on %.% (id %) was not evaluated by the compliance gate in this transaction',
            TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME, row_id
            USING ERRCODE = 'integrity_constraint_violation',
                  HINT = 'Every change to rule-relevant data goes through the command pipeline (ComplianceDbContext.SaveChangesAsync).';
    END IF;
    RETURN NULL;
END;
$$;

-- The fact history is append-only for everyone, the owner included, as the trail is (issue 19): the point-in-time answers,
-- the evidence package and state verification read it as the record of what was known when. The application role lost
-- UPDATE, DELETE and TRUNCATE in 0007; this refuses them to the owner too (who could still drop the trigger: the
-- detection in ADR 0031 covers that).
CREATE OR REPLACE FUNCTION person_fact_history_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'person_fact_history is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER person_fact_history_no_update_or_delete
    BEFORE UPDATE OR DELETE ON person_fact_history
    FOR EACH ROW EXECUTE FUNCTION person_fact_history_refuse_change();

CREATE TRIGGER person_fact_history_no_truncate
    BEFORE TRUNCATE ON person_fact_history
    FOR EACH STATEMENT EXECUTE FUNCTION person_fact_history_refuse_change();

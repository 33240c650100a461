-- Access events (issue 25, ADR 0047) are evidence: written once, with their import, by binary COPY. Nobody changes or
-- removes one, the owner included — but for one thing: an event whose identity matched nobody may be given the person an
-- alias later names (person_id from NULL to a person, and nothing else). The import's audit event carries the SHA-256 of
-- the events it added, so a rewrite by someone who drops this trigger is still found (`verify-chain` and the import page).
CREATE OR REPLACE FUNCTION access_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.person_id IS NULL AND NEW.person_id IS NOT NULL
       AND (to_jsonb(NEW) - 'person_id') = (to_jsonb(OLD) - 'person_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'access_events is append-only: % refused (only an unmatched event may be given its person)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER access_events_no_rewrite
    BEFORE UPDATE OR DELETE ON access_events
    FOR EACH ROW EXECUTE FUNCTION access_events_refuse_change();

CREATE TRIGGER access_events_no_truncate
    BEFORE TRUNCATE ON access_events
    FOR EACH STATEMENT EXECUTE FUNCTION access_events_refuse_change();

REVOKE DELETE, TRUNCATE ON access_events FROM compliancehub_app;

-- Known egress ranges: one row per range, and a GiST index for "is this address in a known egress range" (<<=).
CREATE UNIQUE INDEX ix_known_egress_ranges_range ON known_egress_ranges (range);
CREATE INDEX ix_known_egress_ranges_range_gist ON known_egress_ranges USING gist (range inet_ops);

-- An import writes its events (binary COPY) before its own row, which the gate saves with the change's audit event: the
-- reference is checked at commit.
ALTER TABLE access_events ALTER CONSTRAINT fk_access_events_access_log_imports_import_id DEFERRABLE INITIALLY DEFERRED;

-- "Access in a period" across people (the dashboard's count of people whose evidence disagrees): a BRIN index on the time,
-- tiny and nearly free to keep up on an append-mostly table.
CREATE INDEX ix_access_events_occurred_at_brin ON access_events USING brin (occurred_at);

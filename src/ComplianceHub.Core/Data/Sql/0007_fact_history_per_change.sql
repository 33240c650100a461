-- The fact history, one row per change (docs/adr/0019-fact-history-per-change.md). person_fact_history holds each
-- recorded change as one jsonb object of the attributes it set; the view person_fact_changes reads it one attribute a
-- row, as the table of that name did before, so readers asking about one attribute keep asking in SQL.

-- Append-only for the application: a recorded fact is never rewritten (issue 19 adds the owner-proof check).
REVOKE UPDATE, DELETE, TRUNCATE ON TABLE person_fact_history FROM compliancehub_app;
GRANT SELECT, INSERT ON TABLE person_fact_history TO compliancehub_app;

CREATE VIEW person_fact_changes AS
SELECT h.id,
       h.person_id,
       f.key::varchar(60) AS attribute,
       NULLIF(f.value, 'null'::jsonb) AS value,
       h.effective_on,
       h.source,
       h.recorded_by,
       h.recorded_by_name,
       h.recorded_at
FROM person_fact_history h
CROSS JOIN LATERAL jsonb_each(h.facts) AS f(key, value);

GRANT SELECT ON person_fact_changes TO compliancehub_app;

-- One fact-history row per change, also for a new person (docs/adr/0019-gate-steps-and-set-wise-writes.md): the facts
-- of a change whose source differs from the row's (a new person's screening result comes from screening) are named in
-- person_fact_history.sources; the view gives each attribute its own source.
CREATE OR REPLACE VIEW person_fact_changes AS
SELECT h.id,
       h.person_id,
       f.key::varchar(60) AS attribute,
       NULLIF(f.value, 'null'::jsonb) AS value,
       h.effective_on,
       COALESCE(h.sources ->> f.key, h.source)::varchar(20) AS source,
       h.recorded_by,
       h.recorded_by_name,
       h.recorded_at
FROM person_fact_history h
CROSS JOIN LATERAL jsonb_each(h.facts) AS f(key, value);

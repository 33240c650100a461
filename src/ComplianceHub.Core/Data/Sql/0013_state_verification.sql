-- State verification (ADR 0031, Auditing/StateVerifier): what the verifier needs to replay the trail set-wise, in one pass
-- over audit_events. Read-only helpers; the application role runs them (functions are executable by PUBLIC).

-- A subject's events merged in sequence order: each event's changes object ({"field": {"before": …, "after": …}}) laid over
-- those before it, so every field holds the before/after of the latest event that recorded it. jsonb_concat is jsonb's ||.
CREATE AGGREGATE audit_replay(jsonb) (SFUNC = jsonb_concat, STYPE = jsonb, INITCOND = '{}', PARALLEL = SAFE);

-- The people of one bulk "people added" event (event 3005, ADR 0022), each in the shape of a created row's changes
-- ({"field": {"after": value}}), from the event's columnar changes ({"fields": [names], "people": {"<id>": [values]}}).
-- PL/pgSQL holds its argument detoasted, so a 5,000-person event is read from its TOAST chunks once, not once per person.
-- Anything malformed gives fewer fields or people, never an error: the verifier then names the rows it cannot explain.
CREATE FUNCTION audit_people_added(changes jsonb) RETURNS TABLE (person_id text, person_changes jsonb)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    fields text[] := ARRAY(SELECT jsonb_array_elements_text(
        CASE jsonb_typeof(changes -> 'fields') WHEN 'array' THEN changes -> 'fields' ELSE '[]'::jsonb END));
BEGIN
    RETURN QUERY
        SELECT p.key,
               coalesce((SELECT jsonb_object_agg(fields[i], jsonb_build_object('after', p.value -> (i - 1)))
                         FROM generate_subscripts(fields, 1) AS i
                         WHERE fields[i] IS NOT NULL), '{}'::jsonb)
        FROM jsonb_each(CASE jsonb_typeof(changes -> 'people') WHEN 'object' THEN changes -> 'people' ELSE '{}'::jsonb END) AS p;
END;
$$;

-- JSON text as the trail records a jsonb column (a policy's parameters, a finding's facts: a string holding JSON), parsed
-- for comparison with the column; null when it is not JSON (which the portal never writes), so the row is reported
-- instead of the verification failing. Catching the error takes a subtransaction, which PostgreSQL refuses in a parallel
-- plan: PARALLEL UNSAFE, so the verifier's statement runs without parallel workers.
CREATE FUNCTION audit_json_text(value text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
BEGIN
    RETURN value::jsonb;
EXCEPTION WHEN data_exception OR program_limit_exceeded THEN
    RETURN NULL;
END;
$$;

-- An instant in any ISO 8601 form with an offset, to the microsecond (further digits dropped, as Npgsql drops them when it
-- writes); null when it is not an instant. PARALLEL UNSAFE for the same reason as audit_json_text.
CREATE FUNCTION audit_instant(value text) RETURNS timestamptz
LANGUAGE plpgsql STABLE STRICT PARALLEL UNSAFE AS $$
BEGIN
    RETURN regexp_replace(value, '^([^.]*[.][0-9]{6})[0-9]+', '\1')::timestamptz;
EXCEPTION WHEN data_exception THEN
    RETURN NULL;
END;
$$;

-- An instant as .NET writes it into the trail ("2026-06-27T10:11:12.1234567+00:00": the fraction in as few digits as it
-- needs, at most seven) in the text PostgreSQL prints for the stored value under TimeZone UTC and DateStyle ISO, which
-- the verifier sets: "2026-06-27 10:11:12.123456+00" (to the microsecond, truncated as Npgsql truncates when it writes,
-- trailing zeros dropped). UTC values (all the portal writes) are turned with string functions alone, which cost a
-- fraction of a parse; any other offset is parsed (null when it is not an instant). Not STRICT, so it is inlined.
CREATE FUNCTION audit_instant_text(value text) RETURNS text
LANGUAGE sql STABLE PARALLEL UNSAFE AS $$
    SELECT CASE
        WHEN right(value, 6) = '+00:00' OR right(value, 1) = 'Z' THEN
            CASE WHEN substr(value, 20, 1) = '.'
                 THEN rtrim(rtrim(left(overlay(value PLACING ' ' FROM 11 FOR 1),
                                       least(length(value) - CASE WHEN right(value, 1) = 'Z' THEN 1 ELSE 6 END, 26)), '0'), '.')
                 ELSE overlay(left(value, 19) PLACING ' ' FROM 11 FOR 1)
            END || '+00'
        ELSE audit_instant(value)::text
    END
$$;

using System.Globalization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Personnel;

namespace ComplianceHub.Cli.Scale;

/// <summary>
/// The bench's hand-written SQL: each answers the question of one measure directly on the same schema and indexes, with no
/// application in between (docs/performance.md quotes them). They are the floor the portal is compared with, not equivalents of
/// everything the portal does (the notes under the table say what the portal does beyond them).
/// </summary>
internal static class BaselineSql
{
    /// <summary>
    /// The same reconstruction's data in one statement: the day's grants on the system with their status changes replayed from
    /// the trail and kept only when active at some moment of the day (in SQL, with <c>lead()</c> over the changes), each holder's
    /// facts as of the day merged from the fact history. What the portal adds on top: escorts, waivers, policy versions and impact
    /// levels cut into intervals, and the rules engine's verdict on each.
    /// </summary>
    public const string AccessOnDay = """
        WITH day_grants AS (
            SELECT g.id, g.person_id, g.access_type, g.escorted, g.starts_on, g.ends_on
            FROM access_grants g
            WHERE g.system_id = @system AND g.starts_on <= @day AND (g.ends_on IS NULL OR g.ends_on >= @day) AND g.requested_at < @to),
        changes AS (
            SELECT d.id, e.occurred_at AS at, e.changes -> 'status' ->> 'after' AS status,
                   lead(e.occurred_at) OVER (PARTITION BY d.id ORDER BY e.sequence) AS until
            FROM day_grants d JOIN audit_events e ON e.subject_type = 'grant' AND e.subject_id = d.id::text
            WHERE e.occurred_at < @to AND e.event_type IN (4000, 4001) AND e.changes ? 'status'),
        held AS (
            SELECT DISTINCT id FROM changes WHERE status = 'Active' AND (until IS NULL OR until > @from))
        SELECT d.id, d.person_id, p.full_name, p.vendor_id, d.access_type, d.escorted, d.starts_on, d.ends_on, f.facts
        FROM day_grants d JOIN held USING (id) JOIN people p ON p.id = d.person_id
        LEFT JOIN LATERAL (
            SELECT jsonb_object_agg(k.key, k.value ORDER BY h.effective_on, h.recorded_at) AS facts
            FROM person_fact_history h CROSS JOIN LATERAL jsonb_each(h.facts) k
            WHERE h.person_id = d.person_id AND h.effective_on <= @day) f ON true
        ORDER BY p.full_name, d.id
        """;

    /// <summary>Current grants whose person holds an IN citizenship or was born in IN (what adding IN to COVERED touches).</summary>
    public const string PolicyPreview = """
        SELECT count(*) FROM access_grants g JOIN people p ON p.id = g.person_id
        WHERE g.status IN ('Active', 'PendingApproval', 'Suspended')
          AND (p.citizenships @> ARRAY['IN']::char(2)[] OR p.country_of_birth = 'IN')
        """;

    /// <summary>The same grants suspended by one statement (run in a transaction that is rolled back).</summary>
    public const string ActivationUpdate = """
        UPDATE access_grants g SET status = 'Suspended', status_reason = 'Suspended under the new policy version: CIT-COVERED.'
        FROM people p
        WHERE p.id = g.person_id AND g.status IN ('Active', 'PendingApproval')
          AND (p.citizenships @> ARRAY['IN']::char(2)[] OR p.country_of_birth = 'IN')
        """;

    /// <summary>The roster grid's columns for every person, as CSV.</summary>
    public const string RosterExport = """
        COPY (
          SELECT v.name AS vendor, p.employee_id, p.full_name, p.employer_type, array_to_string(p.citizenships, ';') AS citizenships,
                 p.us_lawful_permanent_resident, p.work_country, p.work_city, p.employment_status, p.screening_status, p.location_attested_on,
                 (SELECT count(*) FROM access_grants g WHERE g.person_id = p.id AND g.status = 'Active') AS active_grants,
                 (SELECT count(*) FROM access_grants g WHERE g.person_id = p.id AND g.status = 'Suspended') AS suspended_grants,
                 (SELECT count(*) FROM access_grants g WHERE g.person_id = p.id AND g.status = 'PendingApproval') AS pending_grants,
                 (SELECT count(*) FROM findings f WHERE f.person_id = p.id AND f.status IN ('Open', 'Acknowledged')) AS open_findings
          FROM people p JOIN vendors v ON v.id = p.vendor_id
          ORDER BY p.full_name, p.id
        ) TO STDOUT (FORMAT CSV, HEADER)
        """;

    /// <summary>Every audit event in sequence order, every column (what verification must read).</summary>
    public const string ChainRead = """
        SELECT sequence, occurred_at, actor_user_id, actor_name, actor_role, actor_vendor_id, authentication_method, event_type, operation,
               subject_type, subject_id, changes::text, rule_outcomes::text, correlation_id, session_id, api_token_id, client_address, user_agent,
               previous_hash, hash
        FROM audit_events ORDER BY sequence
        """;

    /// <summary>
    /// State verification by hand, as ADR 0031 first sketched it, for the two facts the threat model names (a grant's status, a
    /// person's work country): each subject's latest recorded value (<c>DISTINCT ON … ORDER BY sequence DESC</c> over its events)
    /// joined with its row. What the portal adds on top: every audited column of seven tables in one pass over the trail, the
    /// people of bulk events, rows added or deleted, values compared by type, and each discrepancy named in words.
    /// </summary>
    public const string StateCheck = """
        SELECT
          (SELECT count(*) FROM (
             SELECT DISTINCT ON (subject_id) subject_id, changes -> 'status' ->> 'after' AS status
             FROM audit_events WHERE subject_type = 'grant' AND event_type IN (4000, 4001) AND changes ? 'status'
             ORDER BY subject_id, sequence DESC) s
           FULL JOIN access_grants g ON g.id::text = s.subject_id
           WHERE g.status IS DISTINCT FROM s.status)
          +
          (SELECT count(*) FROM (
             SELECT DISTINCT ON (subject_id) subject_id, changes -> 'workCountry' ->> 'after' AS country
             FROM audit_events WHERE subject_type = 'person' AND event_type IN (3000, 3001) AND changes ? 'workCountry'
             ORDER BY subject_id, sequence DESC) s
           FULL JOIN people p ON p.id::text = s.subject_id
           WHERE p.work_country::text IS DISTINCT FROM s.country)
        """;

    public const string GrantInsert = """
        INSERT INTO access_grants (id, person_id, system_id, access_type, escorted, starts_on, ends_on, justification, status, requested_by, requested_at,
                                   approved_by, approved_at, policy_version_id)
        VALUES (@id, @person, @system, 'NonPrivileged', false, @starts, @ends, 'Bench: one grant request', 'Active', @by, @at, @by, @at,
                (SELECT id FROM policy_versions WHERE status = 'Active'));
        INSERT INTO evaluation_receipts (subject_table, subject_id, evaluated_at) VALUES ('access_grants', @id, @at);
        """;

    public const string AuditInsert = """
        INSERT INTO audit_events (sequence, occurred_at, actor_user_id, actor_name, actor_role, authentication_method, event_type, operation, subject_type,
                                  subject_id, changes, rule_outcomes, correlation_id, previous_hash, hash)
        VALUES (@seq, @at, @user, @name, @role, 'cli', 4000, 'bench-baseline-grant', 'grant', @subject, @changes, '[]', @correlation, @previous, @hash)
        """;

    /// <summary>People an IL2 grant request passes for: US citizens at work in the US, vetted, NDA signed, recently attested, no live grant on the system.</summary>
    public static string GrantCandidates(int count, DateOnly today) => string.Create(CultureInfo.InvariantCulture, $"""
        SELECT p.id FROM people p
        WHERE p.citizenships = ARRAY['US']::char(2)[] AND p.country_of_birth = 'US' AND p.work_country = 'US' AND p.employment_status = 'Active'
          AND p.investigation_tier IN ('T3', 'T5') AND p.nda_signed_on IS NOT NULL AND p.location_attested_on >= DATE '{today.AddDays(-20):yyyy-MM-dd}'
          AND p.screening_status = 'Clear' AND p.employee_id LIKE 'SC%'
          AND (p.adjudicated_on IS NULL OR p.adjudicated_on >= DATE '{today.AddYears(-4):yyyy-MM-dd}')
        ORDER BY p.id LIMIT {count}
        """);

    /// <summary>One filter/sort/page combination of the roster grid: how the page asks RosterQuery, and the hand SQL for it.</summary>
    public sealed record RosterCombo(string Name, RosterFilter Filter, PageRequest Page, string CountSql, string PageSql);

    public static List<RosterCombo> RosterCombos(IReadOnlyList<string> covered)
    {
        var coveredArray = "ARRAY[" + string.Join(", ", covered.Select(c => $"'{c}'")) + "]::char(2)[]";
        RosterCombo Combo(string name, RosterFilter filter, PageRequest page, string where, string order) => new(name, filter, page,
            $"SELECT count(*) FROM people p WHERE {where}",
            // The page's rows first, then the counts for those 25 only (in the SELECT list of the paged query PostgreSQL would
            // compute them for every row the OFFSET skips as well) — the best one statement can do, as the portal does in two.
            $"""
            SELECT p.*, v.name,
                   (SELECT count(*) FROM access_grants g WHERE g.person_id = p.id AND g.status = 'Active'),
                   (SELECT count(*) FROM access_grants g WHERE g.person_id = p.id AND g.status = 'Suspended'),
                   (SELECT count(*) FROM access_grants g WHERE g.person_id = p.id AND g.status = 'PendingApproval'),
                   (SELECT count(*) FROM findings f WHERE f.person_id = p.id AND f.status IN ('Open', 'Acknowledged'))
            FROM (SELECT p.* FROM people p WHERE {where} ORDER BY {order} LIMIT {page.PageSize} OFFSET {(page.Page - 1) * page.PageSize}) p
            JOIN vendors v ON v.id = p.vendor_id
            ORDER BY {order}
            """);
        return
        [
            Combo("everyone by name, page 1", new RosterFilter(), new PageRequest(1, 25), "true", "p.full_name, p.id"),
            Combo("everyone by name desc, page 40", new RosterFilter(), new PageRequest(40, 25, "fullName", true), "true", "p.full_name DESC, p.id"),
            Combo("citizenship IN, page 3", new RosterFilter { Citizenships = ["IN"] }, new PageRequest(3, 25), "p.citizenships @> ARRAY['IN']::char(2)[]",
                "p.full_name, p.id"),
            Combo("covered-nation group", new RosterFilter { Groups = [CitizenshipGroup.CoveredNation] }, new PageRequest(1, 25),
                $"p.citizenships && {coveredArray}", "p.full_name, p.id"),
            Combo("works in US, by employee id desc, page 200", new RosterFilter { WorkCountry = "US" }, new PageRequest(200, 25, "employeeId", true),
                "p.work_country = 'US'", "p.employee_id DESC, p.id"),
            Combo("search 'smith'", new RosterFilter { Search = "smith" }, new PageRequest(1, 25),
                "(p.full_name ILIKE '%smith%' OR p.employee_id ILIKE '%smith%' OR p.email ILIKE '%smith%')", "p.full_name, p.id"),
        ];
    }
}

using ComplianceHub.Core.Data;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Rules.Catalogue;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// Loads the access-log evidence of many people at once for the rules (issue 25): successful sign-ins per person, country and
/// UTC day — known egress ranges and unknown locations left out — with the latest line of each; and, per person and system,
/// the access no escorted session of the person covers. Two queries per batch of people, never one per person or grant.
/// </summary>
internal static class AccessEvidenceLoader
{
    /// <summary>Whether any of <paramref name="contexts"/> runs a rule that reads evidence: nothing is loaded otherwise.</summary>
    public static bool Needed(params RuleContext?[] contexts) => contexts.Any(c => c is not null && Reads(c.Policy));

    private static bool Reads(PolicyParameters p) =>
        p.SettingFor(CoveredRule).Enabled || p.SettingFor(MismatchRule).Enabled
        || (p.SettingFor(SessionRule).Enabled && p.EvidenceSettings.SessionActivityDays > 0);

    private static readonly IRule CoveredRule = RuleCatalogue.Find(LocEvidenceCovered.RuleId)!;
    private static readonly IRule MismatchRule = RuleCatalogue.Find(LocEvidenceMismatch.RuleId)!;
    private static readonly IRule SessionRule = RuleCatalogue.Find("ESCORT-SESSION-LOG")!;

    /// <summary>The evidence of each of <paramref name="personIds"/> over the longest window the contexts ask (a person with none is absent).</summary>
    /// <remarks>The <paramref name="sessions"/> the change adds or changes (not stored yet) cover access as the stored ones do.</remarks>
    public static async Task<Dictionary<Guid, AccessEvidence>> LoadAsync(ComplianceDbContext db, IReadOnlyCollection<Guid> personIds,
        IReadOnlyList<RuleContext?> contexts, SessionCoverage sessions, CancellationToken ct)
    {
        var result = new Dictionary<Guid, AccessEvidence>();
        var used = contexts.OfType<RuleContext>().Where(c => Reads(c.Policy)).ToList();
        if (personIds.Count == 0 || used.Count == 0)
        {
            return result;
        }
        var today = used.Max(c => c.Today);
        var now = used.Max(c => c.Now);
        var countriesSince = today.AddDays(-used.Max(c => c.Policy.EvidenceSettings.WindowDays));
        var sessionDays = used.Max(c => c.Policy.EvidenceSettings.SessionActivityDays);
        var countries = new Dictionary<Guid, List<CountryEvidence>>();
        var uncovered = new Dictionary<Guid, List<UncoveredAccess>>();

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            foreach (var chunk in personIds.Chunk(10_000))
            {
                await ReadAsync(connection, CountriesSql, chunk, Start(countriesSince), now, null, (r, line) =>
                    Add(countries, r.GetGuid(0), new CountryEvidence(r.GetString(1), Days(r), line)), ct);
                if (sessionDays > 0)
                {
                    await ReadAsync(connection, UncoveredSql, chunk, Start(today.AddDays(-sessionDays)), now, sessions, (r, line) =>
                        Add(uncovered, r.GetGuid(0), new UncoveredAccess(r.GetGuid(1), Days(r), line)), ct);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        foreach (var id in countries.Keys.Union(uncovered.Keys))
        {
            result[id] = new AccessEvidence(countries.GetValueOrDefault(id) ?? [], uncovered.GetValueOrDefault(id) ?? []);
        }
        return result;
    }

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static void Add<T>(Dictionary<Guid, List<T>> map, Guid key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }
        list.Add(value);
    }

    // Columns 2 and 3: the days and their counts (arrays); 4..: the latest line.
    private static List<DailyCount> Days(NpgsqlDataReader r)
    {
        var days = r.GetFieldValue<DateOnly[]>(2);
        var counts = r.GetFieldValue<int[]>(3);
        var list = new List<DailyCount>(days.Length);
        for (var i = 0; i < days.Length; i++)
        {
            list.Add(new DailyCount(days[i], counts[i]));
        }
        return list;
    }

    private static async Task ReadAsync(NpgsqlConnection connection, string sql, Guid[] people, DateTimeOffset since, DateTimeOffset now,
        SessionCoverage? sessions, Action<NpgsqlDataReader, EvidenceLine> row, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("people", people);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("now", now);
        if (sessions is not null)
        {
            command.Parameters.AddWithValue("xp", sessions.People);
            command.Parameters.AddWithValue("xs", sessions.Systems);
            command.Parameters.AddWithValue("xa", sessions.Starts);
            command.Parameters.AddWithValue("xb", sessions.Ends);
        }
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var line = new EvidenceLine(reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7), reader.GetInt32(8), reader.GetString(9), reader.GetString(10));
            row(reader, line);
        }
    }

    /// <summary>The sign-ins the rules count: successful, in the window, with a country, not from a known egress range.</summary>
    private const string Counted = """
        e.person_id = ANY(@people) AND e.succeeded AND e.occurred_at >= @since AND e.occurred_at <= @now
        AND NOT EXISTS (SELECT 1 FROM known_egress_ranges r WHERE e.address <<= r.range)
        """;

    private const string LatestLine = """
        SELECT DISTINCT ON ({0}) {0}, l.occurred_at, l.source_address, l.country AS latest_country, s.name, l.line, i.file_name, i.geolocation_database
        FROM e_rows l JOIN cloud_systems s ON s.id = l.system_id JOIN access_log_imports i ON i.id = l.import_id
        ORDER BY {0}, l.occurred_at DESC, l.id DESC
        """;

    private static readonly string CountriesSql = $"""
        WITH e_rows AS (
            SELECT e.id, e.person_id, e.country, e.system_id, e.import_id, e.occurred_at, e.source_address, e.line
            FROM access_events e WHERE {Counted} AND e.country IS NOT NULL),
        days AS (
            SELECT person_id, country, array_agg(day ORDER BY day) AS days, array_agg(n ORDER BY day) AS counts
            FROM (SELECT person_id, country, (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n FROM e_rows GROUP BY 1, 2, 3) d
            GROUP BY 1, 2),
        latest AS ({string.Format(LatestLine, "l.person_id, l.country")})
        SELECT d.person_id, d.country, d.days, d.counts, l.occurred_at, l.source_address, l.latest_country, l.name, l.line, l.file_name, l.geolocation_database
        FROM days d JOIN latest l ON l.person_id = d.person_id AND l.country = d.country
        """;

    private static readonly string UncoveredSql = $"""
        WITH e_rows AS (
            SELECT e.id, e.person_id, e.country, e.system_id, e.import_id, e.occurred_at, e.source_address, e.line
            FROM access_events e WHERE e.person_id = ANY(@people) AND e.succeeded AND e.occurred_at >= @since AND e.occurred_at <= @now
              AND NOT EXISTS (SELECT 1 FROM escorted_sessions x
                              WHERE x.person_id = e.person_id AND x.system_id = e.system_id AND e.occurred_at BETWEEN x.started_at AND x.ended_at)
              AND NOT EXISTS (SELECT 1 FROM unnest(@xp::uuid[], @xs::uuid[], @xa::timestamptz[], @xb::timestamptz[]) AS t(p, s, a, b)
                              WHERE t.p = e.person_id AND t.s = e.system_id AND e.occurred_at BETWEEN t.a AND t.b)),
        days AS (
            SELECT person_id, system_id, array_agg(day ORDER BY day) AS days, array_agg(n ORDER BY day) AS counts
            FROM (SELECT person_id, system_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n FROM e_rows GROUP BY 1, 2, 3) d
            GROUP BY 1, 2),
        latest AS ({string.Format(LatestLine, "l.person_id, l.system_id")})
        SELECT d.person_id, d.system_id, d.days, d.counts, l.occurred_at, l.source_address, l.latest_country, l.name, l.line, l.file_name, l.geolocation_database
        FROM days d JOIN latest l ON l.person_id = d.person_id AND l.system_id = d.system_id
        """;
}

/// <summary>Escorted sessions a change adds or changes, as parallel arrays for SQL (<c>unnest</c>).</summary>
internal sealed record SessionCoverage(Guid[] People, Guid[] Systems, DateTimeOffset[] Starts, DateTimeOffset[] Ends)
{
    public static SessionCoverage None { get; } = new([], [], [], []);
}

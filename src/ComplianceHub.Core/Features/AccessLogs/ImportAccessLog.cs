using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessLogs;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Gate;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>How many events of an import fell in one country (or had none, and why).</summary>
public sealed record AccessLogCountryCount(string? Country, LocationUnknown Unknown, int Events, int People);

/// <summary>An identity of the log that matched nobody of the vendor: resolve it with an alias (<see cref="AddAccessIdentityAlias"/>).</summary>
public sealed record UnmatchedAccessIdentity(string Identity, int Events, int FirstLine, DateTimeOffset FirstAt, DateTimeOffset LastAt);

/// <summary>The import of the same file before: when, by whom, and what it added.</summary>
public sealed record EarlierAccessLogImport(Guid ImportId, string FileName, DateTimeOffset ImportedAt, string ImportedBy, int Added);

/// <summary>
/// What an access-log import did or, on a dry run, would do: the format, the totals, every problem with its line (the first
/// <see cref="ImportAccessLogHandler.MaxProblemsListed"/> listed, all counted), the identities that matched nobody, the
/// countries seen, the geolocation database used, and the consequences (grants suspended, findings opened).
/// </summary>
public sealed record AccessLogImportReport(
    Guid? ImportId,
    AccessLogFormat? Format,
    int Lines,
    int Entries,
    int Skipped,
    int Added,
    int AlreadyImported,
    int Failed,
    int Matched,
    int Unmatched,
    int UnknownLocation,
    int People,
    IReadOnlyList<AccessLogProblem> Problems,
    int ProblemCount,
    IReadOnlyList<UnmatchedAccessIdentity> UnmatchedIdentities,
    int UnmatchedIdentityCount,
    IReadOnlyList<AccessLogCountryCount> Countries,
    string? GeolocationDatabase,
    ConsequencesView Consequences,
    bool DryRun,
    bool Applied)
{
    /// <summary>Set when the same file was imported before for the vendor: nothing was read or written again.</summary>
    public EarlierAccessLogImport? SameFile { get; init; }
}

/// <summary>
/// Imports a vendor's access log (issue 25, ADR 0048): Microsoft Entra ID sign-ins (JSON or CSV), AWS CloudTrail (JSON), Linux
/// sshd lines (auth.log, with the year and time zone the importer gives) or a plain CSV. Streamed: the file is read once, each
/// event geolocated offline and COPYed to a staging table; identities are matched to the vendor's people in SQL (roster e-mail,
/// access alias, contributor alias); events already in the portal (same system and event id, or same content) are skipped. All
/// or nothing: one problem and nothing is written. The import is one audited record carrying the file's SHA-256 and the SHA-256
/// of the events it added; the gate then evaluates the matched people's grants against the rules on evidence.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record ImportAccessLog(Guid VendorId, Guid? SystemId, string FileName, FileUpload Content, AccessLogFormat? Format = null,
    int? SshdYear = null, string? SshdTimeZone = null, bool DryRun = false) : ICommand<AccessLogImportReport>, ICanDryRun;

public sealed class ImportAccessLogValidator : AbstractValidator<ImportAccessLog>
{
    public ImportAccessLogValidator()
    {
        RuleFor(c => c.VendorId).NotEmpty().WithMessage("Choose the vendor.");
        RuleFor(c => c.FileName).NotEmpty().WithMessage("Name the file.").MaximumLength(260);
        RuleFor(c => c.Content).NotNull().Must(c => c is null || c.Length > 0).WithMessage("The file is empty.")
            .Must(c => c is null || c.Length <= AccessLogReader.MaxBytes).WithMessage($"The file is larger than {AccessLogReader.MaxBytes / 1024 / 1024} MB: split it.");
        RuleFor(c => c.SshdYear).InclusiveBetween(2000, 2100).When(c => c.SshdYear is not null)
            .WithMessage("Give the year of the log's lines, such as 2026.");
        RuleFor(c => c.SshdTimeZone).Must(z => TimeZoneInfo.TryFindSystemTimeZoneById(z!, out _)).When(c => !string.IsNullOrWhiteSpace(c.SshdTimeZone))
            .WithMessage("Give the server's time zone as a name such as America/New_York or UTC.");
    }
}

internal sealed class ImportAccessLogHandler(IGeolocator geolocator) : ICommandHandler<ImportAccessLog, AccessLogImportReport>
{
    /// <summary>Problems listed in a report (all are counted): a broken file of a million lines is not a million-line answer.</summary>
    internal const int MaxProblemsListed = 1_000;

    /// <summary>Unmatched identities listed in a report (all are counted; the vendor's page pages through them).</summary>
    internal const int MaxIdentitiesListed = 500;

    public async Task<Outcome<AccessLogImportReport>> HandleAsync(ImportAccessLog command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var actor = context.Actor;
        if (!actor.Sees(command.VendorId) || !await db.Vendors.AnyAsync(v => v.Id == command.VendorId, ct))
        {
            return Outcome<AccessLogImportReport>.NotFound("The vendor");
        }
        // The systems this vendor's contracts cover: a log line can only be about one of them.
        var contracted = await db.Contracts.Where(c => c.VendorId == command.VendorId).SelectMany(c => c.SystemIds).Distinct().ToListAsync(ct);
        var systems = await db.Systems.AsNoTracking().Where(s => contracted.Contains(s.Id)).Select(s => new { s.Id, s.Name }).ToListAsync(ct);
        if (command.SystemId is { } chosen && systems.All(s => s.Id != chosen))
        {
            if (actor.IsVendorRepresentative || !await db.Systems.AnyAsync(s => s.Id == chosen, ct))
            {
                return Outcome<AccessLogImportReport>.NotFound("The system");
            }
            return Invalid(nameof(ImportAccessLog.SystemId), "That system is not covered by a contract of this vendor.");
        }

        var sha256 = await command.Content.Sha256Async(ct);
        var earlier = await db.AccessLogImports.AsNoTracking().Where(i => i.VendorId == command.VendorId && i.Sha256 == sha256)
            .Select(i => new EarlierAccessLogImport(i.Id, i.FileName, i.ImportedAt, i.ImportedByName, i.Added)).SingleOrDefaultAsync(ct);
        if (earlier is not null)
        {
            // Idempotent by file: the same bytes again add nothing, so nothing is read or written.
            return Outcome<AccessLogImportReport>.Ok(Empty(null, command.DryRun, geolocator.Database?.Label) with { SameFile = earlier });
        }

        var format = command.Format ?? await AccessLogReader.DetectAsync(command.Content.Open, ct);
        if (format is null)
        {
            return Outcome<AccessLogImportReport>.Ok(Empty(null, command.DryRun, geolocator.Database?.Label, new AccessLogProblem(0, "file",
                "The portal could not tell what kind of log this is. Choose its format: an Entra ID sign-in log (JSON or CSV), a CloudTrail file, an sshd auth.log or the plain CSV.")));
        }
        if (format != AccessLogFormat.PlainCsv && command.SystemId is null)
        {
            return Invalid(nameof(ImportAccessLog.SystemId), $"Choose the system this log comes from: a {AccessLogReader.Describe(format.Value)} does not name it.");
        }
        SshdOptions? sshd = null;
        if (format == AccessLogFormat.SshdAuthLog)
        {
            if (command.SshdYear is null || string.IsNullOrWhiteSpace(command.SshdTimeZone))
            {
                var errors = new Dictionary<string, string[]>();
                if (command.SshdYear is null)
                {
                    errors[nameof(ImportAccessLog.SshdYear)] = ["An sshd log's lines carry no year: give the year they were written."];
                }
                if (string.IsNullOrWhiteSpace(command.SshdTimeZone))
                {
                    errors[nameof(ImportAccessLog.SshdTimeZone)] = ["An sshd log's lines carry no time zone: give the server's, such as America/New_York or UTC."];
                }
                return Outcome<AccessLogImportReport>.Invalid(errors);
            }
            sshd = new SshdOptions(command.SshdYear.Value, TimeZoneInfo.FindSystemTimeZoneById(command.SshdTimeZone));
        }

        // The database in force on this instance (an administrator may have loaded a newer one since the last refresh).
        await geolocator.RefreshAsync(ct);
        var database = geolocator.Database;
        var byName = systems.GroupBy(s => s.Name.Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var byId = systems.ToDictionary(s => s.Id.ToString(), s => s.Id, StringComparer.OrdinalIgnoreCase);
        var systemNames = string.Join(", ", systems.Select(s => s.Name).Order(StringComparer.OrdinalIgnoreCase));

        ImportProgressScope.Report(ImportPhase.Reading, 0, 0);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await Execute(connection, StageSql, ct);
        var problems = new List<AccessLogProblem>();
        var problemCount = 0;
        void Problem(AccessLogProblem p)
        {
            problemCount++;
            if (problems.Count < MaxProblemsListed)
            {
                problems.Add(p);
            }
        }
        AccessLogSummary? summary = null;
        var entries = 0;
        await using (var content = command.Content.Open())
        await using (var copy = await connection.BeginBinaryImportAsync(CopySql, ct))
        {
            copy.Timeout = TimeSpan.FromMinutes(30);
            await foreach (var item in AccessLogReader.ReadAsync(content, format.Value, sshd, ct))
            {
                if (item.Summary is { } done)
                {
                    summary = done;
                    continue;
                }
                if (item.Problem is { } problem)
                {
                    Problem(problem);
                    continue;
                }
                var entry = item.Entry!;
                Guid systemId;
                if (format == AccessLogFormat.PlainCsv && !string.IsNullOrWhiteSpace(entry.System))
                {
                    var named = entry.System.Trim();
                    if (!byName.TryGetValue(named, out systemId) && !byId.TryGetValue(named, out systemId))
                    {
                        Problem(new AccessLogProblem(entry.Line, "system", systems.Count == 0
                            ? $"\"{named}\" is not a system of this vendor's contracts, and the vendor has none: an officer adds the system to a contract first."
                            : $"\"{named}\" is not a system of this vendor's contracts. Use one of: {systemNames}."));
                        continue;
                    }
                }
                else if (command.SystemId is { } given)
                {
                    systemId = given;
                }
                else
                {
                    Problem(new AccessLogProblem(entry.Line, "system", "The line names no system: fill in the system column, or choose the system for the whole file."));
                    continue;
                }
                var identity = AccessIdentityAlias.Normalize(entry.Identity);
                if (identity.Length is 0 or > 320)
                {
                    Problem(new AccessLogProblem(entry.Line, "user", identity.Length == 0 ? "The line names no user." : "The user name is longer than 320 characters."));
                    continue;
                }
                if (problemCount > 0)
                {
                    continue; // nothing will be written: keep reading for the report only
                }
                var place = entry.Address is null ? new GeoLocation(null, LocationUnknown.NotAnAddress) : geolocator.Locate(entry.Address);
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(entry.Line, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(identity, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(entry.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(Cut(entry.SourceAddress, 100), NpgsqlDbType.Text, ct);
                if (entry.Address is { } address)
                {
                    await copy.WriteAsync(address, NpgsqlDbType.Inet, ct);
                }
                else
                {
                    await copy.WriteNullAsync(ct);
                }
                if (place.Country is { } country)
                {
                    await copy.WriteAsync(country, NpgsqlDbType.Text, ct);
                }
                else
                {
                    await copy.WriteNullAsync(ct);
                }
                await copy.WriteAsync(place.Country is null ? place.Unknown.ToString() : nameof(LocationUnknown.None), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(entry.Succeeded, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(EventKey(format.Value, entry, identity), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(systemId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(Cut(entry.Excerpt, 500), NpgsqlDbType.Text, ct);
                if (++entries % 50_000 == 0)
                {
                    ImportProgressScope.Report(ImportPhase.Reading, entries, 0);
                }
            }
            await copy.CompleteAsync(ct);
        }
        var lines = summary?.Lines ?? 0;
        var skipped = summary?.Skipped ?? 0;
        if (problemCount > 0 || summary is not { Completed: true })
        {
            if (summary is not { Completed: true } && problemCount == 0)
            {
                Problem(new AccessLogProblem(0, "file", "The file ended before the log did: upload the whole file."));
            }
            return Outcome<AccessLogImportReport>.Ok(Empty(format, command.DryRun, database?.Label) with
            {
                Lines = lines, Skipped = skipped, Entries = entries, Problems = problems.OrderBy(p => p.Line).ToList(), ProblemCount = problemCount,
            });
        }

        // The record first (the events reference it; the reference is checked at commit), then the events, matched in SQL.
        ImportProgressScope.Report(ImportPhase.Matching, entries, entries);
        var import = new AccessLogImport(Guid.CreateVersion7(), command.VendorId, command.SystemId, Source(format.Value), Path.GetFileName(command.FileName), sha256,
            database?.Label ?? "no geolocation database", sshd?.Year, sshd is null ? null : command.SshdTimeZone!.Trim(), actor.UserId == Guid.Empty ? null : actor.UserId,
            actor.DisplayName, context.Now);
        await using (var insert = new NpgsqlCommand(InsertSql, connection) { CommandTimeout = 1800 })
        {
            insert.Parameters.AddWithValue("import", import.Id);
            insert.Parameters.AddWithValue("vendor", command.VendorId);
            await insert.ExecuteNonQueryAsync(ct);
        }

        // One pass over what was added, in line order: the totals, the people, and the SHA-256 the import's audit event carries.
        ImportProgressScope.Report(ImportPhase.Saving, entries, entries);
        int added = 0, failed = 0, unmatched = 0, unknown = 0;
        DateTimeOffset? first = null, last = null;
        var people = new HashSet<Guid>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var read = new NpgsqlCommand(ReadBackSql, connection) { CommandTimeout = 1800 })
        {
            read.Parameters.AddWithValue("import", import.Id);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var at = reader.GetFieldValue<DateTimeOffset>(2);
                var country = reader.IsDBNull(4) ? null : reader.GetString(4);
                var succeeded = reader.GetBoolean(5);
                hash.AppendData(Encoding.UTF8.GetBytes(AccessEvent.Fingerprint(reader.GetInt32(0), reader.GetString(1), at, reader.GetString(3), country, succeeded,
                    reader.GetGuid(6), reader.GetString(7))));
                added++;
                failed += succeeded ? 0 : 1;
                unknown += country is null ? 1 : 0;
                if (reader.IsDBNull(8))
                {
                    unmatched++;
                }
                else
                {
                    people.Add(reader.GetGuid(8));
                }
                first = first is null || at < first ? at : first;
                last = last is null || at > last ? at : last;
            }
        }
        import.Totals(entries, added, entries - added, skipped, failed, unmatched, unknown, people.Count, first, last, Convert.ToHexStringLower(hash.GetCurrentHash()));
        db.AccessLogImports.Add(import);
        db.EvidenceChanged(people);

        var countries = await CountriesAsync(connection, import.Id, ct);
        var (identities, identityCount) = await UnmatchedAsync(connection, import.Id, ct);
        return Outcome<AccessLogImportReport>.OkAfterSave(() =>
        {
            ImportProgressScope.Report(ImportPhase.Done, entries, entries);
            return new AccessLogImportReport(command.DryRun ? null : import.Id, format, lines, entries, skipped, added, entries - added, failed, added - unmatched,
                unmatched, unknown, people.Count, [], 0, identities, identityCount, countries, import.GeolocationDatabase, db.Consequences.ToView(), command.DryRun,
                !command.DryRun);
        });
    }

    private static Outcome<AccessLogImportReport> Invalid(string field, string message) =>
        Outcome<AccessLogImportReport>.Invalid(new Dictionary<string, string[]> { [field] = [message] });

    private static AccessLogImportReport Empty(AccessLogFormat? format, bool dryRun, string? database, params AccessLogProblem[] problems) =>
        new(null, format, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, problems, problems.Length, [], 0, [], database, new ConsequencesView([], [], [], [], []), dryRun, false);

    internal static AccessLogSource Source(AccessLogFormat format) => format switch
    {
        AccessLogFormat.EntraIdJson => AccessLogSource.EntraIdJson,
        AccessLogFormat.EntraIdCsv => AccessLogSource.EntraIdCsv,
        AccessLogFormat.CloudTrailJson => AccessLogSource.CloudTrailJson,
        AccessLogFormat.SshdAuthLog => AccessLogSource.SshdAuthLog,
        _ => AccessLogSource.PlainCsv,
    };

    /// <summary>
    /// The key that makes an event unique on its system: the log's own event id, or — for a log without ids (sshd, a plain CSV
    /// without an id column), or an id too long to keep — the SHA-256 of the format, the identity, the instant and the line as written.
    /// Two identical lines in the same second are one event (an sshd line names its process id, so two sign-ins rarely are).
    /// </summary>
    internal static string EventKey(AccessLogFormat format, AccessLogEntry entry, string identity)
    {
        if (entry.EventId is { Length: > 0 and <= 100 } id && !id.StartsWith("sha256:", StringComparison.Ordinal))
        {
            return id;
        }
        var text = $"{format}|{identity}|{entry.OccurredAt.UtcTicks}|{entry.SourceAddress}|{entry.EventId}|{entry.Excerpt}";
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<AccessLogCountryCount>> CountriesAsync(NpgsqlConnection connection, Guid importId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT country, unknown, count(*)::int, count(DISTINCT person_id)::int FROM access_events WHERE import_id = @import
            GROUP BY 1, 2 ORDER BY 3 DESC, 1
            """, connection);
        command.Parameters.AddWithValue("import", importId);
        var list = new List<AccessLogCountryCount>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new AccessLogCountryCount(reader.IsDBNull(0) ? null : reader.GetString(0), Enum.Parse<LocationUnknown>(reader.GetString(1)),
                reader.GetInt32(2), reader.GetInt32(3)));
        }
        return list;
    }

    private static async Task<(List<UnmatchedAccessIdentity>, int)> UnmatchedAsync(NpgsqlConnection connection, Guid importId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT identity, count(*)::int, min(line), min(occurred_at), max(occurred_at), count(*) OVER ()::int FROM access_events
            WHERE import_id = @import AND person_id IS NULL GROUP BY identity ORDER BY 2 DESC, 1 LIMIT {MaxIdentitiesListed}
            """, connection);
        command.Parameters.AddWithValue("import", importId);
        var list = new List<UnmatchedAccessIdentity>();
        var total = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new UnmatchedAccessIdentity(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
            total = reader.GetInt32(5);
        }
        return (list, total);
    }

    private const string StageSql = """
        CREATE TEMP TABLE IF NOT EXISTS access_events_stage (
            line int NOT NULL, identity text NOT NULL, occurred_at timestamptz NOT NULL, source_address text NOT NULL, address inet,
            country text, unknown text NOT NULL, succeeded boolean NOT NULL, event_key text NOT NULL, system_id uuid NOT NULL, excerpt text NOT NULL
        ) ON COMMIT DROP;
        TRUNCATE access_events_stage;
        """;

    private const string CopySql =
        "COPY access_events_stage (line, identity, occurred_at, source_address, address, country, unknown, succeeded, event_key, system_id, excerpt) FROM STDIN (FORMAT BINARY)";

    /// <summary>
    /// Matches each distinct identity once (an access alias, then a contributor alias, then the one person of the vendor with that
    /// roster e-mail; two people with it and no alias: unmatched), then inserts the events the portal does not have yet, in line order.
    /// </summary>
    private const string InsertSql = """
        WITH identities AS (SELECT DISTINCT identity FROM access_events_stage),
        by_email AS (
            SELECT lower(btrim(p.email)) AS identity, (array_agg(p.id))[1] AS person_id, count(*) AS n
            FROM people p JOIN identities i ON i.identity = lower(btrim(p.email))
            WHERE p.vendor_id = @vendor GROUP BY 1),
        matched AS (
            SELECT i.identity, COALESCE(a.person_id, c.person_id, CASE WHEN e.n = 1 THEN e.person_id END) AS person_id
            FROM identities i
            LEFT JOIN access_identity_aliases a ON a.vendor_id = @vendor AND a.identity = i.identity
            LEFT JOIN contributor_aliases c ON c.vendor_id = @vendor AND c.email = i.identity
            LEFT JOIN by_email e ON e.identity = i.identity)
        INSERT INTO access_events (import_id, vendor_id, system_id, person_id, identity, occurred_at, source_address, address, country, unknown,
                                   succeeded, event_key, line, excerpt)
        SELECT @import, @vendor, s.system_id, m.person_id, s.identity, s.occurred_at, s.source_address, s.address, s.country, s.unknown,
               s.succeeded, s.event_key, s.line, s.excerpt
        FROM access_events_stage s JOIN matched m ON m.identity = s.identity
        ORDER BY s.line
        ON CONFLICT (system_id, event_key) DO NOTHING
        """;

    private const string ReadBackSql = """
        SELECT line, identity, occurred_at, source_address, country, succeeded, system_id, event_key, person_id
        FROM access_events WHERE import_id = @import ORDER BY line
        """;
}

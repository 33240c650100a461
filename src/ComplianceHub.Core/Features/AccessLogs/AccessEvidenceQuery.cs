using System.Runtime.CompilerServices;
using System.Text;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.AccessLogs;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>How the countries a person's access came from stand against what they attested.</summary>
public enum EvidenceAgreement
{
    /// <summary>The attested work country (or, for a person attested in the US areas, any of them).</summary>
    Agrees,

    /// <summary>Another country than the attested one.</summary>
    Differs,

    /// <summary>A covered nation (FY2026 NDAA Sec. 1692).</summary>
    Covered,

    /// <summary>No country: a private, loopback or reserved address, not an address, or not in the database.</summary>
    Unknown,

    /// <summary>A known egress range (a VPN, a cloud NAT): the country is where the network leaves, not where the person sits.</summary>
    Egress,
}

/// <summary>The events of one country (or of no known country) in a person's access over a window.</summary>
public sealed record CountrySeen(string? Country, LocationUnknown Unknown, bool Egress, EvidenceAgreement Agreement, int SignIns, int FailedSignIns,
    DateTimeOffset FirstAt, DateTimeOffset LastAt, IReadOnlyList<string> Systems);

/// <summary>
/// Where a person's access came from over the last <see cref="Days"/> days, beside what they attested (issue 25): a row per country,
/// the totals, the geolocation databases the addresses were looked up in, and whether the evidence disagrees with the attestation.
/// </summary>
public sealed record PersonEvidenceView(Guid PersonId, string PersonName, Guid VendorId, string WorkCountry, DateOnly? LocationAttestedOn, int Days,
    DateTimeOffset Since, IReadOnlyList<CountrySeen> Countries, int SignIns, int FailedSignIns, int UnknownLocation, int FromEgress,
    IReadOnlyList<string> Databases, bool Disagrees, bool FromCoveredNation);

/// <summary>Filters of the access-event grid; days are UTC and inclusive.</summary>
public sealed record AccessEventFilter(Guid? VendorId = null, Guid? PersonId = null, Guid? ImportId = null, Guid? SystemId = null, string? Country = null,
    string? Identity = null, bool UnmatchedOnly = false, bool? Succeeded = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>One access event as the grids, the API and the exports show it.</summary>
public sealed record AccessEventRow(long Id, DateTimeOffset OccurredAt, string Identity, Guid? PersonId, string? PersonName, Guid VendorId, string VendorName,
    Guid SystemId, string SystemName, string SourceAddress, string? Country, LocationUnknown Unknown, bool Egress, bool Succeeded, Guid ImportId, string FileName,
    int Line, string GeolocationDatabase, string Excerpt);

/// <summary>An access-log import as the imports grid shows it.</summary>
public sealed record AccessLogImportRow(Guid Id, Guid VendorId, string VendorName, Guid? SystemId, string? SystemName, AccessLogSource Source, string FileName,
    string Sha256, DateTimeOffset ImportedAt, string ImportedBy, int Entries, int Added, int AlreadyImported, int Skipped, int Failed, int Unmatched,
    int UnknownLocation, int People, DateTimeOffset? FirstAt, DateTimeOffset? LastAt, string GeolocationDatabase, string EntriesSha256, int? SshdYear,
    string? SshdZone);

/// <summary>An identity of a vendor's logs that matched nobody, over every import.</summary>
public sealed record UnmatchedIdentityRow(Guid VendorId, string VendorName, string Identity, int Events, DateTimeOffset FirstAt, DateTimeOffset LastAt);

/// <summary>Per vendor: people whose access in the window disagrees with their attestation, and those with access from a covered nation.</summary>
public sealed record VendorEvidenceCount(Guid VendorId, string VendorName, int PeopleWithEvidence, int PeopleDisagreeing, int PeopleFromCoveredNations);

/// <summary>
/// Reads the access-log evidence (issue 25): a person's countries over a window, the events grid (server-side filtered and paged,
/// streamed for exports), the imports, the unmatched identities and the dashboard's counts per vendor. Vendor-scoped in the query:
/// a representative reads their own vendor's evidence only, and another vendor's person or import is null (404).
/// </summary>
public sealed class AccessEvidenceQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>The window the person page and the API use unless asked otherwise.</summary>
    public const int DefaultDays = 90;

    public async Task<PersonEvidenceView?> PersonAsync(Actor actor, Guid personId, int days, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var person = await db.People.AsNoTracking().VisibleTo(actor).Where(p => p.Id == personId)
            .Select(p => new { p.Id, p.FullName, p.VendorId, p.WorkCountry, p.LocationAttestedOn }).SingleOrDefaultAsync(ct);
        if (person is null)
        {
            return null;
        }
        days = Math.Clamp(days, 1, 3650);
        var policy = await ActivePolicy.ParametersAsync(db, ct);
        var covered = policy.Set(PolicyParameters.Covered);
        var usAreas = policy.Set(PolicyParameters.UsAreas);
        var since = now.AddDays(-days);
        var rows = new List<CountrySeen>();
        var databases = new SortedSet<string>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(ct);
        await using (var command = new NpgsqlCommand("""
            SELECT e.country, e.unknown, (e.address IS NOT NULL AND EXISTS (SELECT 1 FROM known_egress_ranges r WHERE e.address <<= r.range)) AS egress,
                   count(*) FILTER (WHERE e.succeeded)::int, count(*) FILTER (WHERE NOT e.succeeded)::int, min(e.occurred_at), max(e.occurred_at),
                   array_agg(DISTINCT s.name ORDER BY s.name), array_agg(DISTINCT i.geolocation_database)
            FROM access_events e JOIN cloud_systems s ON s.id = e.system_id JOIN access_log_imports i ON i.id = e.import_id
            WHERE e.person_id = @person AND e.occurred_at >= @since AND e.occurred_at <= @now
            GROUP BY 1, 2, 3
            """, (NpgsqlConnection)db.Database.GetDbConnection()))
        {
            command.Parameters.AddWithValue("person", personId);
            command.Parameters.AddWithValue("since", since);
            command.Parameters.AddWithValue("now", now);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var country = reader.IsDBNull(0) ? null : reader.GetString(0);
                var egress = reader.GetBoolean(2);
                var agreement = Agreement(country, egress, person.WorkCountry, covered, usAreas);
                rows.Add(new CountrySeen(country, Enum.Parse<LocationUnknown>(reader.GetString(1)), egress, agreement, reader.GetInt32(3), reader.GetInt32(4),
                    reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<string[]>(7)));
                databases.UnionWith(reader.GetFieldValue<string[]>(8));
            }
        }
        // One row per country (an egress range and the rest of a country are two rows), the most sign-ins first.
        var ordered = rows.OrderByDescending(r => r.SignIns).ThenBy(r => r.Country ?? "~").ToList();
        var counted = ordered.Where(r => r.SignIns > 0).ToList();
        return new PersonEvidenceView(person.Id, person.FullName, person.VendorId, person.WorkCountry, person.LocationAttestedOn, days, since, ordered,
            ordered.Sum(r => r.SignIns), ordered.Sum(r => r.FailedSignIns), ordered.Where(r => r.Country is null).Sum(r => r.SignIns + r.FailedSignIns),
            ordered.Where(r => r.Egress).Sum(r => r.SignIns + r.FailedSignIns), [.. databases],
            counted.Any(r => r.Agreement is EvidenceAgreement.Differs or EvidenceAgreement.Covered),
            counted.Any(r => r.Agreement == EvidenceAgreement.Covered));
    }

    /// <summary>How a country of the evidence stands against the attested one (the rules' reading: US areas count as one).</summary>
    public static EvidenceAgreement Agreement(string? country, bool egress, string workCountry, IReadOnlySet<string> covered, IReadOnlySet<string> usAreas) =>
        egress ? EvidenceAgreement.Egress
        : country is null ? EvidenceAgreement.Unknown
        : covered.Contains(country) ? EvidenceAgreement.Covered
        : country == workCountry || (usAreas.Contains(country) && usAreas.Contains(workCountry)) ? EvidenceAgreement.Agrees
        : EvidenceAgreement.Differs;

    public async Task<PagedResult<AccessEventRow>> EventsAsync(Actor actor, AccessEventFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var (where, parameters) = Where(actor, filter);
        int total;
        await using (var count = new NpgsqlCommand($"SELECT count(*)::int FROM access_events e WHERE {where}", connection))
        {
            count.Parameters.AddRange(parameters());
            total = (int)(await count.ExecuteScalarAsync(ct))!;
        }
        var items = new List<AccessEventRow>();
        await using (var command = new NpgsqlCommand($"{Select} WHERE {where} ORDER BY {Order(page.Sort, page.Desc)} LIMIT {page.SafePageSize} OFFSET {page.Skip}", connection))
        {
            command.Parameters.AddRange(parameters());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                items.Add(Row(reader));
            }
        }
        return new PagedResult<AccessEventRow>(items, page.SafePage, page.SafePageSize, total);
    }

    /// <summary>Every event of the grid's filter, in its sort, streamed from one cursor in batches: never the whole result in memory.</summary>
    public async IAsyncEnumerable<IReadOnlyList<AccessEventRow>> ExportAsync(Actor actor, AccessEventFilter filter, string? sort, bool desc,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var (where, parameters) = Where(actor, filter);
        await using var command = new NpgsqlCommand($"{Select} WHERE {where} ORDER BY {Order(sort, desc)} LIMIT {PageRequest.MaxExportRows}",
            (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.AddRange(parameters());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var batch = new List<AccessEventRow>(PageRequest.ExportPageSize);
        while (await reader.ReadAsync(ct))
        {
            batch.Add(Row(reader));
            if (batch.Count == PageRequest.ExportPageSize)
            {
                yield return batch;
                batch = new List<AccessEventRow>(PageRequest.ExportPageSize);
            }
        }
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    public async Task<PagedResult<AccessLogImportRow>> ImportsAsync(Actor actor, Guid? vendorId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = Imports(db, actor).Where(i => vendorId == null || i.VendorId == vendorId);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(i => i.ImportedAt).ThenBy(i => i.Id).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<AccessLogImportRow>(await ImportRowsAsync(db, rows, ct), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>One import, or null when it does not exist or is another vendor's.</summary>
    public async Task<AccessLogImportRow?> ImportAsync(Actor actor, Guid importId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await Imports(db, actor).SingleOrDefaultAsync(i => i.Id == importId, ct);
        return row is null ? null : (await ImportRowsAsync(db, [row], ct))[0];
    }

    /// <summary>The identities of a vendor's logs that still match nobody, the most events first.</summary>
    public async Task<PagedResult<UnmatchedIdentityRow>> UnmatchedAsync(Actor actor, Guid? vendorId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var vendors = actor.VisibleVendorIds;
        var query = db.AccessEvents.AsNoTracking().Where(e => e.PersonId == null)
            .Where(e => vendors == null || vendors.Contains(e.VendorId))
            .Where(e => vendorId == null || e.VendorId == vendorId)
            .GroupBy(e => new { e.VendorId, e.Identity })
            .Select(g => new { g.Key.VendorId, g.Key.Identity, Events = g.Count(), First = g.Min(e => e.OccurredAt), Last = g.Max(e => e.OccurredAt) });
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(r => r.Events).ThenBy(r => r.Identity).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        var ids = rows.Select(r => r.VendorId).Distinct().ToList();
        var names = await db.Vendors.Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name, ct);
        return new PagedResult<UnmatchedIdentityRow>(
            rows.Select(r => new UnmatchedIdentityRow(r.VendorId, names.GetValueOrDefault(r.VendorId, ""), r.Identity, r.Events, r.First, r.Last)).ToList(),
            page.SafePage, page.SafePageSize, total);
    }

    /// <summary>
    /// The dashboard's counts: per vendor the actor sees, people with access-log evidence in the last <paramref name="days"/> days, those
    /// whose evidence disagrees with their attested work country (US areas as one; known egress ranges left out) and those with
    /// sign-ins from a covered nation. One aggregate over the window (a BRIN index on the time), whatever the number of people.
    /// </summary>
    public async Task<IReadOnlyList<VendorEvidenceCount>> ByVendorAsync(Actor actor, int days, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var policy = await ActivePolicy.ParametersAsync(db, ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("""
            WITH seen AS (
                SELECT e.person_id, e.country FROM access_events e
                WHERE e.succeeded AND e.person_id IS NOT NULL AND e.occurred_at >= @since AND e.occurred_at <= @now
                  AND (@vendors::uuid[] IS NULL OR e.vendor_id = ANY(@vendors))
                  AND NOT (e.address IS NOT NULL AND EXISTS (SELECT 1 FROM known_egress_ranges r WHERE e.address <<= r.range))
                GROUP BY 1, 2)
            SELECT v.id, v.name, count(DISTINCT p.id)::int,
                   count(DISTINCT p.id) FILTER (WHERE s.country IS NOT NULL AND s.country <> p.work_country
                                               AND NOT (s.country = ANY(@us) AND p.work_country = ANY(@us)))::int,
                   count(DISTINCT p.id) FILTER (WHERE s.country = ANY(@covered))::int
            FROM seen s JOIN people p ON p.id = s.person_id JOIN vendors v ON v.id = p.vendor_id
            GROUP BY v.id, v.name ORDER BY 4 DESC, 2
            """, (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.AddWithValue("since", now.AddDays(-Math.Clamp(days, 1, 3650)));
        command.Parameters.AddWithValue("now", now);
        command.Parameters.Add(new NpgsqlParameter("vendors", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)actor.VisibleVendorIds ?? DBNull.Value });
        command.Parameters.AddWithValue("us", policy.Set(PolicyParameters.UsAreas).ToArray());
        command.Parameters.AddWithValue("covered", policy.Set(PolicyParameters.Covered).ToArray());
        var list = new List<VendorEvidenceCount>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new VendorEvidenceCount(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)));
        }
        return list;
    }

    private static IQueryable<AccessLogImport> Imports(ComplianceDbContext db, Actor actor)
    {
        var vendors = actor.VisibleVendorIds;
        return db.AccessLogImports.AsNoTracking().Where(i => vendors == null || vendors.Contains(i.VendorId));
    }

    private static async Task<List<AccessLogImportRow>> ImportRowsAsync(ComplianceDbContext db, List<AccessLogImport> rows, CancellationToken ct)
    {
        var vendorIds = rows.Select(r => r.VendorId).Distinct().ToList();
        var systemIds = rows.Where(r => r.SystemId != null).Select(r => r.SystemId!.Value).Distinct().ToList();
        var vendors = await db.Vendors.Where(v => vendorIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name, ct);
        var systems = await db.Systems.Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return rows.Select(i => new AccessLogImportRow(i.Id, i.VendorId, vendors.GetValueOrDefault(i.VendorId, ""), i.SystemId,
            i.SystemId is { } s ? systems.GetValueOrDefault(s) : null, i.Source, i.FileName, i.Sha256, i.ImportedAt, i.ImportedByName, i.Entries, i.Added,
            i.AlreadyImported, i.Skipped, i.Failed, i.Unmatched, i.UnknownLocation, i.People, i.FirstAt, i.LastAt, i.GeolocationDatabase, i.EntriesSha256,
            i.SshdYear, i.SshdZone)).ToList();
    }

    private const string Select = """
        SELECT e.id, e.occurred_at, e.identity, e.person_id, p.full_name, e.vendor_id, v.name, e.system_id, s.name, e.source_address, e.country, e.unknown,
               (e.address IS NOT NULL AND EXISTS (SELECT 1 FROM known_egress_ranges r WHERE e.address <<= r.range)), e.succeeded, e.import_id, i.file_name,
               e.line, i.geolocation_database, e.excerpt
        FROM access_events e
        JOIN vendors v ON v.id = e.vendor_id JOIN cloud_systems s ON s.id = e.system_id JOIN access_log_imports i ON i.id = e.import_id
        LEFT JOIN people p ON p.id = e.person_id
        """;

    private static AccessEventRow Row(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2),
        r.IsDBNull(3) ? null : r.GetGuid(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetGuid(5), r.GetString(6), r.GetGuid(7), r.GetString(8), r.GetString(9),
        r.IsDBNull(10) ? null : r.GetString(10), Enum.Parse<LocationUnknown>(r.GetString(11)), r.GetBoolean(12), r.GetBoolean(13), r.GetGuid(14), r.GetString(15),
        r.GetInt32(16), r.GetString(17), r.GetString(18));

    private static string Order(string? sort, bool desc)
    {
        var direction = desc ? "DESC" : "ASC";
        return sort?.ToLowerInvariant() switch
        {
            "identity" or "user" => $"e.identity {direction}, e.occurred_at DESC, e.id",
            "country" => $"e.country {direction} NULLS LAST, e.occurred_at DESC, e.id",
            "address" or "sourceaddress" => $"e.source_address {direction}, e.occurred_at DESC, e.id",
            "system" => $"s.name {direction}, e.occurred_at DESC, e.id",
            "line" => $"e.import_id, e.line {direction}",
            "occurredat" or "time" => $"e.occurred_at {direction}, e.id {direction}",
            _ => "e.occurred_at DESC, e.id DESC",
        };
    }

    /// <summary>The filter as SQL over <c>e</c> (access_events), scoped to the vendors the actor sees, with a factory of fresh parameters.</summary>
    private static (string Where, Func<NpgsqlParameter[]> Parameters) Where(Actor actor, AccessEventFilter f)
    {
        var sql = new StringBuilder("TRUE");
        var values = new List<(string Name, object Value)>();
        void Add(string condition, string name, object value)
        {
            sql.Append(" AND ").Append(condition);
            values.Add((name, value));
        }
        if (actor.VisibleVendorIds is { } vendors)
        {
            Add("e.vendor_id = ANY(@vendors)", "vendors", vendors);
        }
        if (f.VendorId is { } vendor)
        {
            Add("e.vendor_id = @vendor", "vendor", vendor);
        }
        if (f.PersonId is { } person)
        {
            Add("e.person_id = @person", "person", person);
        }
        if (f.ImportId is { } import)
        {
            Add("e.import_id = @import", "import", import);
        }
        if (f.SystemId is { } system)
        {
            Add("e.system_id = @system", "system", system);
        }
        if (!string.IsNullOrWhiteSpace(f.Country))
        {
            if (f.Country.Equals("unknown", StringComparison.OrdinalIgnoreCase))
            {
                sql.Append(" AND e.country IS NULL");
            }
            else
            {
                Add("e.country = @country", "country", f.Country.Trim().ToUpperInvariant());
            }
        }
        if (!string.IsNullOrWhiteSpace(f.Identity))
        {
            Add("e.identity LIKE @identity", "identity", LikePatterns.Containing(f.Identity.ToLowerInvariant())!);
        }
        if (f.UnmatchedOnly)
        {
            sql.Append(" AND e.person_id IS NULL");
        }
        if (f.Succeeded is { } succeeded)
        {
            Add("e.succeeded = @succeeded", "succeeded", succeeded);
        }
        if (f.From is { } from)
        {
            Add("e.occurred_at >= @from", "from", new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }
        if (f.To is { } to)
        {
            Add("e.occurred_at < @to", "to", new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }
        return (sql.ToString(), () => values.Select(v => new NpgsqlParameter(v.Name, v.Value)).ToArray());
    }
}

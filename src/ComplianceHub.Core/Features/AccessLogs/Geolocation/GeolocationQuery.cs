using System.Net;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.AccessLogs;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>The geolocation page's header: the database in force (null: none) and the databases administrators loaded, newest first.</summary>
public sealed record GeolocationStatus(GeolocationInfo? InForce, IReadOnlyList<GeolocationDatabaseView> Loaded);

/// <summary>One address looked up: where the database in force puts it (or why not), and the known egress range it is in.</summary>
public sealed record AddressLookup(string Address, string? Country, LocationUnknown Unknown, string Location, KnownEgressRangeView? KnownEgress, string? Database);

/// <summary>
/// Reads the geolocation database in force, the loaded ones, and single lookups (ADR 0047): administrators, officers and
/// auditors (a lookup names no person); vendor representatives are refused.
/// </summary>
public sealed class GeolocationQuery(IDbContextFactory<ComplianceDbContext> contexts, IGeolocator geolocator)
{
    /// <summary>How many loaded databases the history shows (one a month is a lot).</summary>
    public const int HistoryLength = 100;

    public async Task<GeolocationStatus> StatusAsync(Actor actor, CancellationToken ct = default)
    {
        Require(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var loaded = await db.GeolocationDatabases.AsNoTracking().OrderByDescending(d => d.LoadedAt).Take(HistoryLength).ToListAsync(ct);
        return new GeolocationStatus(geolocator.Database, loaded.Select(View).ToList());
    }

    /// <summary>Looks one address up; null when <paramref name="address"/> is not an IP address.</summary>
    public async Task<AddressLookup?> LookupAsync(Actor actor, string address, CancellationToken ct = default)
    {
        Require(actor);
        var text = address.Trim();
        if (!IPAddress.TryParse(text, out var parsed) || text.Contains('/'))
        {
            return null;
        }
        var location = geolocator.Locate(parsed);
        var normalized = SpecialAddresses.Normalize(parsed);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var egress = await db.KnownEgressRanges.FromSql($"SELECT k.*, k.xmin FROM known_egress_ranges k WHERE {normalized} <<= range ORDER BY masklen(range) DESC LIMIT 1")
            .AsNoTracking().SingleOrDefaultAsync(ct);
        return new AddressLookup(normalized.ToString(), location.Country, location.Unknown, Words.Location(location),
            egress is null ? null : KnownEgressRangeRules.View(egress), geolocator.Database?.Label);
    }

    internal static GeolocationDatabaseView View(GeolocationDatabase d) =>
        new(d.Id, d.Name, d.Version, d.BuiltAt, d.Sha256, d.SizeBytes, d.Licence, d.LoadedByName, d.LoadedAt);

    private static void Require(Actor actor)
    {
        if (actor.IsVendorRepresentative)
        {
            throw new UnauthorizedAccessException("The geolocation database is shown to administrators, officers and auditors.");
        }
    }
}

/// <summary>The known egress ranges (ADR 0047): officers, auditors and administrators read them; officers change them.</summary>
public sealed class KnownEgressRangesQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PagedResult<KnownEgressRangeView>> ListAsync(Actor actor, string? search, PageRequest page, CancellationToken ct = default)
    {
        if (actor.IsVendorRepresentative)
        {
            throw new UnauthorizedAccessException("Known egress ranges are shown to officers, auditors and administrators.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.KnownEgressRanges.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim();
            if (IPAddress.TryParse(text, out var address))
            {
                // An address: the range that contains it.
                var normalized = SpecialAddresses.Normalize(address);
                query = db.KnownEgressRanges.FromSql($"SELECT k.*, k.xmin FROM known_egress_ranges k WHERE {normalized} <<= range").AsNoTracking();
            }
            else if (text.Contains('/') && EgressRanges.Parse(text, out _) is { } range)
            {
                // A range: the ranges that overlap it.
                query = db.KnownEgressRanges.FromSql($"SELECT k.*, k.xmin FROM known_egress_ranges k WHERE range && {range}").AsNoTracking();
            }
            else
            {
                var pattern = LikePatterns.Containing(text)!;
                query = query.Where(r => EF.Functions.ILike(r.Reason, pattern) || EF.Functions.ILike(r.AddedByName, pattern));
            }
        }
        var total = await query.CountAsync(ct);
        var sorted = (page.Sort, page.Desc) switch
        {
            ("reason", false) => query.OrderBy(r => r.Reason).ThenBy(r => r.Id),
            ("reason", true) => query.OrderByDescending(r => r.Reason).ThenBy(r => r.Id),
            ("addedBy", false) => query.OrderBy(r => r.AddedByName).ThenBy(r => r.Id),
            ("addedBy", true) => query.OrderByDescending(r => r.AddedByName).ThenBy(r => r.Id),
            ("addedAt", false) => query.OrderBy(r => r.AddedAt).ThenBy(r => r.Id),
            _ => query.OrderByDescending(r => r.AddedAt).ThenBy(r => r.Id),
        };
        var items = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<KnownEgressRangeView>(items.Select(KnownEgressRangeRules.View).ToList(), page.SafePage, page.SafePageSize, total);
    }
}

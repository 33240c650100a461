using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Screening;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Screening;

/// <summary>
/// A screening hit as the officer adjudicates it: the person (and what is known of their nationality) beside the listed
/// party (its source, programs, countries, addresses and the notice that listed it), the score, and any decision.
/// </summary>
public sealed record ScreeningHitRow(Guid Id, Guid PersonId, string PersonName, string EmployeeId, Guid VendorId, string VendorName,
    IReadOnlyList<string> Citizenships, string CountryOfBirth, string WorkCountry, int ListVersion, string EntryKey, string MatchedName,
    IReadOnlyList<string> AltNames, string? Programs, IReadOnlyList<string> EntryCountries, string? Addresses, string? FederalRegisterNotice,
    double Score, HitStatus Status, DateTimeOffset DetectedAt, string? AdjudicatedBy, DateTimeOffset? AdjudicatedAt, string? Notes);

/// <summary>
/// Restricted-party screening hits, read-only, newest first, scoped through the person: a representative sees only hits
/// on their own vendor's people; officers, auditors and administrators see all.
/// </summary>
public sealed class ScreeningHitsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PagedResult<ScreeningHitRow>> ListAsync(Actor actor, HitStatus? status, string? search, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = Filtered(db, actor, status, search);
        var total = await query.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("score", false) => query.OrderBy(x => x.Hit.Score).ThenBy(x => x.Hit.Id),
            ("score", true) => query.OrderByDescending(x => x.Hit.Score).ThenBy(x => x.Hit.Id),
            ("personname", false) => query.OrderBy(x => x.Person.FullName).ThenBy(x => x.Hit.Id),
            ("personname", true) => query.OrderByDescending(x => x.Person.FullName).ThenBy(x => x.Hit.Id),
            (_, false) when page.Sort is not null => query.OrderBy(x => x.Hit.DetectedAt).ThenBy(x => x.Hit.Id),
            _ => query.OrderByDescending(x => x.Hit.DetectedAt).ThenBy(x => x.Hit.Id),
        };
        var rows = await sorted.Skip(page.Skip).Take(page.SafePageSize)
            .Select(x => new { x.Hit, x.Person, x.Entry, x.VendorName, Adjudicator = db.Users.Where(u => u.Id == x.Hit.AdjudicatedBy).Select(u => u.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        return new PagedResult<ScreeningHitRow>(rows.Select(x => new ScreeningHitRow(x.Hit.Id, x.Person.Id, x.Person.FullName, x.Person.EmployeeId,
            x.Person.VendorId, x.VendorName, x.Person.Citizenships, x.Person.CountryOfBirth, x.Person.WorkCountry, x.Hit.ListVersion, x.Hit.EntryKey,
            x.Hit.MatchedName, x.Entry.AltNames, x.Entry.Programs, x.Entry.Countries, x.Entry.Addresses, x.Entry.FederalRegisterNotice, x.Hit.Score,
            x.Hit.Status, x.Hit.DetectedAt, x.Adjudicator, x.Hit.AdjudicatedAt, x.Hit.Notes)).ToList(), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>
    /// The pending hits of the grid's search that can be adjudicated in bulk ("select all N matching"), newest first as the
    /// grid lists them by default.
    /// </summary>
    public async Task<BulkSelection> PendingAsync(Actor actor, string? search, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Bulk.SelectAsync(Filtered(db, actor, HitStatus.Pending, search)
            .OrderByDescending(x => x.Hit.DetectedAt).ThenBy(x => x.Hit.Id).Select(x => x.Hit.Id), ct);
    }

    /// <summary>A hit with what the grid shows of it (a class with settable members, so that EF can filter and sort on them).</summary>
    private sealed class Item
    {
        public required ScreeningHit Hit { get; init; }
        public required Person Person { get; init; }
        public required RestrictedPartyEntry Entry { get; init; }
        public required string VendorName { get; init; }
    }

    private static IQueryable<Item> Filtered(ComplianceDbContext db, Actor actor, HitStatus? status, string? search)
    {
        var query = from h in db.ScreeningHits.AsNoTracking()
                    join p in db.People.VisibleTo(actor) on h.PersonId equals p.Id
                    join e in db.RestrictedPartyEntries on h.EntryId equals e.Id
                    join v in db.Vendors on p.VendorId equals v.Id
                    select new Item { Hit = h, Person = p, Entry = e, VendorName = v.Name };
        if (status is { } wanted)
        {
            query = query.Where(x => x.Hit.Status == wanted);
        }
        if (LikePatterns.Containing(search) is { } pattern)
        {
            query = query.Where(x => EF.Functions.ILike(x.Person.FullName, pattern) || EF.Functions.ILike(x.Person.EmployeeId, pattern)
                || EF.Functions.ILike(x.Hit.MatchedName, pattern) || EF.Functions.ILike(x.Hit.EntryKey, pattern));
        }
        return query;
    }
}

using System.Runtime.CompilerServices;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Attestations;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Attestations;

/// <summary>A signed attestation as the API shows it: the statement, who signed it when, its content hash and the people attested.</summary>
public sealed record AttestationView(Guid Id, Guid VendorId, string Statement, Guid SubmittedBy, string SubmittedByName, DateTimeOffset SubmittedAt,
    string ContentHash, IReadOnlyList<AttestedPerson> Items)
{
    public static AttestationView From(LocationAttestation a) =>
        new(a.Id, a.VendorId, a.Statement, a.SubmittedBy, a.SubmittedByName, a.SubmittedAt, a.ContentHash, a.People);
}

/// <summary>A vendor's signed attestations, newest first; a representative reads only their own vendor's.</summary>
public sealed class AttestationsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PagedResult<AttestationView>?> ListAsync(Actor actor, Guid vendorId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!actor.Sees(vendorId) || !await db.Vendors.AnyAsync(v => v.Id == vendorId, ct))
        {
            return null;
        }
        var query = db.LocationAttestations.AsNoTracking().Where(a => a.VendorId == vendorId);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(a => a.SubmittedAt).ThenBy(a => a.Id).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<AttestationView>(items.Select(AttestationView.From).ToList(), page.SafePage, page.SafePageSize, total);
    }
}

/// <summary>A signed attestation in the history grid.</summary>
public sealed record AttestationHistoryRow(Guid Id, Guid VendorId, string VendorName, string SubmittedByName, DateTimeOffset SubmittedAt,
    int People, string ContentHash);

/// <summary>One person as attested, with their name as the roster has it now.</summary>
public sealed record AttestedPersonLine(Guid PersonId, string FullName, string EmployeeId, string WorkCountry, string WorkCity, IReadOnlyList<string> Citizenships);

/// <summary>Exactly what was attested, and whether the stored content still hashes to the signed hash.</summary>
public sealed record AttestationDetail(Guid Id, Guid VendorId, string VendorName, string Statement, string SubmittedByName, DateTimeOffset SubmittedAt,
    string ContentHash, string RecomputedHash, IReadOnlyList<AttestedPersonLine> People)
{
    public bool HashVerified => string.Equals(ContentHash, RecomputedHash, StringComparison.Ordinal);
}

/// <summary>
/// The history of signed attestations for the attestation page: a representative reads their own vendor's, officers and
/// auditors every vendor's (or one). The detail re-verifies the SHA-256 over the stored content.
/// </summary>
public sealed class AttestationHistoryQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PagedResult<AttestationHistoryRow>?> ListAsync(Actor actor, Guid? vendorId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await HistoryAsync(db, actor, vendorId, ct) is not { } query)
        {
            return null;
        }
        var total = await query.CountAsync(ct);
        var rows = await Sorted(db, query, page.Sort, page.Desc).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<AttestationHistoryRow>(Rows(rows), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>
    /// Every signed attestation of the history grid for the vendor (or every vendor the actor may read), in its sort, streamed
    /// in batches (see <see cref="StreamedBatches"/>); none when the actor may not read the vendor's.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<AttestationHistoryRow>> ExportAsync(Actor actor, Guid? vendorId, string? sort, bool desc,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await HistoryAsync(db, actor, vendorId, ct) is not { } query)
        {
            yield break;
        }
        await foreach (var batch in StreamedBatches.ReadAsync(Sorted(db, query, sort, desc), (rows, _) => Task.FromResult(Rows(rows)), ct))
        {
            yield return batch;
        }
    }

    private static async Task<IQueryable<LocationAttestation>?> HistoryAsync(ComplianceDbContext db, Actor actor, Guid? vendorId, CancellationToken ct)
    {
        if (await AttestationDueQuery.ScopeAsync(db, actor, vendorId, ct) is not { } scope)
        {
            return null;
        }
        var query = db.LocationAttestations.AsNoTracking().VisibleTo(actor);
        return scope.VendorId is { } only ? query.Where(a => a.VendorId == only) : query;
    }

    /// <summary>An attestation with its vendor's name (settable members, so that EF can compose on them).</summary>
    private sealed class Item
    {
        public required LocationAttestation Attestation { get; init; }
        public required string VendorName { get; init; }
    }

    /// <summary>The grid's sort, with the vendor's name joined (not read by a subquery per row).</summary>
    private static IQueryable<Item> Sorted(ComplianceDbContext db, IQueryable<LocationAttestation> query, string? sort, bool desc)
    {
        var rows = query.Join(db.Vendors, a => a.VendorId, v => v.Id, (a, v) => new Item { Attestation = a, VendorName = v.Name });
        var ordered = sort?.ToLowerInvariant() == "submittedbyname"
            ? (desc ? rows.OrderByDescending(r => r.Attestation.SubmittedByName) : rows.OrderBy(r => r.Attestation.SubmittedByName))
                .ThenByDescending(r => r.Attestation.SubmittedAt)
            : (desc || sort is null ? rows.OrderByDescending(r => r.Attestation.SubmittedAt) : rows.OrderBy(r => r.Attestation.SubmittedAt));
        return ordered.ThenBy(r => r.Attestation.Id);
    }

    private static IReadOnlyList<AttestationHistoryRow> Rows(IReadOnlyList<Item> rows) =>
        rows.Select(r => new AttestationHistoryRow(r.Attestation.Id, r.Attestation.VendorId, r.VendorName, r.Attestation.SubmittedByName,
            r.Attestation.SubmittedAt, r.Attestation.People.Count, r.Attestation.ContentHash)).ToList();

    /// <summary>The attestation, or null when it does not exist or belongs to another vendor than the representative's.</summary>
    public async Task<AttestationDetail?> DetailAsync(Actor actor, Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var attestation = await db.LocationAttestations.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (attestation is null)
        {
            return null;
        }
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Id == attestation.VendorId).Select(v => v.Name).SingleAsync(ct);
        var items = attestation.People;
        var ids = items.Select(i => i.PersonId).ToList();
        var names = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => new { p.FullName, p.EmployeeId }, ct);
        var lines = items.Select(i => new AttestedPersonLine(i.PersonId, names.GetValueOrDefault(i.PersonId)?.FullName ?? "(unknown person)",
                names.GetValueOrDefault(i.PersonId)?.EmployeeId ?? "", i.WorkCountry, i.WorkCity, i.Citizenships))
            .OrderBy(l => l.FullName, StringComparer.CurrentCulture).ToList();
        return new AttestationDetail(attestation.Id, attestation.VendorId, vendor, attestation.Statement, attestation.SubmittedByName,
            attestation.SubmittedAt, attestation.ContentHash, attestation.ComputeHash(), lines);
    }
}

using ComplianceHub.Core.Gate;
using System.Runtime.CompilerServices;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>Filters of the escort board: name or employee id, vendor, qualification, still valid, at or over capacity.</summary>
public sealed record EscortBoardFilter(string? Search = null, Guid? VendorId = null, EscortQualification? Qualification = null,
    bool? Valid = null, bool? AtCapacity = null);

/// <summary>
/// One escort: who, for which vendor, qualification and training, how many people they supervise today against the
/// policy's maximum, how many assignments are still to start, and whether they are still a valid escort (qualified,
/// employed, a US citizen working in the US areas) — with the reasons when not.
/// </summary>
public sealed record EscortRow(Guid PersonId, string FullName, string EmployeeId, Guid VendorId, string VendorName,
    EscortQualification Qualification, DateOnly? TrainedOn, int Supervising, int Upcoming, int MaxSupervised,
    bool Valid, IReadOnlyList<string> Problems)
{
    public bool AtCapacity => Supervising >= MaxSupervised;
    public bool OverCapacity => Supervising > MaxSupervised;
}

/// <summary>One assignment of an escort: the person supervised, the system, the period, and where it stands today.</summary>
public sealed record SupervisedRow(Guid AssignmentId, Guid PersonId, string FullName, string VendorName, Guid SystemId, string SystemName,
    ImpactLevel ImpactLevel, DateOnly StartsOn, DateOnly EndsOn, string State);

/// <summary>Filters of the unescorted foreign nationals: name or employee id, vendor.</summary>
public sealed record UnescortedFilter(string? Search = null, Guid? VendorId = null);

/// <summary>
/// A person who is not a US person, holds an active or pending grant, and has no assignment in force by a qualified
/// escort; <see cref="AssignedEscorts"/> counts assignments in force whose escort no longer qualifies.
/// </summary>
public sealed record UnescortedRow(Guid PersonId, string FullName, string EmployeeId, Guid VendorId, string VendorName,
    IReadOnlyList<string> Citizenships, string WorkCountry, string WorkCity, int ActiveGrants, int PendingGrants, int AssignedEscorts);

/// <summary>
/// The escort board, read-only, paged, sorted and filtered in SQL. Scoped in the query: a vendor representative sees
/// their own vendor's escorts and people only; officers, auditors and administrators see every vendor.
/// </summary>
public sealed class EscortBoardQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    /// <summary>
    /// Every escort: a person who escorts in an active assignment that has not ended, or who is employed and holds an
    /// escort qualification. Sorts: name (default), vendor, qualification, trainedOn, supervising, valid.
    /// </summary>
    public async Task<PagedResult<EscortRow>> EscortsAsync(Actor actor, EscortBoardFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (rows, usAreas, max) = await EscortItemsAsync(db, actor, filter, ct);
        var total = await rows.CountAsync(ct);
        var items = await SortedEscorts(rows, page.Sort, page.Desc).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<EscortRow>(EscortRows(items, usAreas, max), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>Every escort of the board with its filters, in its sort, streamed in batches (see <see cref="StreamedBatches"/>).</summary>
    public async IAsyncEnumerable<IReadOnlyList<EscortRow>> ExportEscortsAsync(Actor actor, EscortBoardFilter filter, string? sort, bool desc,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (rows, usAreas, max) = await EscortItemsAsync(db, actor, filter, ct);
        await foreach (var batch in StreamedBatches.ReadAsync(SortedEscorts(rows, sort, desc),
                           (items, _) => Task.FromResult(EscortRows(items, usAreas, max)), ct))
        {
            yield return batch;
        }
    }

    /// <summary>An escort with their counts (settable members, so that EF can filter and sort on them).</summary>
    private sealed class EscortItem
    {
        public required Person Person { get; init; }
        public required string VendorName { get; init; }
        public required int Supervising { get; init; }
        public required int Upcoming { get; init; }
        public required bool Valid { get; init; }
    }

    /// <summary>
    /// The board's rows, filtered. The counts are joined from one grouped read of the assignments (people supervised in
    /// force, assignments still to start, per escort), not counted by a subquery per escort.
    /// </summary>
    private async Task<(IQueryable<EscortItem> Rows, string[] UsAreas, int Max)> EscortItemsAsync(ComplianceDbContext db, Actor actor,
        EscortBoardFilter filter, CancellationToken ct)
    {
        var today = Today;
        var (policy, _) = await ActivePolicy.NumberedParametersAsync(db, ct);
        var usAreas = policy.Set(PolicyParameters.UsAreas).ToArray();
        var max = policy.EscortMaxSupervised;
        var assignments = db.EscortAssignments.AsNoTracking().Where(a => a.Active && a.EndsOn >= today);
        var supervising = from a in EscortSupervision.InForce(db, today)
                          group a.PersonId by a.EscortId into g
                          select new { EscortId = g.Key, Count = g.Distinct().Count() };
        var upcoming = from a in assignments
                       where a.StartsOn > today
                       group a by a.EscortId into g
                       select new { EscortId = g.Key, Count = g.Count() };

        var people = db.People.AsNoTracking().VisibleTo(actor);
        if (filter.VendorId is { } vendor) { people = people.Where(p => p.VendorId == vendor); }
        if (LikePatterns.Containing(filter.Search) is { } pattern)
        {
            people = people.Where(p => EF.Functions.ILike(p.FullName, pattern) || EF.Functions.ILike(p.EmployeeId, pattern));
        }
        if (filter.Qualification is { } qualification) { people = people.Where(p => p.EscortQualification == qualification); }

        var qualified = EscortSupervision.QualifiedEscorts(db, usAreas);
        var rows = from p in people
                   where (p.EscortQualification != EscortQualification.None && p.EmploymentStatus == EmploymentStatus.Active)
                         || assignments.Any(a => a.EscortId == p.Id)
                   join v in db.Vendors on p.VendorId equals v.Id
                   join s in supervising on p.Id equals s.EscortId into supervisingOf
                   from s in supervisingOf.DefaultIfEmpty()
                   join u in upcoming on p.Id equals u.EscortId into upcomingOf
                   from u in upcomingOf.DefaultIfEmpty()
                   select new EscortItem
                   {
                       Person = p,
                       VendorName = v.Name,
                       Supervising = (int?)s.Count ?? 0,
                       Upcoming = (int?)u.Count ?? 0,
                       Valid = qualified.Any(q => q.Id == p.Id),
                   };
        if (filter.Valid is { } valid) { rows = rows.Where(r => r.Valid == valid); }
        if (filter.AtCapacity is { } atCapacity) { rows = rows.Where(r => (r.Supervising >= max) == atCapacity); }
        return (rows, usAreas, max);
    }

    private static IQueryable<EscortItem> SortedEscorts(IQueryable<EscortItem> rows, string? sort, bool desc) => (sort?.ToLowerInvariant(), desc) switch
    {
        ("vendor", false) => rows.OrderBy(r => r.VendorName).ThenBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        ("vendor", true) => rows.OrderByDescending(r => r.VendorName).ThenBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        ("qualification", false) => rows.OrderBy(r => r.Person.EscortQualification).ThenBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        ("qualification", true) => rows.OrderByDescending(r => r.Person.EscortQualification).ThenBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        ("trainedon", false) => rows.OrderBy(r => r.Person.EscortTrainingOn).ThenBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        ("trainedon", true) => rows.OrderByDescending(r => r.Person.EscortTrainingOn).ThenBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        ("supervising", false) => rows.OrderBy(r => r.Supervising).ThenBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        ("supervising", true) => rows.OrderByDescending(r => r.Supervising).ThenBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        ("valid", false) => rows.OrderBy(r => r.Valid).ThenBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        ("valid", true) => rows.OrderByDescending(r => r.Valid).ThenBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        (_, true) => rows.OrderByDescending(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        _ => rows.OrderBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
    };

    private static IReadOnlyList<EscortRow> EscortRows(IReadOnlyList<EscortItem> items, string[] usAreas, int max) =>
        items.Select(r => new EscortRow(r.Person.Id, r.Person.FullName, r.Person.EmployeeId, r.Person.VendorId, r.VendorName,
            r.Person.EscortQualification, r.Person.EscortTrainingOn, r.Supervising, r.Upcoming, max, r.Valid, Problems(r.Person, usAreas))).ToList();

    /// <summary>
    /// The assignments of one escort that have not ended (in force or upcoming), plus those that ended in the last 30
    /// days; null when the escort is missing or outside the caller's scope. Supervised people outside the caller's
    /// scope are left out.
    /// </summary>
    public async Task<IReadOnlyList<SupervisedRow>?> SupervisedAsync(Actor actor, Guid escortId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.People.VisibleTo(actor).AnyAsync(p => p.Id == escortId, ct))
        {
            return null;
        }
        var today = Today;
        var recent = today.AddDays(-30);
        var rows = await (from a in db.EscortAssignments.AsNoTracking()
                          where a.EscortId == escortId && a.Active && a.EndsOn >= recent
                          join p in db.People.VisibleTo(actor) on a.PersonId equals p.Id
                          join v in db.Vendors on p.VendorId equals v.Id
                          join s in db.Systems on a.SystemId equals s.Id
                          orderby a.StartsOn, p.FullName
                          select new { AssignmentId = a.Id, PersonId = p.Id, p.FullName, VendorName = v.Name, SystemId = s.Id, SystemName = s.Name, s.ImpactLevel, a.StartsOn, a.EndsOn })
            .ToListAsync(ct);
        return rows.Select(r => new SupervisedRow(r.AssignmentId, r.PersonId, r.FullName, r.VendorName, r.SystemId, r.SystemName, r.ImpactLevel, r.StartsOn, r.EndsOn,
            r.StartsOn > today ? "Upcoming" : r.EndsOn < today ? "Ended" : "In force")).ToList();
    }

    /// <summary>
    /// Employed people who are not US persons, hold an active or pending grant, and have no assignment in force by a
    /// qualified escort. Sorts: name (default), vendor, workCountry, grants.
    /// </summary>
    public async Task<PagedResult<UnescortedRow>> UnescortedAsync(Actor actor, UnescortedFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var today = Today;
        var (policy, _) = await ActivePolicy.NumberedParametersAsync(db, ct);
        var qualified = EscortSupervision.QualifiedInForce(db, today, policy.Set(PolicyParameters.UsAreas).ToArray());
        var inForce = EscortSupervision.InForce(db, today);
        var grants = db.Grants.AsNoTracking().Where(g => g.Status == GrantStatus.Active || g.Status == GrantStatus.PendingApproval);

        // The people ESCORT-REQUIRED puts under an escort, as the dashboard counts them (Population.NotUsPerson).
        var people = db.People.AsNoTracking().VisibleTo(actor).Where(p => p.EmploymentStatus == EmploymentStatus.Active)
            .Where(Personnel.Population.NotUsPerson());
        if (filter.VendorId is { } vendor) { people = people.Where(p => p.VendorId == vendor); }
        if (LikePatterns.Containing(filter.Search) is { } pattern)
        {
            people = people.Where(p => EF.Functions.ILike(p.FullName, pattern) || EF.Functions.ILike(p.EmployeeId, pattern));
        }
        var rows = from p in people
                   where grants.Any(g => g.PersonId == p.Id) && !qualified.Any(a => a.PersonId == p.Id)
                   join v in db.Vendors on p.VendorId equals v.Id
                   select new
                   {
                       Person = p,
                       VendorName = v.Name,
                       Active = grants.Count(g => g.PersonId == p.Id && g.Status == GrantStatus.Active),
                       Pending = grants.Count(g => g.PersonId == p.Id && g.Status == GrantStatus.PendingApproval),
                       Assigned = inForce.Count(a => a.PersonId == p.Id),
                   };
        var total = await rows.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("vendor", false) => rows.OrderBy(r => r.VendorName).ThenBy(r => r.Person.FullName),
            ("vendor", true) => rows.OrderByDescending(r => r.VendorName).ThenBy(r => r.Person.FullName),
            ("workcountry", false) => rows.OrderBy(r => r.Person.WorkCountry).ThenBy(r => r.Person.FullName),
            ("workcountry", true) => rows.OrderByDescending(r => r.Person.WorkCountry).ThenBy(r => r.Person.FullName),
            ("grants", false) => rows.OrderBy(r => r.Active + r.Pending).ThenBy(r => r.Person.FullName),
            ("grants", true) => rows.OrderByDescending(r => r.Active + r.Pending).ThenBy(r => r.Person.FullName),
            (_, true) => rows.OrderByDescending(r => r.Person.FullName).ThenBy(r => r.Person.Id),
            _ => rows.OrderBy(r => r.Person.FullName).ThenBy(r => r.Person.Id),
        };
        var items = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<UnescortedRow>(items.Select(r => new UnescortedRow(r.Person.Id, r.Person.FullName, r.Person.EmployeeId,
                r.Person.VendorId, r.VendorName, r.Person.Citizenships, r.Person.WorkCountry.Trim(), r.Person.WorkCity, r.Active, r.Pending, r.Assigned)).ToList(),
            page.SafePage, page.SafePageSize, total);
    }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Why an escort is not valid today, in words (empty when valid): the C# side of the board's <c>Valid</c>.</summary>
    private static List<string> Problems(Person p, IReadOnlyCollection<string> usAreas) =>
        [.. EscortEligibility.Today(p.ToFacts(), usAreas).Select(problem => problem.Brief)];
}

using ComplianceHub.Core.Gate;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>A person as the officer's roster grid shows them, with their vendor, grants, escort and attestation standing.</summary>
public sealed record RosterGridRow(
    Guid Id, Guid VendorId, string VendorName, string EmployeeId, string FullName, EmployerType EmployerType,
    IReadOnlyList<string> Citizenships, bool UsLawfulPermanentResident, CitizenshipGroup Group, string WorkCountry, string WorkCity,
    EmploymentStatus Status, ScreeningStatus Screening, DateOnly? LocationAttestedOn, AttestationState Attestation, DateOnly? AttestationDueOn,
    int ActiveGrants, int SuspendedGrants, int PendingGrants, bool Escorted, int OpenFindings = 0);

/// <summary>
/// The roster across vendors (a representative's reads are limited to their own vendor in the query), server-side
/// filtered, sorted and paged with every filter of <see cref="RosterFilter"/>. Citizenship groups and attestation states
/// follow the active policy (its COVERED set and attestation cadence: the privileged interval for people holding a live
/// privileged grant, as ATTEST-FRESH reads it).
/// </summary>
public sealed class RosterQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    private static readonly GrantStatus[] Live = [GrantStatus.Active, GrantStatus.PendingApproval, GrantStatus.Suspended];

    public async Task<PagedResult<RosterGridRow>> ListAsync(Actor actor, RosterFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var scope = await ScopeAsync(db, ct);
        var query = Filter(db, db.People.AsNoTracking().VisibleTo(actor), filter, scope);
        var total = await query.CountAsync(ct);
        // The page's ids first, then the rows for those ids only: with the counts in the paged query itself, PostgreSQL
        // computes them for every row the OFFSET skips too (page 200 counted grants and findings for 5,000 people).
        var ids = await Sorted(db, query, page.Sort, page.Desc).Skip(page.Skip).Take(page.SafePageSize).Select(p => p.Id).ToListAsync(ct);
        return new PagedResult<RosterGridRow>(await RowsAsync(db, actor, ids, scope, ct), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>
    /// Every row of the grid with its filter, in its sort, streamed in batches (see <see cref="StreamedBatches"/>): the sorted
    /// ids are read once, and each batch's rows and counts are read for its ids.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<RosterGridRow>> ExportAsync(Actor actor, RosterFilter filter, string? sort, bool desc,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var side = await contexts.CreateDbContextAsync(ct);
        var scope = await ScopeAsync(db, ct);
        var ids = Sorted(db, Filter(db, db.People.AsNoTracking().VisibleTo(actor), filter, scope), sort, desc).Select(p => p.Id);
        await foreach (var batch in StreamedBatches.ReadAsync(ids, (batch, c) => RowsAsync(side, actor, batch, scope, c), ct))
        {
            yield return batch;
        }
    }

    /// <summary>What the active policy and the day decide about every row: the COVERED set, the attestation cadence, the US areas.</summary>
    private sealed record Scope(List<string> Covered, AttestationDays Days, DateOnly Today, IReadOnlyCollection<string> UsAreas)
    {
        public IQueryable<EscortAssignment> Supervised(ComplianceDbContext db) => Escorts.EscortSupervision.QualifiedInForce(db, Today, UsAreas);
    }

    private async Task<Scope> ScopeAsync(ComplianceDbContext db, CancellationToken ct)
    {
        var policy = await ActivePolicy.ParametersAsync(db, ct);
        return new Scope(policy.Set(PolicyParameters.Covered).ToList(), policy.AttestationDays, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime),
            policy.Set(PolicyParameters.UsAreas));
    }

    private static IOrderedQueryable<Person> Sorted(ComplianceDbContext db, IQueryable<Person> query, string? sort, bool desc) => (sort?.ToLowerInvariant(), desc) switch
    {
        ("employeeid", var d) => Order(query, p => p.EmployeeId, d),
        ("workcountry", var d) => Order(query, p => p.WorkCountry, d),
        ("locationattestedon", var d) => Order(query, p => p.LocationAttestedOn, d),
        ("employertype", var d) => Order(query, p => p.EmployerType, d),
        ("status", var d) => Order(query, p => p.EmploymentStatus, d),
        ("vendorname", var d) => d
            ? query.OrderByDescending(p => db.Vendors.Where(v => v.Id == p.VendorId).Select(v => v.Name).First()).ThenBy(p => p.FullName).ThenBy(p => p.Id)
            : query.OrderBy(p => db.Vendors.Where(v => v.Id == p.VendorId).Select(v => v.Name).First()).ThenBy(p => p.FullName).ThenBy(p => p.Id),
        (_, true) => query.OrderByDescending(p => p.FullName).ThenBy(p => p.Id),
        _ => query.OrderBy(p => p.FullName).ThenBy(p => p.Id),
    };

    /// <summary>
    /// The grid rows of <paramref name="ids"/>, in that order. Counts are grouped over the ids, one query per table (grants,
    /// open findings, escorts in force), not a subquery per row: a batch of 5,000 people is four queries.
    /// </summary>
    private static async Task<IReadOnlyList<RosterGridRow>> RowsAsync(ComplianceDbContext db, Actor actor, IReadOnlyList<Guid> ids, Scope scope,
        CancellationToken ct)
    {
        var keys = ids.ToArray();
        var people = await (from p in db.People.AsNoTracking().VisibleTo(actor).Where(p => keys.Contains(p.Id))
                            join v in db.Vendors on p.VendorId equals v.Id
                            select new { Person = p, VendorName = v.Name }).ToListAsync(ct);
        var grants = await db.Grants.AsNoTracking().Where(g => keys.Contains(g.PersonId)).GroupBy(g => g.PersonId)
            .Select(g => new
            {
                PersonId = g.Key,
                Active = g.Count(x => x.Status == GrantStatus.Active),
                Suspended = g.Count(x => x.Status == GrantStatus.Suspended),
                Pending = g.Count(x => x.Status == GrantStatus.PendingApproval),
                Privileged = g.Count(x => x.AccessType == AccessType.Privileged && Live.Contains(x.Status)),
            }).ToDictionaryAsync(g => g.PersonId, ct);
        var findings = await db.Findings.AsNoTracking()
            .Where(f => keys.Contains(f.PersonId) && (f.Status == Domain.Findings.FindingStatus.Open || f.Status == Domain.Findings.FindingStatus.Acknowledged))
            .GroupBy(f => f.PersonId).Select(g => new { PersonId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.PersonId, g => g.Count, ct);
        var escorted = (await scope.Supervised(db).Where(a => keys.Contains(a.PersonId)).Select(a => a.PersonId).Distinct().ToListAsync(ct)).ToHashSet();

        var position = keys.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var schedule = new Attestations.AttestationSchedule(scope.Days, scope.Today);
        return people.OrderBy(r => position[r.Person.Id]).Select(r =>
        {
            var p = r.Person;
            var counts = grants.GetValueOrDefault(p.Id);
            var privileged = counts?.Privileged > 0;
            return new RosterGridRow(p.Id, p.VendorId, r.VendorName, p.EmployeeId, p.FullName, p.EmployerType, p.Citizenships,
                p.UsLawfulPermanentResident, Population.GroupOf(p, scope.Covered), p.WorkCountry, p.WorkCity, p.EmploymentStatus, p.ScreeningStatus,
                p.LocationAttestedOn, schedule.StateOf(p.LocationAttestedOn, privileged), schedule.DueOn(p.LocationAttestedOn, privileged),
                counts?.Active ?? 0, counts?.Suspended ?? 0, counts?.Pending ?? 0, escorted.Contains(p.Id), findings.GetValueOrDefault(p.Id));
        }).ToList();
    }

    private static IQueryable<Person> Filter(ComplianceDbContext db, IQueryable<Person> query, RosterFilter filter, Scope scope)
    {
        var covered = scope.Covered;
        var supervised = scope.Supervised(db);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = LikePatterns.Containing(filter.Search)!;
            query = query.Where(p => EF.Functions.ILike(p.FullName, pattern) || EF.Functions.ILike(p.EmployeeId, pattern));
        }
        if (filter.VendorId is { } vendor) { query = query.Where(p => p.VendorId == vendor); }
        if (filter.Citizenships.Count > 0)
        {
            var any = filter.Citizenships.Select(c => c.Trim().ToUpperInvariant()).ToList();
            query = query.Where(p => p.Citizenships.Any(c => any.Contains(c)));
        }
        if (filter.Groups.Count > 0)
        {
            query = query.Where(filter.Groups.Distinct().Select(g => Population.InGroup(g, covered)).Aggregate(Predicates.OrElse));
        }
        if (!string.IsNullOrWhiteSpace(filter.WorkCountry))
        {
            var country = filter.WorkCountry.Trim().ToUpperInvariant();
            query = query.Where(p => p.WorkCountry == country);
        }
        if (filter.EmployerType is { } employer) { query = query.Where(p => p.EmployerType == employer); }
        if (filter.Status is { } status) { query = query.Where(p => p.EmploymentStatus == status); }
        if (filter.SystemId is not null || filter.ImpactLevel is not null || filter.GrantStatus is not null)
        {
            var grants = db.Grants.AsQueryable();
            grants = filter.GrantStatus is { } grantStatus ? grants.Where(g => g.Status == grantStatus) : grants.Where(g => Live.Contains(g.Status));
            if (filter.SystemId is { } system) { grants = grants.Where(g => g.SystemId == system); }
            if (filter.ImpactLevel is { } level) { grants = grants.Where(g => db.Systems.Any(s => s.Id == g.SystemId && s.ImpactLevel == level)); }
            query = query.Where(p => grants.Any(g => g.PersonId == p.Id));
        }
        if (filter.SuspendedByPolicy is { } policy)
        {
            var suspended = Policy.ActivationConsequences.GrantsSuspended(db, policy);
            query = query.Where(p => db.Grants.Any(g => g.PersonId == p.Id && suspended.Contains(g.Id.ToString())));
        }
        if (filter.UsPerson is { } usPerson)
        {
            query = query.Where(Population.UsPersonIs(usPerson));
        }
        if (filter.Escorted is { } escorted)
        {
            query = query.Where(p => supervised.Any(a => a.PersonId == p.Id) == escorted);
        }
        if (filter.Attestation.Count > 0)
        {
            query = query.Where(new Attestations.AttestationSchedule(scope.Days, scope.Today).InAnyState(db, filter.Attestation));
        }
        return query;
    }

    private static IOrderedQueryable<Person> Order<TKey>(IQueryable<Person> query, Expression<Func<Person, TKey>> key, bool desc) =>
        desc ? query.OrderByDescending(key).ThenBy(p => p.FullName).ThenBy(p => p.Id) : query.OrderBy(key).ThenBy(p => p.FullName).ThenBy(p => p.Id);
}

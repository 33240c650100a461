using System.Linq.Expressions;
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
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var policy = PolicyJson.Deserialize(await db.PolicyVersions.AsNoTracking()
            .Where(v => v.Status == PolicyStatus.Active).Select(v => v.Parameters).SingleAsync(ct));
        var covered = policy.Set(PolicyParameters.Covered).ToList();
        var supervised = Escorts.EscortSupervision.QualifiedInForce(db, today, policy.Set(PolicyParameters.UsAreas));
        var days = policy.AttestationDays;

        var query = Filter(db, db.People.AsNoTracking().VisibleTo(actor), filter, covered, days, today, supervised);
        var total = await query.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
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
        // The page's ids first, then the counts for those rows only: with the counts in the paged query itself, PostgreSQL
        // computes them for every row the OFFSET skips too (page 200 counted grants and findings for 5,000 people).
        var ids = await sorted.Skip(page.Skip).Take(page.SafePageSize).Select(p => p.Id).ToListAsync(ct);
        var position = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var rows = (await db.People.AsNoTracking().VisibleTo(actor).Where(p => ids.Contains(p.Id)).Select(p => new
        {
            Person = p,
            VendorName = db.Vendors.Where(v => v.Id == p.VendorId).Select(v => v.Name).First(),
            Active = db.Grants.Count(g => g.PersonId == p.Id && g.Status == GrantStatus.Active),
            Suspended = db.Grants.Count(g => g.PersonId == p.Id && g.Status == GrantStatus.Suspended),
            Pending = db.Grants.Count(g => g.PersonId == p.Id && g.Status == GrantStatus.PendingApproval),
            Privileged = db.Grants.Any(g => g.PersonId == p.Id && g.AccessType == AccessType.Privileged && Live.Contains(g.Status)),
            Escorted = supervised.Any(a => a.PersonId == p.Id),
            OpenFindings = db.Findings.Count(f => f.PersonId == p.Id
                && (f.Status == Domain.Findings.FindingStatus.Open || f.Status == Domain.Findings.FindingStatus.Acknowledged)),
        }).ToListAsync(ct)).OrderBy(r => position[r.Person.Id]);

        var items = rows.Select(r =>
        {
            var p = r.Person;
            var schedule = new Attestations.AttestationSchedule(days, today);
            var due = schedule.DueOn(p.LocationAttestedOn, r.Privileged);
            var state = schedule.StateOf(p.LocationAttestedOn, r.Privileged);
            return new RosterGridRow(p.Id, p.VendorId, r.VendorName, p.EmployeeId, p.FullName, p.EmployerType, p.Citizenships,
                p.UsLawfulPermanentResident, GroupOf(p, covered), p.WorkCountry, p.WorkCity, p.EmploymentStatus, p.ScreeningStatus,
                p.LocationAttestedOn, state, due, r.Active, r.Suspended, r.Pending, r.Escorted, r.OpenFindings);
        }).ToList();
        return new PagedResult<RosterGridRow>(items, page.SafePage, page.SafePageSize, total);
    }

    /// <summary>The citizenship group of a person under a COVERED set (the strictest group that applies).</summary>
    public static CitizenshipGroup GroupOf(Person person, IReadOnlyCollection<string> covered) =>
        person.Citizenships.Any(covered.Contains) ? CitizenshipGroup.CoveredNation
        : person.Citizenships.Contains("US") ? CitizenshipGroup.UsCitizen
        : person.UsLawfulPermanentResident ? CitizenshipGroup.UsPerson
        : CitizenshipGroup.OtherForeign;

    /// <summary>The group's condition, in SQL (array overlap and containment on the citizenships column).</summary>
    public static Expression<Func<Person, bool>> InGroup(CitizenshipGroup group, List<string> covered) => group switch
    {
        CitizenshipGroup.CoveredNation => p => p.Citizenships.Any(c => covered.Contains(c)),
        CitizenshipGroup.UsCitizen => p => !p.Citizenships.Any(c => covered.Contains(c)) && p.Citizenships.Contains("US"),
        CitizenshipGroup.UsPerson => p => !p.Citizenships.Any(c => covered.Contains(c)) && !p.Citizenships.Contains("US") && p.UsLawfulPermanentResident,
        _ => p => !p.Citizenships.Any(c => covered.Contains(c)) && !p.Citizenships.Contains("US") && !p.UsLawfulPermanentResident,
    };

    private static IQueryable<Person> Filter(ComplianceDbContext db, IQueryable<Person> query, RosterFilter filter, List<string> covered,
        AttestationDays days, DateOnly today, IQueryable<EscortAssignment> supervised)
    {
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
            query = query.Where(filter.Groups.Distinct().Select(g => InGroup(g, covered)).Aggregate(Predicates.OrElse));
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
        if (filter.Escorted is { } escorted)
        {
            query = query.Where(p => supervised.Any(a => a.PersonId == p.Id) == escorted);
        }
        if (filter.Attestation.Count > 0)
        {
            query = query.Where(new Attestations.AttestationSchedule(days, today).InAnyState(db, filter.Attestation));
        }
        return query;
    }

    private static IOrderedQueryable<Person> Order<TKey>(IQueryable<Person> query, Expression<Func<Person, TKey>> key, bool desc) =>
        desc ? query.OrderByDescending(key).ThenBy(p => p.FullName).ThenBy(p => p.Id) : query.OrderBy(key).ThenBy(p => p.FullName).ThenBy(p => p.Id);
}

using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using System.Linq.Expressions;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>A person of the vendor the escort picker does not offer, and why, in the escort board's words.</summary>
public sealed record EscortLeftOut(Guid Id, string FullName, string EmployeeId, IReadOnlyList<string> Reasons);

/// <summary>
/// What the escort picker offers for one supervised person: on <see cref="SystemName"/> (when a system is chosen) the
/// people ESCORT-QUALIFIED accepts for the <see cref="Access"/> supervised there, otherwise the qualified escorts of today.
/// </summary>
public sealed record EscortChoice(IReadOnlyList<EscortCandidate> Offered, string? SystemName, AccessType? Access)
{
    /// <summary>What the offer was checked against, for the picker's helper text.</summary>
    public string CheckedAgainst => Describe(SystemName, Access);

    /// <summary>What an offer for <paramref name="systemName"/> (none: today's qualification) is checked against, in words.</summary>
    public static string Describe(string? systemName, AccessType? access) => systemName is null
        ? "qualified escorts today; choose the system to see who may supervise the work on it"
        : $"people who may supervise {(access == AccessType.Privileged ? "privileged" : "non-privileged")} work on {systemName}";
}

/// <summary>
/// The escort picker (issue 21): the people of the supervised person's vendor who pass ESCORT-QUALIFIED for the chosen
/// system and the access supervised there — <see cref="EscortEligibility.MayEscortFor"/>, the rule's own checks translated
/// to SQL, so nobody is offered whom the rule would then refuse — and, when asked, the others with the reasons they are
/// left out (the same checks compiled). Without a system, those who are qualified escorts today
/// (<see cref="EscortEligibility.MayEscortToday"/>). Vendor-scoped: a person the caller cannot see gives null.
/// </summary>
public sealed class EscortCandidatesQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>At most this many people are offered, or explained, per search.</summary>
    public const int MaxCandidates = 20;

    public async Task<EscortChoice?> OfferedAsync(Actor actor, Guid personId, Guid? systemId, string? search, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        if (await ScopeAsync(db, actor, personId, systemId, search, ct) is not { } scope)
        {
            return null;
        }
        var people = await scope.Candidates.Where(scope.Passes).OrderBy(p => p.FullName).ThenBy(p => p.Id).Take(MaxCandidates).ToListAsync(ct);
        return new EscortChoice(people.Select(p => new EscortCandidate(p.Id, p.FullName, p.EmployeeId, p.EscortQualification,
            CountryName.Of(p.WorkCountry), p.ToFacts().IsUsCitizen, p.InvestigationTier)).ToList(), scope.System?.Name, scope.Access);
    }

    /// <summary>
    /// "Why are others not listed?": the vendor's people holding an escort qualification (or, with a search, anyone whose name
    /// or employee id matches) whom the picker leaves out, each with the checks they fail.
    /// </summary>
    public async Task<IReadOnlyList<EscortLeftOut>?> LeftOutAsync(Actor actor, Guid personId, Guid? systemId, string? search, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        if (await ScopeAsync(db, actor, personId, systemId, search, ct) is not { } scope)
        {
            return null;
        }
        var fails = Expression.Lambda<Func<Person, bool>>(Expression.Not(scope.Passes.Body), scope.Passes.Parameters);
        var candidates = string.IsNullOrWhiteSpace(search) ? scope.Candidates.Where(p => p.EscortQualification != EscortQualification.None) : scope.Candidates;
        var people = await candidates.Where(fails).OrderBy(p => p.FullName).ThenBy(p => p.Id).Take(MaxCandidates).ToListAsync(ct);
        return people.Select(p =>
        {
            var facts = p.ToFacts();
            var problems = scope.System is { } system
                ? EscortEligibility.ForWork(facts, system.ToFacts(), scope.Access!.Value, scope.UsAreas)
                : EscortEligibility.Today(facts, scope.UsAreas);
            return new EscortLeftOut(p.Id, p.FullName, p.EmployeeId, problems.Select(x => x.Brief).ToList());
        }).ToList();
    }

    private sealed record Scope(IQueryable<Person> Candidates, Expression<Func<Person, bool>> Passes, Domain.Systems.CloudSystem? System,
        AccessType? Access, IReadOnlyCollection<string> UsAreas);

    private static async Task<Scope?> ScopeAsync(ComplianceDbContext db, Actor actor, Guid personId, Guid? systemId, string? search, CancellationToken ct)
    {
        var vendorId = await db.People.VisibleTo(actor).Where(p => p.Id == personId).Select(p => (Guid?)p.VendorId).SingleOrDefaultAsync(ct);
        if (vendorId is null)
        {
            return null;
        }
        var usAreas = (await ActivePolicy.ParametersAsync(db, ct)).Set(PolicyParameters.UsAreas);
        var system = systemId is { } id ? await db.Systems.SingleOrDefaultAsync(s => s.Id == id, ct) : null;
        AccessType? access = system is null ? null : await ComplianceGate.RequiredEscortAccessAsync(db, personId, system.Id, ct);
        var passes = system is null ? EscortEligibility.MayEscortToday(usAreas) : EscortEligibility.MayEscortFor(system.ImpactLevel, access!.Value, usAreas);
        // The escort is never the supervised person (ESCORT-QUALIFIED), and comes from the same vendor.
        var candidates = db.People.VisibleTo(actor).Where(p => p.VendorId == vendorId && p.Id != personId);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePatterns.Containing(search)!;
            candidates = candidates.Where(p => EF.Functions.ILike(p.FullName, pattern) || EF.Functions.ILike(p.EmployeeId, pattern));
        }
        return new Scope(candidates, passes, system, access, usAreas);
    }
}

using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Vendors;

/// <summary>A vendor in the officer's vendor list: its roster size and where it stands.</summary>
public sealed record VendorSummary(Guid Id, string Name, string CageCode, string Uei, VendorStatus Status, int ActivePeople,
    int NotUsPersons, int ActiveGrants, int SuspendedGrants, int PendingGrants, int OpenFindings, int ContractsInForce);

/// <summary>A contract on the vendor page, with names instead of ids.</summary>
public sealed record VendorContract(Guid Id, string Number, string Title, DateOnly StartsOn, DateOnly EndsOn, bool InForce,
    IReadOnlyList<string> ResponsibleOfficers, IReadOnlyList<string> Systems)
{
    /// <summary>The contracting office holding the contract ("DITCO-Scott (HC1028)"), or null when no office holds it.</summary>
    public string? Office { get; init; }
}

/// <summary>A system on the vendor page: covered by a contract of the vendor, or held by its people, or both.</summary>
public sealed record VendorSystem(Guid Id, string Name, ImpactLevel ImpactLevel, bool UnderContract, int PeopleWithLiveGrants,
    int ActiveGrants, int SuspendedGrants, int PendingGrants);

/// <summary>Everything the vendor page shows besides the roster grid.</summary>
public sealed record VendorWorkspace(VendorSummary Vendor, IReadOnlyList<VendorContract> Contracts, IReadOnlyList<VendorSystem> Systems,
    IReadOnlyDictionary<AttestationState, int> Attestations, IReadOnlyDictionary<Severity, int> OpenFindingsBySeverity);

/// <summary>
/// The officer's vendor list and vendor page, read-only. A representative sees only their own vendor (another vendor is
/// indistinguishable from a missing one).
/// </summary>
public sealed class VendorWorkspaceQuery(IDbContextFactory<ComplianceDbContext> contexts, RosterQuery roster, TimeProvider clock)
{
    private static readonly GrantStatus[] Live = [GrantStatus.Active, GrantStatus.PendingApproval, GrantStatus.Suspended];

    public async Task<PagedResult<VendorSummary>> ListAsync(Actor actor, string? search, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var vendors = db.Vendors.AsNoTracking().VisibleTo(actor);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePatterns.Containing(search)!;
            vendors = vendors.Where(v => EF.Functions.ILike(v.Name, pattern) || EF.Functions.ILike(v.CageCode, pattern) || EF.Functions.ILike(v.Uei, pattern));
        }
        var total = await vendors.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("status", false) => vendors.OrderBy(v => v.Status).ThenBy(v => v.Name),
            ("status", true) => vendors.OrderByDescending(v => v.Status).ThenBy(v => v.Name),
            ("cagecode", false) => vendors.OrderBy(v => v.CageCode),
            ("cagecode", true) => vendors.OrderByDescending(v => v.CageCode),
            (_, true) => vendors.OrderByDescending(v => v.Name).ThenBy(v => v.Id),
            _ => vendors.OrderBy(v => v.Name).ThenBy(v => v.Id),
        };
        var items = await Summaries(db, sorted.Skip(page.Skip).Take(page.SafePageSize), ct);
        return new PagedResult<VendorSummary>(items, page.SafePage, page.SafePageSize, total);
    }

    /// <summary>The vendor page's data; null when the vendor is missing or outside the caller's scope.</summary>
    public async Task<VendorWorkspace?> GetAsync(Actor actor, Guid vendorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var vendor = (await Summaries(db, db.Vendors.AsNoTracking().VisibleTo(actor).Where(v => v.Id == vendorId), ct))
            .SingleOrDefault();
        if (vendor is null)
        {
            return null;
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var contracts = await db.Contracts.AsNoTracking().Where(c => c.VendorId == vendorId).OrderByDescending(c => c.EndsOn).ToListAsync(ct);
        var officerIds = contracts.SelectMany(c => c.ResponsibleOfficerIds).Distinct().ToList();
        var officers = await db.Users.AsNoTracking().Where(u => officerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var contractSystems = contracts.SelectMany(c => c.SystemIds).ToHashSet();
        var officeIds = contracts.Where(c => c.OfficeId != null).Select(c => c.OfficeId!.Value).Distinct().ToList();
        var offices = await db.ContractingOffices.AsNoTracking().Where(o => officeIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => $"{o.Name} ({o.Code})", ct);

        var grantsBySystem = await (from g in db.Grants.AsNoTracking()
                                    join p in db.People on g.PersonId equals p.Id
                                    where p.VendorId == vendorId && Live.Contains(g.Status)
                                    group new { g.Status, g.PersonId } by g.SystemId into bySystem
                                    select new
                                    {
                                        SystemId = bySystem.Key,
                                        People = bySystem.Select(x => x.PersonId).Distinct().Count(),
                                        Active = bySystem.Count(x => x.Status == GrantStatus.Active),
                                        Suspended = bySystem.Count(x => x.Status == GrantStatus.Suspended),
                                        Pending = bySystem.Count(x => x.Status == GrantStatus.PendingApproval),
                                    }).ToDictionaryAsync(x => x.SystemId, ct);
        var systemIds = contractSystems.Concat(grantsBySystem.Keys).ToHashSet();
        var systems = await db.Systems.AsNoTracking().Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);

        var attestations = new Dictionary<AttestationState, int>();
        foreach (var state in Enum.GetValues<AttestationState>())
        {
            var filter = new RosterFilter { VendorId = vendorId, Attestation = [state], Status = EmploymentStatus.Active };
            attestations[state] = (await roster.ListAsync(actor, filter, new PageRequest(1, 1), ct)).Total;
        }
        var findings = await db.Findings.AsNoTracking()
            .Where(f => f.VendorId == vendorId && (f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged))
            .GroupBy(f => f.Severity).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);

        return new VendorWorkspace(
            vendor,
            contracts.Select(c => new VendorContract(c.Id, c.Number, c.Title, c.StartsOn, c.EndsOn, c.InForceOn(today),
                c.ResponsibleOfficerIds.Select(id => officers.GetValueOrDefault(id, "(removed account)")).Order().ToList(),
                c.SystemIds.Select(id => systems.TryGetValue(id, out var s) ? s.Name : "(removed system)").Order().ToList())
            {
                Office = c.OfficeId is { } o ? offices.GetValueOrDefault(o) : null,
            }).ToList(),
            systems.Values.OrderBy(s => s.ImpactLevel).ThenBy(s => s.Name).Select(s =>
            {
                var g = grantsBySystem.GetValueOrDefault(s.Id);
                return new VendorSystem(s.Id, s.Name, s.ImpactLevel, contractSystems.Contains(s.Id), g?.People ?? 0, g?.Active ?? 0, g?.Suspended ?? 0, g?.Pending ?? 0);
            }).ToList(),
            attestations,
            Enum.GetValues<Severity>().ToDictionary(s => s, s => findings.GetValueOrDefault(s)));
    }

    private async Task<List<VendorSummary>> Summaries(ComplianceDbContext db, IQueryable<Domain.Vendors.Vendor> vendors, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var notUsPersons = Personnel.Population.NotUsPerson(); // as home and the dashboard count them
        return await vendors.Select(v => new VendorSummary(v.Id, v.Name, v.CageCode, v.Uei, v.Status,
            db.People.Count(p => p.VendorId == v.Id && p.EmploymentStatus == EmploymentStatus.Active),
            db.People.Where(notUsPersons).Count(p => p.VendorId == v.Id && p.EmploymentStatus == EmploymentStatus.Active),
            db.Grants.Count(g => g.Status == GrantStatus.Active && db.People.Any(p => p.Id == g.PersonId && p.VendorId == v.Id)),
            db.Grants.Count(g => g.Status == GrantStatus.Suspended && db.People.Any(p => p.Id == g.PersonId && p.VendorId == v.Id)),
            db.Grants.Count(g => g.Status == GrantStatus.PendingApproval && db.People.Any(p => p.Id == g.PersonId && p.VendorId == v.Id)),
            db.Findings.Count(f => f.VendorId == v.Id && (f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged)),
            db.Contracts.Count(c => c.VendorId == v.Id && c.StartsOn <= today && c.EndsOn >= today))).ToListAsync(ct);
    }
}

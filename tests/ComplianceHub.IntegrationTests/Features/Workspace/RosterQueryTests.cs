using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Vendors;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Workspace;

/// <summary>
/// The officer's roster across vendors: each filter is checked against an independent in-memory reading of the same
/// rows (the demo data plus people made for the test), and the vendor boundary holds in the query.
/// </summary>
public sealed class RosterQueryTests() : CommandPortalTest("roster")
{
    private Guid dual;      // US and CN citizen
    private Guid resident;  // GB citizen, US lawful permanent resident
    private Guid indian;    // IN citizen working in India, escorted on IL2
    private Guid moved;     // US citizen whose grant is suspended after moving to China
    private Guid stale;     // attested 400 days ago

    protected override async Task ArrangePeopleAsync()
    {
        dual = await AddPersonAsync("US,CN");
        resident = await AddPersonAsync("GB");
        await using (var db = await ContextAsync())
        {
            using var scope = AuditScope.Begin(Actor.ServerOperator, "test.lpr");
            var person = await db.People.SingleAsync(p => p.Id == resident);
            person.SetNationality(["GB"], "GB", usLawfulPermanentResident: true);
            await db.SaveChangesAsync();
        }
        indian = await AddPersonAsync("IN", work: "IN");
        var escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        Assert.True((await SendAsync(Co1, new AssignEscort(escort, indian, Il2, Today, Today.AddDays(60)))).IsOk);
        moved = await AddPersonAsync("US");
        Assert.True((await SendAsync(Co1, new RequestGrant(moved, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Ops"))).IsOk);
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(moved, "CN", "Shanghai"))).IsOk);
        stale = await AddPersonAsync("US");
        await using (var db = await ContextAsync())
        {
            using var scope = AuditScope.Begin(Actor.ServerOperator, "test.stale");
            (await db.People.SingleAsync(p => p.Id == stale)).WithAttestation(Today.AddDays(-400));
            await db.SaveChangesAsync();
        }
    }

    private async Task<PagedResult<RosterGridRow>> ListAsync(Actor actor, RosterFilter filter, int pageSize = 500)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RosterQuery>().ListAsync(actor, filter, new PageRequest(1, pageSize));
    }

    private async Task<List<Person>> EveryoneAsync()
    {
        await using var db = await ContextAsync();
        return await db.People.AsNoTracking().ToListAsync();
    }

    private static bool IsCovered(Person p) => p.Citizenships.Intersect(PolicyDefaults.Baseline2026.Set(PolicyParameters.Covered)).Any();

    [Fact]
    public async Task CitizenshipGroups_PartitionTheRoster_StrictestGroupFirst()
    {
        var everyone = await EveryoneAsync();
        var counts = new Dictionary<CitizenshipGroup, int>();
        foreach (var group in Enum.GetValues<CitizenshipGroup>())
        {
            counts[group] = (await ListAsync(Co1, new RosterFilter { Groups = [group] })).Total;
        }

        Assert.Equal(everyone.Count, counts.Values.Sum());
        Assert.Equal(everyone.Count(IsCovered), counts[CitizenshipGroup.CoveredNation]);
        Assert.Equal(everyone.Count(p => !IsCovered(p) && p.Citizenships.Contains("US")), counts[CitizenshipGroup.UsCitizen]);
        Assert.Equal(everyone.Count(p => !IsCovered(p) && !p.Citizenships.Contains("US") && p.UsLawfulPermanentResident), counts[CitizenshipGroup.UsPerson]);

        var covered = await ListAsync(Co1, new RosterFilter { Groups = [CitizenshipGroup.CoveredNation] });
        var row = Assert.Single(covered.Items, r => r.Id == dual);
        Assert.Equal(CitizenshipGroup.CoveredNation, row.Group);
        var lpr = (await ListAsync(Co1, new RosterFilter { Groups = [CitizenshipGroup.UsPerson] })).Items.Single(r => r.Id == resident);
        Assert.True(lpr.UsLawfulPermanentResident);

        var foreign = await ListAsync(Co1, new RosterFilter { Groups = [CitizenshipGroup.OtherForeign, CitizenshipGroup.CoveredNation] });
        Assert.Equal(counts[CitizenshipGroup.OtherForeign] + counts[CitizenshipGroup.CoveredNation], foreign.Total);
    }

    [Fact]
    public async Task Filters_MatchAnIndependentReadingOfTheRows()
    {
        var everyone = await EveryoneAsync();

        var anyOf = await ListAsync(Co1, new RosterFilter { Citizenships = ["cn", "RU"] });
        Assert.Equal(everyone.Count(p => p.Citizenships.Contains("CN") || p.Citizenships.Contains("RU")), anyOf.Total);
        Assert.Contains(anyOf.Items, r => r.Id == dual);

        var inIndia = await ListAsync(Co1, new RosterFilter { WorkCountry = "in" });
        Assert.Equal(everyone.Count(p => p.WorkCountry == "IN"), inIndia.Total);
        Assert.Contains(inIndia.Items, r => r.Id == indian);

        var subcontractors = await ListAsync(Co1, new RosterFilter { EmployerType = EmployerType.Subcontractor });
        Assert.Equal(everyone.Count(p => p.EmployerType == EmployerType.Subcontractor), subcontractors.Total);

        var search = await ListAsync(Co1, new RosterFilter { Search = everyone.Single(p => p.Id == stale).EmployeeId });
        Assert.Equal(stale, Assert.Single(search.Items).Id);

        var acme = await ListAsync(Co1, new RosterFilter { VendorId = DemoSeeder.AcmeId });
        Assert.Equal(everyone.Count(p => p.VendorId == DemoSeeder.AcmeId), acme.Total);
        Assert.All(acme.Items, r => Assert.Equal("Acme Cloud Services", r.VendorName));
    }

    [Fact]
    public async Task GrantEscortAndAttestationFilters_FindThePeopleTheyDescribe()
    {
        await using var db = await ContextAsync();
        var suspendedPeople = await db.Grants.Where(g => g.Status == GrantStatus.Suspended).Select(g => g.PersonId).Distinct().CountAsync();
        var suspended = await ListAsync(Co1, new RosterFilter { GrantStatus = GrantStatus.Suspended });
        Assert.Equal(suspendedPeople, suspended.Total);
        var row = Assert.Single(suspended.Items, r => r.Id == moved);
        Assert.Equal(1, row.SuspendedGrants);
        Assert.Equal("CN", row.WorkCountry);

        var onIl2 = await ListAsync(Co1, new RosterFilter { SystemId = Il2 });
        Assert.Contains(onIl2.Items, r => r.Id == moved);
        var il2People = await db.Grants.Where(g => g.SystemId == Il2 && (g.Status == GrantStatus.Active || g.Status == GrantStatus.Suspended || g.Status == GrantStatus.PendingApproval))
            .Select(g => g.PersonId).Distinct().CountAsync();
        Assert.Equal(il2People, onIl2.Total);
        var onIl2Systems = await db.Grants.Where(g => db.Systems.Any(s => s.Id == g.SystemId && s.ImpactLevel == ImpactLevel.IL2)
                && (g.Status == GrantStatus.Active || g.Status == GrantStatus.Suspended || g.Status == GrantStatus.PendingApproval))
            .Select(g => g.PersonId).Distinct().CountAsync();
        Assert.Equal(onIl2Systems, (await ListAsync(Co1, new RosterFilter { ImpactLevel = ImpactLevel.IL2 })).Total);

        var escorted = await ListAsync(Co1, new RosterFilter { Escorted = true });
        var escortedPeople = await (from a in db.EscortAssignments
                                    join e in db.People on a.EscortId equals e.Id
                                    where a.Active && a.StartsOn <= Today && a.EndsOn >= Today && e.EscortQualification != EscortQualification.None
                                          && e.EmploymentStatus == EmploymentStatus.Active && e.Citizenships.Contains("US") && e.WorkCountry == "US"
                                    select a.PersonId).Distinct().CountAsync();
        Assert.Equal(escortedPeople, escorted.Total);
        Assert.Contains(escorted.Items, r => r.Id == indian && r.Escorted);
        Assert.Equal((await EveryoneAsync()).Count - escortedPeople, (await ListAsync(Co1, new RosterFilter { Escorted = false })).Total);

        var overdue = await ListAsync(Co1, new RosterFilter { Attestation = [AttestationState.Overdue] });
        var staleRow = Assert.Single(overdue.Items, r => r.Id == stale);
        Assert.Equal(AttestationState.Overdue, staleRow.Attestation);
        Assert.Equal(Today.AddDays(-400 + PolicyDefaults.Baseline2026.AttestationDays.Other), staleRow.AttestationDueOn);
        Assert.All(overdue.Items, r => Assert.Equal(AttestationState.Overdue, r.Attestation));
        var states = new Dictionary<AttestationState, int>();
        foreach (var state in Enum.GetValues<AttestationState>())
        {
            var list = await ListAsync(Co1, new RosterFilter { Attestation = [state] });
            Assert.All(list.Items, r => Assert.Equal(state, r.Attestation));
            states[state] = list.Total;
        }
        Assert.Equal((await EveryoneAsync()).Count, states.Values.Sum());
    }

    [Fact]
    public async Task ARepresentative_ReadsOnlyTheirOwnVendor_WhateverTheFilterSays()
    {
        var everyone = await EveryoneAsync();

        var own = await ListAsync(AcmeRep, new RosterFilter());
        Assert.Equal(everyone.Count(p => p.VendorId == DemoSeeder.AcmeId), own.Total);
        Assert.All(own.Items, r => Assert.Equal(DemoSeeder.AcmeId, r.VendorId));
        Assert.Equal(0, (await ListAsync(AcmeRep, new RosterFilter { VendorId = DemoSeeder.GlobexId })).Total);
        Assert.DoesNotContain((await ListAsync(GlobexRep, new RosterFilter { Search = "Test Person" })).Items, r => r.VendorId == DemoSeeder.AcmeId);

        await using var scope = Portal.Services.CreateAsyncScope();
        var vendors = scope.ServiceProvider.GetRequiredService<VendorWorkspaceQuery>();
        Assert.Null(await vendors.GetAsync(GlobexRep, DemoSeeder.AcmeId));
        Assert.NotNull(await vendors.GetAsync(AcmeRep, DemoSeeder.AcmeId));
        var listed = await vendors.ListAsync(GlobexRep, null, new PageRequest());
        Assert.Equal(DemoSeeder.GlobexId, Assert.Single(listed.Items).Id);
    }

    [Fact]
    public async Task ExportPages_ReadTheWholeFilteredList_InTheGridsOrder()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var roster = scope.ServiceProvider.GetRequiredService<RosterQuery>();
        var screen = await roster.ListAsync(Co1, new RosterFilter(), new PageRequest(1, 10_000, "employeeId", true));
        var export = await roster.ListAsync(Co1, new RosterFilter(), PageRequest.ForExport(1, "employeeId", true));

        Assert.Equal(PageRequest.MaxPageSize, screen.PageSize); // a screen never reads more than 500 rows at once
        Assert.Equal(export.Total, export.Items.Count);
        Assert.Equal(export.Items.Select(r => r.EmployeeId).OrderDescending(StringComparer.Ordinal).ThenBy(x => x), export.Items.Select(r => r.EmployeeId));
    }

    [Fact]
    public async Task TheVendorPage_CountsAgreeWithTheRoster_AndNamesContractsAndSystems()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var workspace = await scope.ServiceProvider.GetRequiredService<VendorWorkspaceQuery>().GetAsync(Co1, DemoSeeder.AcmeId);

        Assert.NotNull(workspace);
        var active = await ListAsync(Co1, new RosterFilter { VendorId = DemoSeeder.AcmeId, Status = EmploymentStatus.Active });
        Assert.Equal(active.Total, workspace.Vendor.ActivePeople);
        Assert.Equal(active.Total, workspace.Attestations.Values.Sum());
        Assert.Equal(active.Items.Sum(r => r.SuspendedGrants), workspace.Vendor.SuspendedGrants);
        Assert.True(workspace.Vendor.SuspendedGrants >= 1);
        var contract = Assert.Single(workspace.Contracts);
        Assert.NotEmpty(contract.ResponsibleOfficers);
        Assert.DoesNotContain(contract.ResponsibleOfficers, name => name.StartsWith('('));
        Assert.Contains(workspace.Systems, s => s.Id == Il2 && s.PeopleWithLiveGrants >= 1);
        await using var db = await ContextAsync();
        var open = await db.Findings.CountAsync(f => f.VendorId == DemoSeeder.AcmeId && (f.Status == Core.Domain.Findings.FindingStatus.Open || f.Status == Core.Domain.Findings.FindingStatus.Acknowledged));
        Assert.Equal(open, workspace.Vendor.OpenFindings);
        Assert.Equal(open, workspace.OpenFindingsBySeverity.Values.Sum());
    }
}

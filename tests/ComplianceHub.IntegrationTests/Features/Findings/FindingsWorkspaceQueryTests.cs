using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Findings;

/// <summary>The officer's findings grid: names resolved, the dashboard's filters (open, overdue), vendor isolation, read-only auditors.</summary>
public sealed class FindingsWorkspaceQueryTests() : CommandPortalTest("findings-ws")
{
    private Guid relocated;
    private Guid dual;

    protected override async Task ArrangePeopleAsync()
    {
        relocated = await AddPersonAsync("US");
        dual = await AddPersonAsync("US");
        foreach (var person in new[] { relocated, dual })
        {
            var grant = await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"));
            Assert.True(grant.IsOk, grant.Message);
        }
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(relocated, "CN", "Shenzhen"))).IsOk); // LOC-COVERED, blocks
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(dual, Citizenships: ["US", "CN"]))).IsOk); // CIT-COVERED, blocks
    }

    private async Task<PagedResult<FindingRow>> ListAsync(Core.Authorization.Actor actor, FindingsWorkspaceFilter filter, string? sort = null)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FindingsWorkspaceQuery>().ListAsync(actor, filter, new PageRequest(1, 100, sort));
    }

    private static FindingsWorkspaceFilter Ours(Guid vendor) => new() { VendorId = vendor };

    [Fact]
    public async Task Rows_CarryTheVendorAndPersonNames_AndTheRuleOutcome()
    {
        var page = await ListAsync(Co1, Ours(DemoSeeder.AcmeId) with { RuleId = "loc-covered" });

        var row = Assert.Single(page.Items);
        Assert.Equal(relocated, row.PersonId);
        Assert.Equal("Test Person", row.PersonName);
        Assert.Equal("Acme Cloud Services", row.VendorName);
        Assert.Equal(Severity.Block, row.Severity);
        Assert.False(row.Waivable); // statute
        Assert.Equal("CN", row.ToOutcome().Facts["workCountry"]);
        Assert.Equal(Today.AddDays(7), row.DueOn);
        Assert.False(row.Overdue);

        var ofDual = await ListAsync(Co1, new FindingsWorkspaceFilter { PersonId = dual });
        Assert.NotEmpty(ofDual.Items);
        Assert.All(ofDual.Items, r => Assert.Equal(dual, r.PersonId));
    }

    [Fact]
    public async Task OpenAndOverdue_KeepOnlyFindingsStillToBeWorked()
    {
        Assert.Equal(2, (await ListAsync(Co1, Ours(DemoSeeder.AcmeId) with { Open = true })).Total);
        Assert.Equal(0, (await ListAsync(Co1, Ours(DemoSeeder.AcmeId) with { Overdue = true })).Total);

        // The relocated engineer comes home: the gate closes LOC-COVERED. A week later the other finding is overdue.
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(relocated, "US", "Reston"))).IsOk);
        Clock.Advance(TimeSpan.FromDays(8));

        var open = await ListAsync(Co1, Ours(DemoSeeder.AcmeId) with { Open = true });
        Assert.Equal("CIT-COVERED", Assert.Single(open.Items).RuleId);
        var overdue = await ListAsync(Co1, Ours(DemoSeeder.AcmeId) with { Overdue = true });
        var late = Assert.Single(overdue.Items);
        Assert.Equal(dual, late.PersonId);
        Assert.True(late.Overdue);
        var all = await ListAsync(Co1, Ours(DemoSeeder.AcmeId), sort: "person");
        Assert.Equal(2, all.Total);
        Assert.Contains(all.Items, r => r.RuleId == "LOC-COVERED" && r.Status == FindingStatus.Closed && !r.Overdue);
        Assert.Equal(1, (await ListAsync(Co1, Ours(DemoSeeder.AcmeId) with { Status = FindingStatus.Closed })).Total);
        Assert.Equal(1, (await ListAsync(Co1, Ours(DemoSeeder.AcmeId) with { Overdue = true, Severity = Severity.Block })).Total);
        Assert.Equal(0, (await ListAsync(Co1, Ours(DemoSeeder.AcmeId) with { Overdue = true, Severity = Severity.Warn })).Total);
    }

    [Fact]
    public async Task AWaiverRequest_ShowsOnItsFinding()
    {
        var finding = Assert.Single((await ListAsync(Co1, Ours(DemoSeeder.AcmeId) with { RuleId = "CIT-COVERED" })).Items);
        Assert.False(finding.WaiverPending);

        var waiver = await SendAsync(Co1, new RequestWaiver(finding.Id, "Renunciation in progress.", Today.AddDays(30)));
        Assert.True(waiver.IsOk, waiver.Message);

        Assert.True(Assert.Single((await ListAsync(Co1, Ours(DemoSeeder.AcmeId) with { RuleId = "CIT-COVERED" })).Items).WaiverPending);
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_SeesNoneOfAcmesFindings_EvenWhenAskingForAcme()
    {
        var globex = await ListAsync(GlobexRep, new FindingsWorkspaceFilter { Open = true });
        Assert.DoesNotContain(globex.Items, r => r.VendorId == DemoSeeder.AcmeId);
        Assert.Equal(0, (await ListAsync(GlobexRep, Ours(DemoSeeder.AcmeId))).Total);
        Assert.Equal(2, (await ListAsync(AcmeRep, Ours(DemoSeeder.AcmeId))).Total);
    }

    [Fact]
    public async Task AnAuditorReadsEveryFinding_ButCannotWorkThem()
    {
        var page = await ListAsync(Auditor, Ours(DemoSeeder.AcmeId) with { Open = true });
        Assert.Equal(2, page.Total);
        var finding = page.Items.First(r => r.RuleId == "CIT-COVERED");

        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new AcknowledgeFinding(finding.Id, "Seen"))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new RequestWaiver(finding.Id, "No", Today.AddDays(5)))).Kind);
        Assert.Equal(FindingStatus.Open, Assert.Single((await ListAsync(Auditor, Ours(DemoSeeder.AcmeId) with { RuleId = "CIT-COVERED" })).Items).Status);
    }
}

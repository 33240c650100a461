using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Core.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Vendors;

/// <summary>The systems grid: vendors through their contracts, people with access, filters, and who may change a system.</summary>
public sealed class SystemsQueryTests() : CommandPortalTest("systems")
{
    protected override async Task ArrangePeopleAsync()
    {
        var one = await AddPersonAsync("US");
        var two = await AddPersonAsync("US");
        Assert.Equal(GrantStatus.Active, (await SendAsync(Co1, new RequestGrant(one, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"))).Value!.Status);
        Assert.Equal(GrantStatus.Active, (await SendAsync(Co1, new RequestGrant(two, Il2, AccessType.Data, false, Today, Today.AddDays(90), "Reports"))).Value!.Status);
        Assert.Equal(GrantStatus.PendingApproval, (await SendAsync(Co1, new RequestGrant(one, Il5, AccessType.Privileged, false, Today, Today.AddDays(90), "Records"))).Value!.Status);
    }

    private async Task<PagedResult<SystemRow>> ListAsync(Core.Authorization.Actor actor, SystemFilter filter, string? sort = null, bool desc = false)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SystemsQuery>().ListAsync(actor, filter, new PageRequest(1, 50, sort, desc));
    }

    [Fact]
    public async Task Rows_NameTheVendorsUnderContract_AndCountPeopleWithAccess()
    {
        var page = await ListAsync(Auditor, new SystemFilter(), sort: "peopleWithAccess", desc: true);

        Assert.Equal(6, page.Total);
        var portal = page.Items[0];
        Assert.Equal(("milCloud Public Portal", ImpactLevel.IL2, 2, 0), (portal.Name, portal.ImpactLevel, portal.PeopleWithAccess, portal.PeoplePendingOrSuspended));
        Assert.Equal(["Acme Cloud Services"], portal.Vendors);
        var records = Assert.Single(page.Items, s => s.Id == Il5);
        Assert.Equal((0, 1), (records.PeopleWithAccess, records.PeoplePendingOrSuspended));
        Assert.Equal(["Globex Federal"], records.Vendors);
    }

    [Fact]
    public async Task Filters_ByImpactLevel_Vendor_AndText()
    {
        Assert.Equal(2, (await ListAsync(Co1, new SystemFilter(ImpactLevel: ImpactLevel.IL5))).Total);
        var globex = await ListAsync(Co1, new SystemFilter(VendorId: DemoSeeder.GlobexId));
        Assert.Equal(["DLA Supplier Collaboration", "Navy Personnel Records"], globex.Items.Select(s => s.Name));
        Assert.Equal("Joint Intelligence Enclave", Assert.Single((await ListAsync(Co1, new SystemFilter(Search: "secret"))).Items).Name);
    }

    [Fact]
    public async Task Representatives_CannotReadTheCrossVendorGrid_AndAuditorsCannotChangeASystem()
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => ListAsync(AcmeRep, new SystemFilter()));
        var portal = Assert.Single((await ListAsync(Co1, new SystemFilter(Search: "milCloud"))).Items);

        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new UpdateSystem(portal.Id, portal.Version, portal.Name, portal.Provider, portal.Environment, ImpactLevel.IL4))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new CreateSystem("Shadow", "Acme", "Lab", ImpactLevel.IL2))).Kind);
        Assert.Equal(ImpactLevel.IL2, Assert.Single((await ListAsync(Co1, new SystemFilter(Search: "milCloud"))).Items).ImpactLevel);
    }
}

using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Notifications;

/// <summary>
/// The officer's bell counts what the reading officer can act on (issue 21): not their own grant requests (the two-person
/// rule bars them), but the vendors' escort requests; each count links to its part of the approvals queue.
/// </summary>
public sealed class OfficerBellTests() : CommandPortalTest("officer-bell")
{
    private Guid person;
    private Guid escort;
    private Guid foreigner;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US");
        escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        foreigner = await AddPersonAsync("GB", tier: InvestigationTier.T3);
    }

    private async Task<int> CountAsync(Core.Authorization.Actor actor, string kind) =>
        (await Portal.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<NotificationsQuery>().ForAsync(actor))
            .Items.SingleOrDefault(i => i.Kind == kind)?.Count ?? 0;

    [Fact]
    public async Task AnOfficersOwnRequest_IsNotCounted_ButAnotherOfficersIs()
    {
        var (co1Before, co2Before) = (await CountAsync(Co1, "grant-approvals"), await CountAsync(Co2, "grant-approvals"));

        var pending = await SendAsync(Co1, new RequestGrant(person, Il5, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Reports"));
        Assert.Equal(GrantStatus.PendingApproval, pending.Value!.Status);

        Assert.Equal(co1Before, await CountAsync(Co1, "grant-approvals"));
        Assert.Equal(co2Before + 1, await CountAsync(Co2, "grant-approvals"));
        var item = (await Portal.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<NotificationsQuery>().ForAsync(Co2))
            .Items.Single(i => i.Kind == "grant-approvals");
        Assert.Equal("/approvals#grants", item.Href);
        Assert.Equal($"{co2Before + 1} {(co2Before + 1 == 1 ? "grant" : "grants")} to approve or reject", item.Text);
    }

    [Fact]
    public async Task AVendorsEscortRequest_IsCountedForEveryOfficer_UntilDecided()
    {
        var before = await CountAsync(Co1, "escort-requests");
        var request = await SendAsync(AcmeRep, new RequestEscort(escort, foreigner, Il2, Today, Today.AddDays(30), "Maintenance window"));
        Assert.True(request.IsOk, request.Message);

        Assert.Equal(before + 1, await CountAsync(Co1, "escort-requests"));
        Assert.Equal(before + 1, await CountAsync(Co2, "escort-requests"));
        Assert.Equal(0, await CountAsync(AcmeRep, "escort-requests")); // a representative acts on other things
        Assert.Empty((await Portal.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<NotificationsQuery>().ForAsync(Auditor)).Items);

        Assert.True((await SendAsync(Co1, new DecideEscortRequest(request.Value!.Id, true, null))).IsOk);
        Assert.Equal(before, await CountAsync(Co2, "escort-requests"));
    }
}

using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Grants;

/// <summary>
/// The person page offers only the grant decisions that can succeed (GrantActions, on the grants and rules the page reads),
/// and says why the others are not offered: a pending grant is not suspended, a grant a blocking rule still fails is not
/// reactivated. Each offer is checked against the command itself.
/// </summary>
public sealed class GrantActionsTests() : CommandPortalTest("grant-actions")
{
    private Guid person;
    private Guid active;
    private Guid pending;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US");
        active = (await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Support"))).Value!.Id;
        pending = (await SendAsync(Co1, new RequestGrant(person, Il5, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Reports"))).Value!.Id;
    }

    private async Task<IReadOnlyList<GrantAction>> OfferedAsync(Guid grant)
    {
        var page = await Portal.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<PersonWorkspaceQuery>().GetAsync(Co2, person);
        var row = page!.Grants.Single(g => g.Id == grant);
        return GrantActions.For(row.Status, row.FailingRules);
    }

    private static GrantAction Action(IReadOnlyList<GrantAction> actions, GrantDecision decision) => actions.Single(a => a.Decision == decision);

    [Fact]
    public async Task APendingGrant_OffersRevokeButNotSuspend_AndTheCommandAgrees()
    {
        var actions = await OfferedAsync(pending);
        var suspend = Action(actions, GrantDecision.Suspend);
        Assert.False(suspend.Offered);
        Assert.True(suspend.Shown);
        Assert.Contains("waiting for approval", suspend.WhyNot, StringComparison.Ordinal);
        Assert.False(Action(actions, GrantDecision.Reactivate).Shown);
        Assert.True(Action(actions, GrantDecision.Revoke).Offered);

        var refused = await SendAsync(Co2, new DecideGrant(pending, GrantDecision.Suspend, "Hold"));
        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        Assert.Equal(suspend.WhyNot, refused.Message);
        Assert.Equal(GrantStatus.Revoked, (await SendAsync(Co2, new DecideGrant(pending, GrantDecision.Revoke, "Not needed"))).Value!.Status);
    }

    [Fact]
    public async Task AGrantABlockingRuleStillFails_IsNotOfferedReactivation_UntilTheFactsPassAgain()
    {
        Assert.True(Action(await OfferedAsync(active), GrantDecision.Suspend).Offered);

        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Contains(active, (await SendAsync(AcmeRep, new ChangePersonFacts(person, "RU", "Moscow"))).Value!.Consequences.SuspendedGrants);
        var reactivate = Action(await OfferedAsync(active), GrantDecision.Reactivate);
        Assert.False(reactivate.Offered);
        Assert.True(reactivate.Shown);
        Assert.Contains("LOC-COVERED", reactivate.WhyNot, StringComparison.Ordinal);
        var refused = await SendAsync(Co2, new DecideGrant(active, GrantDecision.Reactivate, "Please restore"));
        Assert.Equal(OutcomeKind.Refused, refused.Kind);
        Assert.Contains(refused.Violations!, v => v.RuleId == "LOC-COVERED");

        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await SendAsync(AcmeRep, new ChangePersonFacts(person, "US", "Reston"))).IsOk);
        Assert.True(Action(await OfferedAsync(active), GrantDecision.Reactivate).Offered);
        Assert.Equal(GrantStatus.Active, (await SendAsync(Co2, new DecideGrant(active, GrantDecision.Reactivate, "Back in the US"))).Value!.Status);
    }
}

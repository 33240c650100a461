using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Grants;

/// <summary>Suspend, revoke and reactivate: officers' decisions; reactivation is an access decision and may be refused.</summary>
public sealed class GrantDecisionTests() : CommandPortalTest("decide")
{
    private Guid person;
    private Guid grant;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US");
        grant = (await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Support"))).Value!.Id;
    }

    [Fact]
    public async Task Suspend_ThenReactivate_WithReasons()
    {
        var suspended = await SendAsync(Co1, new DecideGrant(grant, GrantDecision.Suspend, "Investigating an incident"));
        Assert.Equal(GrantStatus.Suspended, suspended.Value!.Status);
        var reactivated = await SendAsync(Co2, new DecideGrant(grant, GrantDecision.Reactivate, "Incident closed"));
        Assert.Equal(GrantStatus.Active, reactivated.Value!.Status);
    }

    [Fact]
    public async Task Reactivation_IsRefused_WhileABlockingRuleStillFails()
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        var moved = await SendAsync(AcmeRep, new ChangePersonFacts(person, "RU", "Moscow"));
        Assert.Equal([grant], moved.Value!.Consequences.SuspendedGrants);

        var outcome = await SendAsync(Co2, new DecideGrant(grant, GrantDecision.Reactivate, "Please restore"));
        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        Assert.Contains(outcome.Violations!, v => v.RuleId == "LOC-COVERED");
        Assert.Equal("Suspended", await Tests.Shared.TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT status FROM access_grants WHERE id = '{grant}'"));
    }

    [Fact]
    public async Task ARevokedGrant_StaysRevoked()
    {
        Assert.Equal(GrantStatus.Revoked, (await SendAsync(Co1, new DecideGrant(grant, GrantDecision.Revoke, "Contract ended"))).Value!.Status);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(Co1, new DecideGrant(grant, GrantDecision.Reactivate, "Oops"))).Kind);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(Co1, new DecideGrant(grant, GrantDecision.Suspend, "Again"))).Kind);
    }

    [Fact]
    public async Task APendingGrant_IsNotSuspended_AndOneTheRulesSuspendedBeforeApproval_GoesBackToPendingApproval()
    {
        var pending = (await SendAsync(Co1, new RequestGrant(person, Il5, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Reports"))).Value!;
        // It gives no access yet: rejected (revoked) in the approvals queue, never suspended (GrantActions).
        var refused = await SendAsync(Co1, new DecideGrant(pending.Id, GrantDecision.Suspend, "Hold"));
        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        Assert.Contains("waiting for approval", refused.Message, StringComparison.Ordinal);

        // The gate suspends it when the facts fail; once they pass again, reactivating it returns it to the queue.
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Contains(pending.Id, (await SendAsync(AcmeRep, new ChangePersonFacts(person, "RU", "Moscow"))).Value!.Consequences.SuspendedGrants);
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await SendAsync(AcmeRep, new ChangePersonFacts(person, "US", "Reston"))).IsOk);
        var reactivated = await SendAsync(Co1, new DecideGrant(pending.Id, GrantDecision.Reactivate, "Resume"));
        Assert.Equal(GrantStatus.PendingApproval, reactivated.Value!.Status);
    }

    [Fact]
    public async Task DecisionsNeedAReason_AndAnOfficer()
    {
        var invalid = await SendAsync(Co1, new DecideGrant(grant, GrantDecision.Suspend, " "));
        Assert.Equal(OutcomeKind.Invalid, invalid.Kind);
        Assert.Contains("Reason", invalid.Errors!.Keys);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new DecideGrant(grant, GrantDecision.Suspend, "x"))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new DecideGrant(grant, GrantDecision.Revoke, "x"))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Co1, new DecideGrant(Guid.NewGuid(), GrantDecision.Revoke, "x"))).Kind);
    }

    [Fact]
    public async Task FactsAsOfAPastDay_AreRebuiltFromTheHistory_WithinTheVendorScope()
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(AcmeRep, new ChangePersonFacts(person, "CA", "Ottawa", EffectiveOn: Today.AddDays(-10)));
        await using var scope = Portal.Services.CreateAsyncScope();
        var history = scope.ServiceProvider.GetRequiredService<PersonHistoryQuery>();

        var before = await history.FactsAsOfAsync(Co1, person, Today.AddDays(-11));
        var after = await history.FactsAsOfAsync(Auditor, person, Today.AddDays(-10));
        Assert.Equal("US", before!["workCountry"]!.Value.GetString());
        Assert.Equal("CA", after!["workCountry"]!.Value.GetString());
        Assert.Equal("Ottawa", after["workCity"]!.Value.GetString());

        Assert.NotNull(await history.HistoryAsync(AcmeRep, person));
        Assert.Null(await history.HistoryAsync(GlobexRep, person));
    }
}

using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Gate;

/// <summary>
/// Contexts are pooled (issue 16: setting one up cost a third of a grant request). A context goes back to the pool after
/// each operation, so nothing of one operation — a dry run's flag, a fact source, outcomes, consequences — may reach the next.
/// </summary>
public sealed class PooledContextTests() : CommandPortalTest("pooled")
{
    private Guid usEngineer;

    protected override async Task ArrangePeopleAsync() => usEngineer = await AddPersonAsync("US");

    [Fact]
    public async Task AContextBackFromThePool_CarriesNoGateStateOfThePreviousOperation()
    {
        var factory = Portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>();
        var first = await factory.CreateDbContextAsync();
        first.PreviewOnly = true;
        first.StartReevaluation = true;
        first.FactSource = FactSource.OfficerVerified;
        first.FactsEffectiveOn = Today.AddDays(-10);
        first.Outcomes[new object()] = [];
        first.Consequences.SuspendedGrants.Add(Guid.NewGuid());
        first.Consequences.FindingsOpened.Add(Guid.NewGuid());
        first.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking; // queries switch it; EF resets it
        first.ChangeTracker.AutoDetectChangesEnabled = false;
        await first.DisposeAsync();

        // The pool hands contexts out first in, first out: rent until the same instance comes back.
        var others = new List<ComplianceDbContext>();
        ComplianceDbContext? second = null;
        for (var i = 0; i < 100 && second is null; i++)
        {
            var rented = await factory.CreateDbContextAsync();
            if (ReferenceEquals(rented, first)) { second = rented; } else { others.Add(rented); }
        }
        Assert.NotNull(second); // pooled: the very instance, reset
        Assert.False(second.PreviewOnly);
        Assert.False(second.StartReevaluation);
        Assert.Null(second.FactSource);
        Assert.Null(second.FactsEffectiveOn);
        Assert.Empty(second.Outcomes);
        Assert.Empty(second.Consequences.SuspendedGrants);
        Assert.Empty(second.Consequences.FindingsOpened);
        Assert.Equal(QueryTrackingBehavior.TrackAll, second.ChangeTracker.QueryTrackingBehavior);
        Assert.True(second.ChangeTracker.AutoDetectChangesEnabled);
        foreach (var c in others.Append(second))
        {
            await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task ARequestAfterADryRun_IsAudited_AndRecordsThePolicyVersionItWasDecidedUnder()
    {
        var request = new RequestGrant(usEngineer, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Patching");
        var preview = await SendAsync(Co1, request with { DryRun = true });
        Assert.True(preview.IsOk, preview.Message);
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT count(*) FROM access_grants WHERE person_id = '{usEngineer}'"));

        // A pooled context a dry run used (PreviewOnly) can serve the real request: it must be appended to the trail.
        var outcome = await SendAsync(Co1, request);
        Assert.True(outcome.IsOk, outcome.Message);
        var audit = await SingleEventAsync(e => e.SubjectId == outcome.Value!.Id.ToString());
        Assert.Equal("request-grant", audit.Operation);
        await using var db = await ContextAsync();
        var active = await db.PolicyVersions.Where(v => v.Status == Core.Domain.Policy.PolicyStatus.Active).Select(v => v.Id).SingleAsync();
        Assert.Equal(GrantStatus.Active, outcome.Value!.Status);
        Assert.Equal(active, outcome.Value.PolicyVersionId);
        Assert.Equal(active, (await db.Grants.SingleAsync(g => g.Id == outcome.Value.Id)).PolicyVersionId);
        Assert.True((await VerifyChainAsync()).Valid);
    }
}

using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.Grants;

/// <summary>Time alone changes compliance: the scheduler's run suspends grants whose attestation fell due.</summary>
public sealed class ReevaluateGrantsTests() : CommandPortalTest("reeval")
{
    private Guid privileged;
    private Guid other;

    protected override async Task ArrangePeopleAsync()
    {
        var person = await AddPersonAsync("US");
        privileged = (await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.Privileged, false, Today, Today.AddDays(120), "Administration"))).Value!.Id;
        other = (await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.Data, false, Today, Today.AddDays(120), "Reports"))).Value!.Id;
    }

    [Fact]
    public async Task AfterAMonth_ThePrivilegedGrantIsSuspended_AndTheOtherIsWarnedAboutNothingYet()
    {
        var nothingYet = await SendAsync(Actor.Scheduler, new ReevaluateGrants());
        Assert.Empty(nothingYet.Value!.Consequences.SuspendedGrants);

        Clock.Advance(TimeSpan.FromDays(28)); // attested 31 days ago now: over the 30-day privileged interval
        var run = await SendAsync(Actor.Scheduler, new ReevaluateGrants());

        Assert.Equal([privileged], run.Value!.Consequences.SuspendedGrants);
        await using var db = await ContextAsync();
        Assert.Equal(GrantStatus.Active, (await db.Grants.AsNoTracking().SingleAsync(g => g.Id == other)).Status);
        var finding = await db.Findings.AsNoTracking().SingleAsync(f => f.SubjectId == privileged && f.RuleId == "ATTEST-FRESH");
        Assert.Equal(FindingStatus.Open, finding.Status);
        Assert.Equal(Severity.Suspend, finding.Severity);
        Assert.Equal(1L, await Tests.Shared.TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT count(*) FROM audit_events WHERE operation = 'apply-reevaluation-batch' AND subject_id = '{privileged}' AND actor_name LIKE 'scheduler%'"));
        // The batch that suspended it names the run, and the run names the policy version it applied.
        Assert.Equal(1L, await Tests.Shared.TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT count(*) FROM audit_events e JOIN audit_events r ON r.correlation_id = e.correlation_id AND r.subject_type = 'reevaluation-run' " +
            $"AND r.subject_id = '{run.Value.Run.Id}' WHERE e.subject_id = '{privileged}'"));
        Assert.True(run.Value.Run.Finished);
        Assert.Equal(1, run.Value.Run.Suspended);

        var again = await SendAsync(Actor.Scheduler, new ReevaluateGrants());
        Assert.Empty(again.Value!.Consequences.SuspendedGrants);
        Assert.Empty(again.Value.Consequences.FindingsOpened);
    }

    [Fact]
    public async Task OnlyTheSchedulerOrAnAdministrator_RunsIt() =>
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Co1, new ReevaluateGrants())).Kind);

    [Fact]
    public async Task WhileAnotherInstanceRunsIt_ARunSkips_AndTheInstancesShareOneCadence()
    {
        // Another instance's run: the same advisory lock, held by an open transaction on another connection.
        await using (var other = new Npgsql.NpgsqlConnection(Database.AppConnectionString))
        {
            await other.OpenAsync();
            await using var transaction = await other.BeginTransactionAsync();
            await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(18938341626304065)", other, transaction))
            {
                await take.ExecuteNonQueryAsync();
            }
            var skipped = await SendAsync(Actor.Scheduler, new ReevaluateGrants());
            Assert.Equal(OutcomeKind.Conflict, skipped.Kind);
            Assert.Contains("Another instance", skipped.Message, StringComparison.Ordinal);
        }

        Assert.True((await SendAsync(Actor.Scheduler, new ReevaluateGrants(UnlessRanWithin: TimeSpan.FromMinutes(30)))).IsOk);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(Actor.Scheduler, new ReevaluateGrants(UnlessRanWithin: TimeSpan.FromMinutes(30)))).Kind);
        Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.True((await SendAsync(Actor.Scheduler, new ReevaluateGrants(UnlessRanWithin: TimeSpan.FromMinutes(30)))).IsOk);
    }
}

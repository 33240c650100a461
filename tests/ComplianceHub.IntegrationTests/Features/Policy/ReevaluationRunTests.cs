using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComplianceHub.IntegrationTests.Features.Policy;

/// <summary>
/// A policy activation is one transaction; its consequences on existing grants are applied afterwards in batches, each a
/// gated, audited transaction that names the run, resumable from the last committed batch (ADR 0029). Five US/IN dual
/// nationals hold IL2 grants; the draft adds IN to the covered nations.
/// </summary>
public sealed class ReevaluationRunTests() : CommandPortalTest("reevalrun")
{
    private readonly List<Guid> grants = [];
    private Guid draft;

    protected override async Task ArrangePeopleAsync()
    {
        for (var i = 0; i < 5; i++)
        {
            var person = await AddPersonAsync("US,IN", name: $"Dual National {i}");
            var grant = await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Operations"));
            Assert.True(grant.IsOk, grant.Message);
            grants.Add(grant.Value!.Id);
        }
        draft = await DraftCoveringIndiaAsync("IN is covered");
    }

    private async Task<Guid> DraftCoveringIndiaAsync(string name)
    {
        var drafted = await SendAsync(Co1, new DraftPolicyVersion(name, Tests.Shared.PolicyDrafts.BaselineCovering("IN")));
        Assert.True(drafted.IsOk, drafted.Message);
        return drafted.Value!.Id;
    }

    private async Task<ReevaluationRunView> ActivateOnlyAsync(Guid id)
    {
        var activated = await SendOnlyAsync(Co2, new ActivatePolicyVersion(id));
        Assert.True(activated.IsOk, activated.Message);
        return activated.Value!.Run!;
    }

    private async Task<Dictionary<Guid, GrantStatus>> StatusesAsync()
    {
        await using var db = await ContextAsync();
        return await db.Grants.AsNoTracking().Where(g => grants.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Status);
    }

    private Task<Outcome<ReevaluationBatchResult>> BatchAsync(Guid run, int size) => SendOnlyAsync(Actor.Scheduler, new ApplyReevaluationBatch(run, size));

    [Fact]
    public async Task TheActivationCommitsAlone_AndFromThatInstantEveryChangeIsEvaluatedUnderTheNewVersion()
    {
        var another = await AddPersonAsync("US,IN", name: "Late Requester");
        var run = await ActivateOnlyAsync(draft);
        Assert.False(run.Finished);
        Assert.Equal(ReevaluationReason.Activation, run.Reason);
        Assert.True(run.Total >= grants.Count);
        Assert.Equal("Morgan Officer", run.StartedByName);
        // The existing grants are untouched until the batches run ...
        Assert.All((await StatusesAsync()).Values, s => Assert.Equal(GrantStatus.Active, s));
        // ... but a new request is already decided under the new version.
        var refused = await SendAsync(Co1, new RequestGrant(another, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Operations"));
        Assert.Equal(OutcomeKind.Refused, refused.Kind);
        Assert.Contains(refused.Violations!, v => v.RuleId == "CIT-COVERED");

        var done = await Portal.Services.GetRequiredService<ReevaluationRunner>().DriveAsync(run.Id);
        Assert.True(done!.Run.Finished);
        Assert.Equal(done.Run.Total, done.Run.Processed);
        Assert.Equal(grants.Order(), done.Consequences.SuspendedGrants.Intersect(grants).Order());
        Assert.All((await StatusesAsync()).Values, s => Assert.Equal(GrantStatus.Suspended, s));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task EachBatchIsItsOwnAuditedTransaction_NamingTheRun_AndARestartedRunnerResumesWhereTheLastBatchEnded()
    {
        var run = await ActivateOnlyAsync(draft);
        var first = await BatchAsync(run.Id, 2);
        Assert.True(first.IsOk, first.Message);
        Assert.Equal((2, 1, false), (first.Value!.Run.Processed, first.Value.Run.Batches, first.Value.Run.Finished));
        await using (var db = await ContextAsync())
        {
            var stored = await db.ReevaluationRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id);
            Assert.NotNull(stored.LastGrantId);
            // The batch's events: the run's progress and every suspension share one correlation id (one transaction).
            var runEvents = await db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == "reevaluation-run" && e.SubjectId == run.Id.ToString())
                .OrderBy(e => e.Sequence).ToListAsync();
            Assert.Equal(2, runEvents.Count); // started with the activation, advanced by the batch
            var batchEvents = await db.AuditEvents.AsNoTracking().Where(e => e.CorrelationId == runEvents[1].CorrelationId).ToListAsync();
            Assert.Contains(batchEvents, e => e.SubjectType == "grant" && e.Changes.Contains("Suspended", StringComparison.Ordinal));
            Assert.All(batchEvents, e => Assert.Equal("apply-reevaluation-batch", e.Operation));
        }

        // A new runner (an instance started after the first stopped) resumes from the committed cursor: each grant once.
        var restarted = new ReevaluationRunner(Portal.Services.GetRequiredService<IServiceScopeFactory>(),
            Portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>(), 2, NullLogger<ReevaluationRunner>.Instance);
        var done = await restarted.DriveAsync(run.Id);
        Assert.True(done!.Run.Finished);
        Assert.Equal(done.Run.Total, done.Run.Processed);
        Assert.True(done.Run.Batches >= 3);
        Assert.Equal(5, first.Value.Consequences.SuspendedGrants.Count + done.Consequences.SuspendedGrants.Count);
        foreach (var grant in grants)
        {
            Assert.Equal(1L, await Tests.Shared.TestDatabase.ScalarAsync(Database.AppConnectionString,
                $"SELECT count(*) FROM audit_events WHERE subject_type = 'grant' AND subject_id = '{grant}' AND changes -> 'status' ->> 'after' = 'Suspended'"));
        }
        // A finished run applies nothing more.
        var again = await BatchAsync(run.Id, 2);
        Assert.True(again.IsOk);
        Assert.Empty(again.Value!.Consequences.SuspendedGrants);
        Assert.Equal(done.Run.Batches, again.Value.Run.Batches);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task ABatchHeldByAnotherInstance_IsRefusedAndChangesNothing()
    {
        var run = await ActivateOnlyAsync(draft);
        // Another instance's batch holds the run's lock for its transaction.
        await using var other = new Npgsql.NpgsqlConnection(Database.AppConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var hold = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_xact_lock({0x43485242}, hashtext('{run.Id}'))", other, transaction))
        {
            await hold.ExecuteNonQueryAsync();
        }
        var refused = await BatchAsync(run.Id, 2);
        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        Assert.All((await StatusesAsync()).Values, s => Assert.Equal(GrantStatus.Active, s));
        await transaction.RollbackAsync();
        Assert.True((await BatchAsync(run.Id, 2)).IsOk);
    }

    [Fact]
    public async Task ALaterActivationSupersedesAnUnfinishedRun_AndItsOwnRunCoversEveryGrant()
    {
        var run = await ActivateOnlyAsync(draft);
        Assert.True((await BatchAsync(run.Id, 2)).IsOk);
        var next = await DraftCoveringIndiaAsync("IN is covered, again");
        var second = await ActivateOnlyAsync(next);

        var runner = Portal.Services.GetRequiredService<ReevaluationRunner>();
        var stopped = (await runner.GetAsync(run.Id))!;
        Assert.True(stopped.Finished);
        Assert.Equal(second.PolicyNumber, stopped.SupersededByVersion);
        Assert.Equal(2, stopped.Processed);
        var done = await runner.DriveAsync(second.Id);
        Assert.True(done!.Run.Finished);
        Assert.Null(done.Run.SupersededByVersion);
        Assert.Equal(done.Run.Total, done.Run.Processed);
        Assert.All((await StatusesAsync()).Values, s => Assert.Equal(GrantStatus.Suspended, s));
    }

    [Fact]
    public async Task ThePreview_WalkedInBatchesOfTwo_FindsWhatOneBatchFinds_AndWhatTheActivationThenSuspends()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var whole = (await scope.ServiceProvider.GetRequiredService<PolicyImpactQuery>().PreviewAsync(Co1, draft))!;
        var small = new PolicyImpactQuery(Portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>(), Clock) { PeoplePerBatch = 2 };
        var walked = (await small.PreviewAsync(Co1, draft))!;
        Assert.Equal(grants.Order(), whole.NewlyViolating.Select(g => g.GrantId).Intersect(grants).Order());
        Assert.Equal(whole.NewlyViolating.Select(g => (g.GrantId, string.Join(",", g.RuleIds))), walked.NewlyViolating.Select(g => (g.GrantId, string.Join(",", g.RuleIds))));
        Assert.Equal(whole.Cured.Select(g => g.GrantId), walked.Cured.Select(g => g.GrantId));
        Assert.Equal(whole.CountsByVendor, walked.CountsByVendor);

        var activated = await SendAsync(Co2, new ActivatePolicyVersion(draft));
        Assert.Equal(whole.NewlyViolating.Select(g => g.GrantId).Order(), activated.Value!.Consequences.SuspendedGrants.Order());
    }

    [Fact]
    public async Task OnlyTheSchedulerOrAnAdministratorAppliesABatch_AndTheScheduleWaitsForAnUnfinishedRun()
    {
        var run = await ActivateOnlyAsync(draft);
        Assert.Equal(OutcomeKind.Forbidden, (await SendOnlyAsync(Co1, new ApplyReevaluationBatch(run.Id))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendOnlyAsync(Auditor, new ApplyReevaluationBatch(run.Id))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendOnlyAsync(AcmeRep, new ApplyReevaluationBatch(run.Id))).Kind);
        Assert.Equal(OutcomeKind.Invalid, (await SendOnlyAsync(Actor.Scheduler, new ApplyReevaluationBatch(run.Id, 0))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendOnlyAsync(Actor.Scheduler, new ApplyReevaluationBatch(Guid.NewGuid()))).Kind);

        var scheduled = await SendOnlyAsync(Actor.Scheduler, new ReevaluateGrants());
        Assert.Equal(OutcomeKind.Conflict, scheduled.Kind);
        Assert.Contains("still running", scheduled.Message, StringComparison.Ordinal);
        Assert.All((await StatusesAsync()).Values, s => Assert.Equal(GrantStatus.Active, s));
    }
}

using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Findings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// The daily state verification (ADR 0031): through the command pipeline as the scheduler, it opens one integrity finding for the
/// administrator naming what the trail does not explain, adds nothing while it is open, and opens a new one after it is closed
/// if the tables still differ; the finding is the administrator's to close, and only auditors and administrators see it.
/// </summary>
public sealed class DailyStateVerificationTests() : CommandPortalTest("dailyverify")
{
    private static readonly Actor Admin = new(Guid.NewGuid(), "Avery Admin", Roles.Administrator, null, null);
    private Guid person;

    protected override async Task ArrangePeopleAsync() => person = await AddPersonAsync("US", name: "Tess Tampered");

    private async Task TamperAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.OwnerConnectionString);
        await connection.OpenAsync();
        foreach (var statement in new[] { "ALTER TABLE people DISABLE TRIGGER USER", sql, "ALTER TABLE people ENABLE TRIGGER USER" })
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task<List<IntegrityFinding>> StateFindingsAsync()
    {
        await using var db = await ContextAsync();
        return await db.IntegrityFindings.AsNoTracking().Where(f => f.Kind == IntegrityFindingKinds.StateVerification)
            .OrderBy(f => f.DetectedAt).ToListAsync();
    }

    [Fact]
    public async Task ACleanRun_OpensNothing_ButIsAudited_AndSpacesTheNextRun()
    {
        var outcome = await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule());
        Assert.True(outcome.IsOk, outcome.Message);
        Assert.True(outcome.Value!.Verification.Clean);
        Assert.Null(outcome.Value.Finding);
        Assert.Empty(await StateFindingsAsync());
        var recorded = await SingleEventAsync(e => e.EventType == AuditEventTypes.StateVerified);
        Assert.Equal(("verify-state-on-schedule", Actor.Scheduler.DisplayName), (recorded.Operation, recorded.ActorName));

        var again = await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule(UnlessRanWithin: TimeSpan.FromHours(23)));
        Assert.Equal(OutcomeKind.Conflict, again.Kind);
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.True((await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule(UnlessRanWithin: TimeSpan.FromHours(23)))).IsOk);
    }

    [Fact]
    public async Task Discrepancies_OpenOneIntegrityFinding_LaterRunsAddNothingWhileItIsOpen_AndANewOneOpensOnceItIsClosed()
    {
        await TamperAsync($"UPDATE people SET work_country = 'CN', work_city = 'Shenzhen' WHERE id = '{person}'");

        var first = await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule());
        Assert.True(first.IsOk, first.Message);
        var opened = first.Value!.Finding!;
        Assert.Equal((IntegrityFindingKinds.StateVerification, IntegrityFindingStatus.Open, true), (opened.Kind, opened.Status, opened.Opened));
        Assert.Equal("The tables hold values the audit trail does not explain", opened.Title);
        Assert.StartsWith("The tables hold 2 values or rows the audit trail does not explain (people: 2)", opened.Message, StringComparison.Ordinal);
        Assert.Contains("Person Tess Tampered (Acme Cloud Services): work country changed outside the portal — the trail says United States (US), " +
                        "the table holds China (CN).", opened.Message, StringComparison.Ordinal);
        Assert.Contains("restore each value through the portal", opened.Message, StringComparison.Ordinal);
        Assert.Equal(("2", "2", first.Value.Verification.Fingerprint), (opened.Facts["unexplained"], opened.Facts["people"], opened.Facts["fingerprint"]));
        // Opened through the gate, audited in the run's transaction with the run's own event (one correlation id).
        var created = await SingleEventAsync(e => e.EventType == 6400 && e.SubjectId == opened.Id.ToString());
        var run = await SingleEventAsync(e => e.EventType == AuditEventTypes.StateVerified);
        Assert.Equal(("verify-state-on-schedule", run.CorrelationId), (created.Operation, created.CorrelationId));

        // The next day, the same discrepancies and one more: nothing added while the finding is open.
        Clock.Advance(TimeSpan.FromDays(1));
        await TamperAsync($"UPDATE people SET clearance = 'TopSecret' WHERE id = '{person}'");
        var second = await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule());
        Assert.True(second.IsOk, second.Message);
        Assert.Equal((opened.Id, false, 3L), (second.Value!.Finding!.Id, second.Value.Finding.Opened, second.Value.Verification.Discrepancies));
        Assert.Single(await StateFindingsAsync());

        // Closed by the administrator with what was found; the values still differ, so the next run opens a new one.
        Assert.True((await SendAsync(Admin, new CloseIntegrityFinding(opened.Id, "The DBA account was used; rotated it. Restoring next."))).IsOk);
        Clock.Advance(TimeSpan.FromDays(1));
        var third = await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule());
        Assert.True(third.Value!.Finding!.Opened);
        Assert.NotEqual(opened.Id, third.Value.Finding.Id);
        Assert.Equal(2, (await StateFindingsAsync()).Count);

        // The integrity findings themselves are explained by the trail (only the person's three values are not), and the chain holds.
        var verified = third.Value.Verification;
        Assert.Equal((3L, 3L), (verified.Discrepancies, verified.Tables.Single(t => t.Table == "people").Discrepancies));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task TheFinding_IsTheAdministratorsToClose_AndOnlyAuditorsAndAdministratorsSeeIt()
    {
        await TamperAsync($"UPDATE people SET work_city = 'Elsewhere' WHERE id = '{person}'");
        var finding = (await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule())).Value!.Finding!;

        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Co1, new CloseIntegrityFinding(finding.Id, "Not mine"))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new CloseIntegrityFinding(finding.Id, "Not mine"))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new CloseIntegrityFinding(finding.Id, "Not mine"))).Kind);
        // It is not a rule's finding: nobody acknowledges or waives it in the findings workspace.
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Co1, new AcknowledgeFinding(finding.Id, "Not a rule's"))).Kind);

        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var query = scope.ServiceProvider.GetRequiredService<IntegrityFindingsQuery>();
            async Task<bool> SeesAsync(Actor actor) => (await query.ListAsync(actor)).Any(f => f.Id == finding.Id);
            Assert.True(await SeesAsync(Admin));
            Assert.True(await SeesAsync(Auditor));
            Assert.False(await SeesAsync(Co1));
            Assert.False(await SeesAsync(AcmeRep));
            Assert.Equal(0, await query.OpenCountAsync(AcmeRep));
            Assert.Equal(1, await query.OpenCountAsync(Admin));
        }

        Assert.True((await SendAsync(Admin, new CloseIntegrityFinding(finding.Id, "Restored the city through the portal; the DBA account is rotated."))).IsOk);
        Assert.Equal(IntegrityFindingStatus.Closed, (await StateFindingsAsync()).Single().Status);
    }

    [Fact]
    public async Task OnlyTheScheduler_AsAnAdministrator_SendsTheDailyRun()
    {
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Co1, new VerifyStateOnSchedule())).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new VerifyStateOnSchedule())).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new VerifyStateOnSchedule())).Kind);
        await using var db = await ContextAsync();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.EventType == AuditEventTypes.StateVerified));
    }
}

using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Findings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// The daily state verification (ADR 0031): through the command pipeline as the scheduler, it opens one finding for the
/// administrator naming what the trail does not explain, never a second for the same discrepancies, and a new one when they
/// change; the finding is the administrator's to work, not a vendor's.
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

    private async Task<List<Finding>> StateFindingsAsync()
    {
        await using var db = await ContextAsync();
        return await db.Findings.AsNoTracking().Where(f => f.RuleId == Finding.StateVerificationRule).OrderBy(f => f.DetectedAt).ToListAsync();
    }

    [Fact]
    public async Task ACleanRun_OpensNothing_ButIsAudited_AndSpacesTheNextRun()
    {
        var outcome = await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule());
        Assert.True(outcome.IsOk, outcome.Message);
        Assert.True(outcome.Value!.Verification.Clean);
        Assert.Null(outcome.Value.Opened);
        Assert.Empty(await StateFindingsAsync());
        var recorded = await SingleEventAsync(e => e.EventType == AuditEventTypes.StateVerified);
        Assert.Equal(("verify-state-on-schedule", Actor.Scheduler.DisplayName), (recorded.Operation, recorded.ActorName));

        var again = await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule(UnlessRanWithin: TimeSpan.FromHours(23)));
        Assert.Equal(OutcomeKind.Conflict, again.Kind);
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.True((await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule(UnlessRanWithin: TimeSpan.FromHours(23)))).IsOk);
    }

    [Fact]
    public async Task Discrepancies_OpenOneFindingForTheAdministrator_NotASecondForTheSameOnes_AndANewOneWhenTheyChange()
    {
        await TamperAsync($"UPDATE people SET work_country = 'CN', work_city = 'Shenzhen' WHERE id = '{person}'");

        var first = await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule());
        Assert.True(first.IsOk, first.Message);
        var opened = first.Value!.Opened!;
        Assert.Equal((Finding.StateVerificationRule, Finding.InstallationSubject, (Guid?)null, (Guid?)null, Core.Rules.Severity.Block, FindingStatus.Open),
            (opened.RuleId, opened.SubjectType, opened.PersonId, opened.VendorId, opened.Severity, opened.Status));
        Assert.StartsWith("The tables hold 2 values or rows the audit trail does not explain (people: 2)", opened.Message, StringComparison.Ordinal);
        Assert.Contains("Person Tess Tampered (Acme Cloud Services): work country changed outside the portal — the trail says United States (US), " +
                        "the table holds China (CN).", opened.Message, StringComparison.Ordinal);
        Assert.Equal(("2", "2", first.Value.Verification.Fingerprint), (opened.Facts["unexplained"], opened.Facts["people"], opened.Facts["fingerprint"]));
        // Opened through the gate, audited in the run's transaction with the run's own event (one correlation id).
        var created = await SingleEventAsync(e => e.EventType == 6000 && e.SubjectId == opened.Id.ToString());
        var run = await SingleEventAsync(e => e.EventType == AuditEventTypes.StateVerified);
        Assert.Equal(("verify-state-on-schedule", run.CorrelationId), (created.Operation, created.CorrelationId));

        // The next day, the same discrepancies: no second finding.
        Clock.Advance(TimeSpan.FromDays(1));
        var second = await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule());
        Assert.True(second.IsOk, second.Message);
        Assert.Null(second.Value!.Opened);
        Assert.Equal(opened.Id, second.Value.AlreadyOpen!.Id);
        Assert.Single(await StateFindingsAsync());

        // Acknowledged, it is still open for those discrepancies; another change behind the portal's back is new: a new finding.
        Assert.True((await SendAsync(Admin, new AcknowledgeFinding(opened.Id, "Investigating with the DBA"))).IsOk);
        Assert.Null((await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule())).Value!.Opened);
        await TamperAsync($"UPDATE people SET clearance = 'TopSecret' WHERE id = '{person}'");
        var third = await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule());
        Assert.NotNull(third.Value!.Opened);
        Assert.Equal(2, (await StateFindingsAsync()).Count);

        // The findings themselves are explained by the trail (only the person's three values are not), and the chain holds.
        var verified = third.Value.Verification;
        Assert.Equal((3L, 3L), (verified.Discrepancies, verified.Tables.Single(t => t.Table == "people").Discrepancies));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task TheFinding_IsTheAdministratorsToWork_AndOnlyReadersOfEveryVendorSeeIt()
    {
        await TamperAsync($"UPDATE people SET work_city = 'Elsewhere' WHERE id = '{person}'");
        var finding = (await SendAsync(Actor.Scheduler, new VerifyStateOnSchedule())).Value!.Opened!;

        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Co1, new AcknowledgeFinding(finding.Id, "Not mine"))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(AcmeRep, new AcknowledgeFinding(finding.Id, "Not mine"))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Co1, new RequestWaiver(finding.Id, "Please", Today.AddDays(10)))).Kind);
        Assert.True((await SendAsync(Admin, new RemediateFinding(finding.Id, "Restored the city through the portal; the DBA account is rotated."))).IsOk);

        // An administrator does not work a vendor's finding.
        var grant = (await SendAsync(Co1, new Core.Features.Grants.RequestGrant(person, Il2, Core.Rules.AccessType.NonPrivileged, false, Today,
            Today.AddDays(30), "Support"))).Value!;
        await SendAsync(Co1, new Core.Features.Personnel.ChangePersonFacts(person, "CN", "Shenzhen"));
        await using (var db = await ContextAsync())
        {
            var vendorFinding = await db.Findings.FirstAsync(f => f.SubjectId == grant.Id);
            Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Admin, new AcknowledgeFinding(vendorFinding.Id, "Not mine"))).Kind);
        }

        // Who sees it: administrators, auditors and officers of every vendor; not a representative, nor an office's officer.
        await using var scope = Portal.Services.CreateAsyncScope();
        var findings = scope.ServiceProvider.GetRequiredService<FindingsWorkspaceQuery>();
        async Task<bool> SeesAsync(Actor actor) => (await findings.ListAsync(actor, new FindingsWorkspaceFilter { RuleId = Finding.StateVerificationRule },
            new PageRequest(1, 10))).Items.Any(r => r.Id == finding.Id);
        Assert.True(await SeesAsync(Admin));
        Assert.True(await SeesAsync(Auditor));
        Assert.True(await SeesAsync(Co1));
        Assert.False(await SeesAsync(AcmeRep));
        Assert.False(await SeesAsync(Co1 with { OfficeId = Guid.NewGuid(), OfficeVendorIds = [DemoSeeder.AcmeId] }));
        var row = (await findings.ListAsync(Admin, new FindingsWorkspaceFilter { RuleId = Finding.StateVerificationRule }, new PageRequest(1, 10))).Items.Single();
        Assert.Equal((FindingsWorkspaceQuery.InstallationName, FindingsWorkspaceQuery.InstallationName, false, (Guid?)null),
            (row.VendorName, row.PersonName, row.Waivable, row.PersonId));
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

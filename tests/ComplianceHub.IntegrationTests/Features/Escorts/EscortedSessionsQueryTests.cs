using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Escorts;

/// <summary>The sessions page's reads: scoped to the vendor, statuses on the clock, filters, and the assignments a session is recorded under.</summary>
public sealed class EscortedSessionsQueryTests() : CommandPortalTest("sessionsq")
{
    private Guid assignment;
    private Guid engineer;

    protected override async Task ArrangePeopleAsync()
    {
        var escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        engineer = await AddPersonAsync("GB", tier: InvestigationTier.T3);
        assignment = (await SendAsync(Co1, new AssignEscort(escort, engineer, Il2, Today.AddDays(-1), Today.AddDays(60)))).Value!.Id; // from yesterday: the sessions recorded hours ago fall in it at any time of day
    }

    private T Query<T>() where T : notnull => Portal.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<T>();

    private async Task<EscortedSessionView> RecordAsync(string ticket, int hoursAgo = 3) =>
        (await SendAsync(AcmeRep, new RecordEscortedSession(assignment, Clock.GetUtcNow().AddHours(-hoursAgo - 2), Clock.GetUtcNow().AddHours(-hoursAgo),
            ticket, "Rotated credentials."))).Value!;

    [Fact]
    public async Task Sessions_AreScopedToTheSupervisedPersonsVendor()
    {
        await RecordAsync("CHG-1");
        var acme = await Query<EscortedSessionsQuery>().ListAsync(AcmeRep, new EscortedSessionFilter(), new PageRequest());
        var row = Assert.Single(acme!.Items);
        Assert.Equal(engineer, row.PersonId);
        Assert.Equal("Test Person", row.EscortName);
        Assert.Equal(SessionStatus.AwaitingSignOff, row.Status);

        Assert.Empty((await Query<EscortedSessionsQuery>().ListAsync(GlobexRep, new EscortedSessionFilter(), new PageRequest()))!.Items);
        Assert.Null(await Query<EscortedSessionsQuery>().ListAsync(GlobexRep, new EscortedSessionFilter(VendorId: DemoSeeder.AcmeId), new PageRequest()));
        Assert.Empty(await Query<EscortedSessionsQuery>().AssignmentsAsync(GlobexRep));
        Assert.Single((await Query<EscortedSessionsQuery>().ListAsync(Auditor, new EscortedSessionFilter(VendorId: DemoSeeder.AcmeId), new PageRequest()))!.Items);
        Assert.Empty((await Query<EscortedSessionsQuery>().ListAsync(Co1, new EscortedSessionFilter(VendorId: DemoSeeder.GlobexId), new PageRequest()))!.Items);
    }

    [Fact]
    public async Task TheAssignmentsInForce_AreOfferedForRecording()
    {
        var offered = Assert.Single(await Query<EscortedSessionsQuery>().AssignmentsAsync(AcmeRep));
        Assert.Equal(assignment, offered.Id);
        Assert.Contains("→ Test Person on", offered.Label);
        Assert.Contains(await Query<EscortedSessionsQuery>().AssignmentsAsync(Co1), a => a.Id == assignment);
        Clock.Advance(TimeSpan.FromDays(61)); // the assignment ended
        Assert.Empty(await Query<EscortedSessionsQuery>().AssignmentsAsync(AcmeRep));
    }

    [Fact]
    public async Task AnAuditor_RecordsAndSignsOffNothing()
    {
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new RecordEscortedSession(assignment, Clock.GetUtcNow().AddHours(-2),
            Clock.GetUtcNow().AddHours(-1), "CHG-9", "x"))).Kind);
        var session = await RecordAsync("CHG-2");
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new SignOffEscortedSession(session.Id))).Kind);
    }

    [Fact]
    public async Task AnUnsignedSession_TurnsOverdue_AfterTheSignOffHours_IsAFindingAfterTheJob_AndCountsInTheBell()
    {
        var late = await RecordAsync("CHG-LATE", hoursAgo: 1);
        var signed = await RecordAsync("CHG-OK", hoursAgo: 2);
        Assert.True((await SendAsync(AcmeRep, new SignOffEscortedSession(signed.Id))).IsOk);

        Clock.Advance(TimeSpan.FromHours(25));
        var overdue = await Query<EscortedSessionsQuery>().ListAsync(AcmeRep, new EscortedSessionFilter(Status: SessionStatus.Overdue), new PageRequest());
        Assert.Equal(late.Id, Assert.Single(overdue!.Items).Id);
        var signedRow = Assert.Single((await Query<EscortedSessionsQuery>().ListAsync(AcmeRep, new EscortedSessionFilter(Status: SessionStatus.SignedOff),
            new PageRequest()))!.Items);
        Assert.Equal("CHG-OK", signedRow.ChangeTicket);
        Assert.Equal(1, await Query<EscortedSessionsQuery>().OverdueCountAsync(AcmeRep, DemoSeeder.AcmeId));
        var bell = await Query<NotificationsQuery>().ForAsync(AcmeRep);
        Assert.Equal(1, bell.Items.Single(i => i.Kind == "sessions-unsigned").Count);
        Assert.DoesNotContain((await Query<NotificationsQuery>().ForAsync(GlobexRep)).Items, i => i.Kind == "sessions-unsigned");

        // The hourly job opens the finding for the session that became overdue without being written.
        var run = await SendAsync(Actor.Scheduler, new ReevaluateGrants());
        await using var db = await ContextAsync();
        var finding = await db.Findings.AsNoTracking().SingleAsync(f => f.RuleId == "ESCORT-SESSION-LOG");
        Assert.Contains(finding.Id, run.Value!.Consequences.FindingsOpened);
        Assert.Equal(late.Id, finding.SubjectId);
        Assert.Equal(FindingStatus.Open, finding.Status);

        // Signed off late: no longer overdue on the page or in the bell; the finding stays for an officer to remediate (ADR 0014).
        Assert.True((await SendAsync(AcmeRep, new SignOffEscortedSession(late.Id))).IsOk);
        Assert.Equal(0, await Query<EscortedSessionsQuery>().OverdueCountAsync(AcmeRep, DemoSeeder.AcmeId));
        Assert.True((await SendAsync(Co1, new Core.Features.Findings.RemediateFinding(finding.Id, "Signed off late; escort briefed."))).IsOk);
    }

    [Fact]
    public async Task Filters_SearchAndDateRange_NarrowInSql()
    {
        await RecordAsync("CHG-200");
        Clock.Advance(TimeSpan.FromHours(30));
        await RecordAsync("CHG-100");
        var query = Query<EscortedSessionsQuery>();
        Assert.Equal("CHG-200", Assert.Single((await query.ListAsync(AcmeRep, new EscortedSessionFilter(Search: "chg-2"), new PageRequest()))!.Items).ChangeTicket);
        Assert.Equal(2, (await query.ListAsync(AcmeRep, new EscortedSessionFilter(Search: "test person"), new PageRequest()))!.Total);
        var newer = DateOnly.FromDateTime(Clock.GetUtcNow().AddHours(-5).UtcDateTime);
        var fromNewer = await query.ListAsync(AcmeRep, new EscortedSessionFilter(From: newer, To: newer), new PageRequest());
        Assert.Equal("CHG-100", Assert.Single(fromNewer!.Items).ChangeTicket);
        var older = DateOnly.FromDateTime(Clock.GetUtcNow().AddHours(-35).UtcDateTime);
        Assert.Equal("CHG-200", Assert.Single((await query.ListAsync(AcmeRep, new EscortedSessionFilter(To: older), new PageRequest()))!.Items).ChangeTicket);
        Assert.Equal(2, (await query.ListAsync(AcmeRep, new EscortedSessionFilter(SystemId: Il2), new PageRequest()))!.Total);
        Assert.Empty((await query.ListAsync(AcmeRep, new EscortedSessionFilter(SystemId: Il5), new PageRequest()))!.Items);
        var page = await query.ListAsync(AcmeRep, new EscortedSessionFilter(), new PageRequest(2, 1));
        Assert.Equal(2, page!.Total);
        Assert.Equal("CHG-200", Assert.Single(page.Items).ChangeTicket); // newest first: page 2 of 1 is the older one
    }
}

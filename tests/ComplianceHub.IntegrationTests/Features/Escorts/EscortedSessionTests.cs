using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.Escorts;

/// <summary>Escorted sessions: recorded by the vendor, signed off by the escort within 24 hours, or a finding.</summary>
public sealed class EscortedSessionTests() : CommandPortalTest("sessions")
{
    private Guid assignment;

    protected override async Task ArrangePeopleAsync()
    {
        var escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        var engineer = await AddPersonAsync("GB", tier: InvestigationTier.T3);
        assignment = (await SendAsync(Co1, new AssignEscort(escort, engineer, Il2, Today.AddDays(-1), Today.AddDays(60)))).Value!.Id; // from yesterday: the sessions recorded hours ago fall in it at any time of day
    }

    private RecordEscortedSession Session(int hoursAgo = 3) =>
        new(assignment, Clock.GetUtcNow().AddHours(-hoursAgo - 2), Clock.GetUtcNow().AddHours(-hoursAgo), "CHG-1042", "Rotated database credentials; verified replication.");

    [Fact]
    public async Task ASessionSignedOffInTime_LeavesNoFinding()
    {
        var session = await SendAsync(AcmeRep, Session());
        Assert.True(session.IsOk, session.Message);
        Assert.True((await SendAsync(AcmeRep, new SignOffEscortedSession(session.Value!.Id))).IsOk);

        Clock.Advance(TimeSpan.FromDays(2));
        await SendAsync(Actor.Scheduler, new ReevaluateGrants());
        await using var db = await ContextAsync();
        Assert.False(await db.Findings.AnyAsync(f => f.RuleId == "ESCORT-SESSION-LOG"));
    }

    [Fact]
    public async Task AnUnsignedSession_BecomesAFinding_OnTheNextScheduledRun()
    {
        var session = (await SendAsync(AcmeRep, Session())).Value!;
        Clock.Advance(TimeSpan.FromHours(22));
        var run = await SendAsync(Actor.Scheduler, new ReevaluateGrants());

        var finding = Assert.Single(run.Value!.Consequences.FindingsOpened);
        await using var db = await ContextAsync();
        var stored = await db.Findings.AsNoTracking().SingleAsync(f => f.Id == finding);
        Assert.Equal("ESCORT-SESSION-LOG", stored.RuleId);
        Assert.Equal(session.Id, stored.SubjectId);
        Assert.Equal(Core.Data.Seeding.DemoSeeder.AcmeId, stored.VendorId);

        Assert.Empty((await SendAsync(Actor.Scheduler, new ReevaluateGrants())).Value!.Consequences.FindingsOpened); // once, not every run
    }

    [Fact]
    public async Task SessionsBelongToTheSupervisedPersonsVendor()
    {
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, Session())).Kind);
        var session = (await SendAsync(AcmeRep, Session())).Value!;
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new SignOffEscortedSession(session.Id))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new SignOffEscortedSession(session.Id))).Kind);
        Assert.True((await SendAsync(Co1, new SignOffEscortedSession(session.Id))).IsOk);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(AcmeRep, new SignOffEscortedSession(session.Id))).Kind);
    }

    [Fact]
    public async Task InvalidSessions_GetPerFieldErrors()
    {
        var backwards = await SendAsync(AcmeRep, Session() with { EndedAt = Clock.GetUtcNow().AddHours(-10) });
        Assert.Contains("EndedAt", backwards.Errors!.Keys);
        var noTicket = await SendAsync(AcmeRep, Session() with { ChangeTicket = "" });
        Assert.Contains("ChangeTicket", noTicket.Errors!.Keys);
        var outside = await SendAsync(AcmeRep, Session(hoursAgo: 24 * 10));
        Assert.Contains("StartedAt", outside.Errors!.Keys);
    }
}

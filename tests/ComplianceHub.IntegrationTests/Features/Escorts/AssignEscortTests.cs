using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Escorts;

/// <summary>Escort assignments are access decisions: the escort rules run in the gate, and a covered foreign national can then work escorted.</summary>
public sealed class AssignEscortTests() : CommandPortalTest("escorts")
{
    private Guid engineer;
    private Guid operatorEscort;
    private Guid britishEngineer;

    protected override async Task ArrangePeopleAsync()
    {
        engineer = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        operatorEscort = await AddPersonAsync("US", qualification: EscortQualification.Operator);
        britishEngineer = await AddPersonAsync("GB", tier: InvestigationTier.T3);
    }

    [Fact]
    public async Task AQualifiedEscort_LetsAForeignNationalWorkEscorted_AfterASecondOfficerApproves()
    {
        var assigned = await SendAsync(Co1, new AssignEscort(engineer, britishEngineer, Il2, Today, Today.AddDays(120)));
        Assert.True(assigned.IsOk, assigned.Message);

        var direct = await SendAsync(Co1, Grant(escorted: false));
        Assert.Equal(OutcomeKind.Refused, direct.Kind);
        Assert.Contains(direct.Violations!, v => v.RuleId == "ESCORT-REQUIRED");

        var escorted = await SendAsync(Co1, Grant(escorted: true));
        Assert.True(escorted.IsOk, escorted.Message);
        Assert.Equal(GrantStatus.PendingApproval, escorted.Value!.Status); // not a US person: two-person rule
        var approved = await SendAsync(Co2, new ApproveGrant(escorted.Value.Id));
        Assert.Equal(GrantStatus.Active, approved.Value!.Status);
    }

    [Fact]
    public async Task AGrantLongerThanTheEscortsPeriod_IsRefused()
    {
        await SendAsync(Co1, new AssignEscort(engineer, britishEngineer, Il2, Today, Today.AddDays(30)));
        var outcome = await SendAsync(Co1, Grant(escorted: true));
        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        Assert.Equal("none", Assert.Single(outcome.Violations!, v => v.RuleId == "ESCORT-REQUIRED").Facts["coveringAssignment"]);
    }

    [Fact]
    public async Task AnEscortWhoIsNotAUsCitizen_IsRefused_WithTheReason()
    {
        var outcome = await SendAsync(Co1, new AssignEscort(britishEngineer, engineer, Il2, Today, Today.AddDays(60)));
        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        var violation = Assert.Single(outcome.Violations!, v => v.RuleId == "ESCORT-QUALIFIED");
        Assert.Equal("GB", violation.Facts["escortCitizenships"]);
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT count(*) FROM escort_assignments WHERE escort_id = '{britishEngineer}'"));
    }

    [Fact]
    public async Task AnOperator_MayNotSuperviseSomeoneWithPrivilegedAccess()
    {
        var admin = await AddPersonAsync("US", tier: InvestigationTier.T3);
        var grant = await SendAsync(Co1, new RequestGrant(admin, Il2, AccessType.Privileged, false, Today, Today.AddDays(60), "Operations"));
        Assert.True(grant.IsOk, grant.Message);

        var outcome = await SendAsync(Co1, new AssignEscort(operatorEscort, admin, Il2, Today, Today.AddDays(60)));
        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        Assert.Equal("Engineer", Assert.Single(outcome.Violations!, v => v.RuleId == "ESCORT-QUALIFIED").Facts["requiredQualification"]);
        Assert.True((await SendAsync(Co1, new AssignEscort(engineer, admin, Il2, Today, Today.AddDays(60)))).IsOk);
    }

    [Fact]
    public async Task AThirdConcurrentPerson_IsRefused_ByTheRatio()
    {
        var first = await AddPersonAsync("IN", tier: InvestigationTier.T3);
        var second = await AddPersonAsync("DE", tier: InvestigationTier.T3);
        var third = await AddPersonAsync("FR", tier: InvestigationTier.T3);
        Assert.True((await SendAsync(Co1, new AssignEscort(engineer, first, Il2, Today, Today.AddDays(30)))).IsOk);
        Assert.True((await SendAsync(Co1, new AssignEscort(engineer, second, Il2, Today.AddDays(10), Today.AddDays(40)))).IsOk);
        var outcome = await SendAsync(Co1, new AssignEscort(engineer, third, Il2, Today.AddDays(20), Today.AddDays(50)));
        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        Assert.Equal("3", Assert.Single(outcome.Violations!, v => v.RuleId == "ESCORT-RATIO").Facts["concurrentlySupervised"]);

        // After the first two assignments end, the same escort is free again.
        Assert.True((await SendAsync(Co1, new AssignEscort(engineer, third, Il2, Today.AddDays(41), Today.AddDays(60)))).IsOk);
    }

    [Fact]
    public async Task WhenTheEscortMovesAbroad_TheSupervisedGrantIsSuspended_AndTheEscortsOwnChangeIsTheCause()
    {
        Assert.True((await SendAsync(Co1, new AssignEscort(engineer, britishEngineer, Il2, Today, Today.AddDays(120)))).IsOk);
        var grant = (await SendAsync(Co1, Grant(escorted: true))).Value!;
        Assert.True((await SendAsync(Co2, new ApproveGrant(grant.Id))).IsOk);

        var moved = await SendAsync(Co1, new ChangePersonFacts(engineer, "IN", "Bengaluru"));

        Assert.True(moved.IsOk, moved.Message);
        Assert.Contains(grant.Id, moved.Value!.Consequences.SuspendedGrants);
        await using var db = await ContextAsync();
        var stored = await db.Grants.AsNoTracking().SingleAsync(g => g.Id == grant.Id);
        Assert.Equal(GrantStatus.Suspended, stored.Status);
        var finding = await db.Findings.AsNoTracking().SingleAsync(f => f.SubjectId == grant.Id && f.RuleId == "ESCORT-REQUIRED");
        Assert.Contains("outside the US and its outlying areas", finding.Message, StringComparison.Ordinal);

        // Back in the US: the finding closes; the suspension stays until an officer reactivates (an access decision).
        var back = await SendAsync(Co1, new ChangePersonFacts(engineer, "US", "Reston"));
        Assert.Contains(finding.Id, back.Value!.Consequences.FindingsClosed);
        Assert.True((await SendAsync(Co1, new DecideGrant(grant.Id, GrantDecision.Reactivate, "Escort back in Reston"))).IsOk);
    }

    [Fact]
    public async Task OnlyOfficers_AssignEscorts()
    {
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new AssignEscort(engineer, britishEngineer, Il2, Today, Today.AddDays(5)))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new AssignEscort(engineer, britishEngineer, Il2, Today, Today.AddDays(5)))).Kind);
    }

    [Fact]
    public async Task SelfEscort_IsInvalidInput()
    {
        var outcome = await SendAsync(Co1, new AssignEscort(engineer, engineer, Il2, Today, Today.AddDays(5)));
        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Contains("PersonId", outcome.Errors!.Keys);
    }

    private RequestGrant Grant(bool escorted) =>
        new(britishEngineer, Il2, AccessType.NonPrivileged, escorted, Today, Today.AddDays(90), "Database tuning under supervision");
}

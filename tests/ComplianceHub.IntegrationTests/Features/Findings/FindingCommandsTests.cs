using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.Findings;

/// <summary>Working findings: acknowledge (an answer, not a fix) and remediate (checked against the rules), scoped to the vendor.</summary>
public sealed class FindingCommandsTests() : CommandPortalTest("findings")
{
    private Guid person;
    private Guid grant;
    private Guid assignment;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US");
        grant = (await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"))).Value!.Id;
        var escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        var engineer = await AddPersonAsync("GB", tier: InvestigationTier.T3);
        assignment = (await SendAsync(Co1, new AssignEscort(escort, engineer, Il2, Today.AddDays(-1), Today.AddDays(60)))).Value!.Id; // from yesterday: the sessions recorded hours ago fall in it at any time of day
    }

    private async Task<Finding> CoveredFindingAsync()
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(Co1, new ChangePersonFacts(person, "CN", "Shenzhen")); // LOC-COVERED: suspended, finding opened
        await using var db = await ContextAsync();
        return await db.Findings.AsNoTracking().SingleAsync(f => f.SubjectId == grant && f.RuleId == "LOC-COVERED");
    }

    private async Task<Finding> StoredAsync(Guid id)
    {
        await using var db = await ContextAsync();
        return await db.Findings.AsNoTracking().SingleAsync(f => f.Id == id);
    }

    [Fact]
    public async Task TheVendorAcknowledges_ItsOwnFinding_WithAnAnswer_AndTheFindingStaysOpen()
    {
        var finding = await CoveredFindingAsync();

        var acknowledged = await SendAsync(AcmeRep, new AcknowledgeFinding(finding.Id, "The engineer is relocating back to Reston on 1 December."));

        Assert.True(acknowledged.IsOk, acknowledged.Message);
        var stored = await StoredAsync(finding.Id);
        Assert.Equal(FindingStatus.Acknowledged, stored.Status);
        Assert.Equal(AcmeRep.UserId, stored.AcknowledgedBy);
        Assert.StartsWith("The engineer is relocating", stored.Response, StringComparison.Ordinal);
        var audited = await SingleEventAsync(e => e.SubjectId == finding.Id.ToString() && e.Operation == "acknowledge-finding");
        Assert.Equal(6001, audited.EventType);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(Co1, new AcknowledgeFinding(finding.Id, "Again"))).Kind);

        // Acknowledged is still open: the gate closes it when the condition clears.
        var back = await SendAsync(AcmeRep, new ChangePersonFacts(person, "US", "Reston"));
        Assert.Contains(finding.Id, back.Value!.Consequences.FindingsClosed);
        Assert.Equal(FindingStatus.Closed, (await StoredAsync(finding.Id)).Status);
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_GetsNotFound_AndAnAuditorCannotWrite()
    {
        var finding = await CoveredFindingAsync();

        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new AcknowledgeFinding(finding.Id, "Not ours"))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new RemediateFinding(finding.Id, "Not ours"))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new AcknowledgeFinding(finding.Id, "Read-only"))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new RemediateFinding(finding.Id, "Read-only"))).Kind);
        Assert.Equal(FindingStatus.Open, (await StoredAsync(finding.Id)).Status);
    }

    [Fact]
    public async Task RemediatingWhileTheRuleStillFails_IsRefused_WithTheRulesFacts()
    {
        var finding = await CoveredFindingAsync();

        var outcome = await SendAsync(AcmeRep, new RemediateFinding(finding.Id, "Fixed."));

        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        var violation = Assert.Single(outcome.Violations!);
        Assert.Equal("LOC-COVERED", violation.RuleId);
        Assert.Equal("CN", violation.Facts["workCountry"]);
        Assert.Equal(FindingStatus.Open, (await StoredAsync(finding.Id)).Status);
    }

    [Fact]
    public async Task RevokingTheGrant_ClosesItsFindings()
    {
        var finding = await CoveredFindingAsync();

        var revoked = await SendAsync(Co1, new DecideGrant(grant, GrantDecision.Revoke, "Relocated to a covered nation"));

        Assert.True(revoked.IsOk, revoked.Message);
        var stored = await StoredAsync(finding.Id);
        Assert.Equal(FindingStatus.Closed, stored.Status);
        Assert.Equal("The grant was revoked.", stored.Resolution);
    }

    [Fact]
    public async Task AMissingSignOff_IsRemediated_OnceTheSessionIsSignedOff()
    {
        var session = (await SendAsync(AcmeRep, new RecordEscortedSession(assignment, Clock.GetUtcNow().AddHours(-3), Clock.GetUtcNow().AddHours(-1),
            "CHG-7", "Patched the bastion host."))).Value!;
        Clock.Advance(TimeSpan.FromDays(2));
        var findingId = Assert.Single((await SendAsync(Actor.Scheduler, new ReevaluateGrants())).Value!.Consequences.FindingsOpened);

        var early = await SendAsync(AcmeRep, new RemediateFinding(findingId, "Escort briefed on the 24-hour rule."));
        Assert.Equal(OutcomeKind.Refused, early.Kind);
        Assert.Equal("ESCORT-SESSION-LOG", Assert.Single(early.Violations!).RuleId);

        Assert.True((await SendAsync(AcmeRep, new SignOffEscortedSession(session.Id))).IsOk);
        var remediated = await SendAsync(AcmeRep, new RemediateFinding(findingId, "Signed off late; escort briefed on the 24-hour rule."));

        Assert.True(remediated.IsOk, remediated.Message);
        var stored = await StoredAsync(findingId);
        Assert.Equal(FindingStatus.Remediated, stored.Status);
        Assert.Equal(AcmeRep.UserId, stored.ResolvedBy);
        Assert.NotNull(stored.ClosedAt);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task AnEmptyAnswer_IsInvalid_PerField()
    {
        var finding = await CoveredFindingAsync();
        var outcome = await SendAsync(AcmeRep, new AcknowledgeFinding(finding.Id, " "));
        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Contains(nameof(AcknowledgeFinding.Response), outcome.Errors!.Keys);
    }
}

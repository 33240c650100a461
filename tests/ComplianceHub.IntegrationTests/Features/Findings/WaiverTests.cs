using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.Findings;

/// <summary>Waivers: time-bound, two-person, never for statutory rules.</summary>
public sealed class WaiverTests() : CommandPortalTest("waivers")
{
    private Guid person;
    private Guid grant;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US");
        grant = (await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"))).Value!.Id;
    }

    private async Task<Finding> FindingAsync(string ruleId)
    {
        await using var db = await ContextAsync();
        return await db.Findings.AsNoTracking().SingleAsync(f => f.SubjectId == grant && f.RuleId == ruleId);
    }

    [Fact]
    public async Task AnApprovedWaiver_LetsTheOfficerReactivate_UntilItExpires()
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(Co1, new ChangePersonFacts(person, Citizenships: ["US", "CN"])); // CIT-COVERED: suspended, finding opened
        var finding = await FindingAsync("CIT-COVERED");

        var requested = await SendAsync(Co1, new RequestWaiver(finding.Id, "Renounced Chinese citizenship; paperwork pending with the consulate.", Today.AddDays(30)));
        Assert.True(requested.IsOk, requested.Message);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Co1, new ApproveWaiver(requested.Value!.Id))).Kind);

        var approved = await SendAsync(Co2, new ApproveWaiver(requested.Value.Id));
        Assert.Equal(WaiverStatus.Active, approved.Value!.Status);
        Assert.Equal(FindingStatus.Waived, (await FindingAsync("CIT-COVERED")).Status);

        var reactivated = await SendAsync(Co2, new DecideGrant(grant, GrantDecision.Reactivate, "Covered by the waiver"));
        Assert.Equal(GrantStatus.Active, reactivated.Value!.Status);

        // After the waiver expires, the next evaluation of the grant suspends it again and reopens a finding.
        Clock.Advance(TimeSpan.FromDays(31));
        var moved = await SendAsync(Co1, new ChangePersonFacts(person, "US", "Arlington"));
        Assert.Equal([grant], moved.Value!.Consequences.SuspendedGrants);
        await using var db = await ContextAsync();
        Assert.Equal(1, await db.Findings.CountAsync(f => f.SubjectId == grant && f.RuleId == "CIT-COVERED" && f.Status == FindingStatus.Open));
    }

    [Fact]
    public async Task StatutoryRules_CannotBeWaived()
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(Co1, new ChangePersonFacts(person, "CN", "Beijing"));
        var outcome = await SendAsync(Co1, new RequestWaiver((await FindingAsync("LOC-COVERED")).Id, "Business need", Today.AddDays(10)));
        Assert.Equal(OutcomeKind.Forbidden, outcome.Kind);
        Assert.Contains("statute", outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    public async Task AWaiver_ExpiresAfterTodayAndWithinAYear(int days)
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(Co1, new ChangePersonFacts(person, Citizenships: ["US", "RU"]));
        var outcome = await SendAsync(Co1, new RequestWaiver((await FindingAsync("CIT-COVERED")).Id, "Need", Today.AddDays(days)));
        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Contains("ExpiresOn", outcome.Errors!.Keys);
    }

    [Fact]
    public async Task OnlyOfficers_RequestOrApproveWaivers()
    {
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new RequestWaiver(Guid.NewGuid(), "x", Today.AddDays(5)))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new ApproveWaiver(Guid.NewGuid()))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Co1, new RequestWaiver(Guid.NewGuid(), "x", Today.AddDays(5)))).Kind);
    }
}

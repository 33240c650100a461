using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Features.Grants;

/// <summary>
/// The live rule preview of the officer's dialogs: a grant request or escort assignment sent with DryRun runs the real
/// pipeline and answers exactly what applying would, while writing nothing — no row, no audit event, no finding.
/// </summary>
public sealed class DryRunTests() : CommandPortalTest("dryrun")
{
    private Guid usEngineer;
    private Guid unvettedUsEngineer;
    private Guid dualNational;
    private Guid britishEngineer;
    private Guid engineerEscort;
    private Guid britishEscort;

    protected override async Task ArrangePeopleAsync()
    {
        usEngineer = await AddPersonAsync("US");
        unvettedUsEngineer = await AddPersonAsync("US", tier: InvestigationTier.None);
        dualNational = await AddPersonAsync("US,CN", birth: "CN");
        britishEngineer = await AddPersonAsync("GB", tier: InvestigationTier.T3);
        engineerEscort = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        britishEscort = await AddPersonAsync("GB", qualification: EscortQualification.Engineer);
    }

    private RequestGrant Request(Guid person, Guid system, bool dryRun, bool escorted = false) =>
        new(person, system, AccessType.NonPrivileged, escorted, Today, Today.AddDays(90), "Operations support", dryRun);

    /// <summary>Every table a grant request or escort assignment could write to, counted.</summary>
    private async Task<string> WrittenAsync()
    {
        var counts = new List<string>();
        foreach (var table in new[] { "access_grants", "escort_assignments", "audit_events", "findings", "person_fact_changes", "evaluation_receipts" })
        {
            counts.Add($"{table}={await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT count(*) FROM {table}")}");
        }
        return string.Join(", ", counts);
    }

    [Fact]
    public async Task ADryRunThatTheRulesRefuse_AnswersWithTheRulesAndFacts_AndWritesNothing_NotEvenTheRefusal()
    {
        var before = await WrittenAsync();

        var preview = await SendAsync(Co1, Request(dualNational, Il2, dryRun: true));

        Assert.Equal(OutcomeKind.Refused, preview.Kind);
        var violation = Assert.Single(preview.Violations!, v => v.RuleId == "CIT-COVERED");
        Assert.Equal("CN, US", violation.Facts["citizenships"]);
        Assert.Equal(before, await WrittenAsync());
        Assert.True((await VerifyChainAsync()).Valid);

        // Applying gives the same answer, and that refusal is audited.
        var applied = await SendAsync(Co1, Request(dualNational, Il2, dryRun: false));
        Assert.Equal(preview.Violations!.Select(v => v.RuleId), applied.Violations!.Select(v => v.RuleId));
        Assert.NotEqual(before, await WrittenAsync());
    }

    [Fact]
    public async Task ADryRunThatNeedsASecondOfficer_AnswersPendingApproval_AndWritesNothing_ThenApplyingCreatesThePendingGrant()
    {
        var before = await WrittenAsync();

        var preview = await SendAsync(Co1, Request(usEngineer, Il5, dryRun: true));

        Assert.True(preview.IsOk, preview.Message);
        Assert.Equal(GrantStatus.PendingApproval, preview.Value!.Status);
        Assert.Equal(before, await WrittenAsync());
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT count(*) FROM access_grants WHERE person_id = '{usEngineer}'"));
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT count(*) FROM audit_events WHERE subject_id = '{preview.Value.Id}'"));
        Assert.True((await VerifyChainAsync()).Valid);

        var applied = await SendAsync(Co1, Request(usEngineer, Il5, dryRun: false));
        Assert.Equal(GrantStatus.PendingApproval, applied.Value!.Status);
        Assert.Equal(1L, await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT count(*) FROM access_grants WHERE person_id = '{usEngineer}'"));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task ADryRunForAUsPersonOnIl2_AnswersActiveAtOnce_WithTheWarningsTheGateReports_AndOpensNoFinding()
    {
        var before = await WrittenAsync();

        var preview = await SendAsync(Co1, Request(unvettedUsEngineer, Il2, dryRun: true));

        Assert.True(preview.IsOk, preview.Message);
        Assert.Equal(GrantStatus.Active, preview.Value!.Status);
        var warning = Assert.Single(preview.Warnings, w => w.RuleId == "IL2-INVESTIGATION");
        Assert.Equal(Severity.Warn, warning.Severity);
        Assert.Equal(before, await WrittenAsync());

        // Applying reports the same warning, and the gate opens its finding.
        var applied = await SendAsync(Co1, Request(unvettedUsEngineer, Il2, dryRun: false));
        Assert.Equal(preview.Warnings.Select(w => w.RuleId), applied.Warnings.Select(w => w.RuleId));
        Assert.Equal(1L, await TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT count(*) FROM findings WHERE subject_id = '{applied.Value!.Id}' AND rule_id = 'IL2-INVESTIGATION'"));
    }

    [Fact]
    public async Task AnEscortAssignmentDryRun_AnswersRefusedOrOk_AsApplyingWould_AndWritesNothing()
    {
        var before = await WrittenAsync();

        var refused = await SendAsync(Co1, new AssignEscort(britishEscort, britishEngineer, Il2, Today, Today.AddDays(90), DryRun: true));
        Assert.Equal(OutcomeKind.Refused, refused.Kind);
        Assert.Contains(refused.Violations!, v => v.RuleId == "ESCORT-QUALIFIED");

        var ok = await SendAsync(Co1, new AssignEscort(engineerEscort, britishEngineer, Il2, Today, Today.AddDays(90), DryRun: true));
        Assert.True(ok.IsOk, ok.Message);
        Assert.Equal(engineerEscort, ok.Value!.EscortId);
        Assert.Equal(before, await WrittenAsync());
        Assert.True((await VerifyChainAsync()).Valid);

        // The escorted grant the preview was for still needs the real assignment.
        Assert.Equal(OutcomeKind.Refused, (await SendAsync(Co1, Request(britishEngineer, Il2, dryRun: true, escorted: true))).Kind);
        Assert.True((await SendAsync(Co1, new AssignEscort(engineerEscort, britishEngineer, Il2, Today, Today.AddDays(90)))).IsOk);
        var pending = await SendAsync(Co1, Request(britishEngineer, Il2, dryRun: true, escorted: true));
        Assert.Equal(GrantStatus.PendingApproval, pending.Value!.Status); // not a US person: two-person rule
    }

    [Fact]
    public async Task ADryRunWithInvalidInput_AnswersPerField_AndAnAuditorMayNotEvenAsk()
    {
        var invalid = await SendAsync(Co1, new RequestGrant(usEngineer, Il2, AccessType.Data, false, Today, Today.AddDays(-1), "x", DryRun: true));
        Assert.Equal(OutcomeKind.Invalid, invalid.Kind);
        Assert.Contains("EndsOn", invalid.Errors!.Keys);

        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, Request(usEngineer, Il2, dryRun: true))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new AssignEscort(engineerEscort, britishEngineer, Il2, Today, Today.AddDays(9), true))).Kind);
    }
}

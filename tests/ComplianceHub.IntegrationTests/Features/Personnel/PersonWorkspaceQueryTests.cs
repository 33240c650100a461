using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Attestations;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Personnel;

/// <summary>The person page's read model: names not ids, the fact history as old → new, per-grant failing rules, escorts both ways.</summary>
public sealed class PersonWorkspaceQueryTests() : CommandPortalTest("workspace")
{
    private Guid mover;
    private Guid moverGrant;
    private Guid escort;
    private Guid britishEngineer;
    private Guid escortedGrant;

    protected override async Task ArrangePeopleAsync()
    {
        mover = await AddPersonAsync("US");
        moverGrant = (await SendAsync(Co1, new RequestGrant(mover, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"))).Value!.Id;
        escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        await AddPersonAsync("US"); // no escort qualification
        britishEngineer = await AddPersonAsync("GB", tier: InvestigationTier.T3);
        Assert.True((await SendAsync(Co1, new AssignEscort(escort, britishEngineer, Il2, Today, Today.AddDays(120)))).IsOk);
        escortedGrant = (await SendAsync(Co1, new RequestGrant(britishEngineer, Il2, AccessType.NonPrivileged, true, Today, Today.AddDays(90), "Escorted"))).Value!.Id;
    }

    /// <summary>The query as the app builds it (its dependencies are singletons: the context factory and the clock).</summary>
    private Task<PersonWorkspaceQuery> QueryAsync() => Task.FromResult(ActivatorUtilities.CreateInstance<PersonWorkspaceQuery>(Portal.Services));

    private async Task MoveToShenzhenAsync()
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        var moved = await SendAsync(Co1, new ChangePersonFacts(mover, "CN", "Shenzhen"));
        Assert.Contains(moverGrant, moved.Value!.Consequences.SuspendedGrants);
    }

    [Fact]
    public async Task ThePage_ShowsNamesNotIds_AndTheFactHistory_AsOldToNew_WithSourceAndActor()
    {
        await MoveToShenzhenAsync();

        var page = await (await QueryAsync()).GetAsync(Co2, mover);

        Assert.NotNull(page);
        Assert.Equal("Acme Cloud Services", page.Person.VendorName);
        Assert.Equal("China (CN)", page.Person.WorkCountry.ToString());
        Assert.Equal("Shenzhen", page.Person.WorkCity);
        Assert.Equal(["United States (US)"], page.Person.Citizenships.Select(c => c.ToString()));
        var move = Assert.Single(page.History, h => h.Attribute == "workCountry" && h.Before is not null);
        Assert.Equal("Work country", move.Field);
        Assert.Equal("United States (US)", move.Before);
        Assert.Equal("China (CN)", move.After);
        Assert.Equal(FactSource.OfficerVerified, move.Source);
        Assert.Equal("Casey Officer", move.RecordedBy);
        Assert.Equal(Today, move.EffectiveOn);
        // The first record of a fact replaced nothing; the newest change comes first.
        Assert.Null(Assert.Single(page.History, h => h.Attribute == "workCountry" && h.Before is null).Before);
        Assert.Equal(move, page.History.First(h => h.Attribute == "workCountry"));
    }

    [Fact]
    public async Task EachGrant_CarriesTheRulesFailingToday_UnderTheActivePolicy_WithTheSystemAndWhoRequestedIt()
    {
        var query = await QueryAsync();
        var before = await query.GetAsync(Co1, mover);
        Assert.Empty(Assert.Single(before!.Grants).FailingRules!);

        await MoveToShenzhenAsync();
        var page = await query.GetAsync(Co1, mover);

        var grant = Assert.Single(page!.Grants);
        Assert.Equal(moverGrant, grant.Id);
        Assert.Equal("milCloud Public Portal", grant.SystemName);
        Assert.Equal(ImpactLevel.IL2, grant.ImpactLevel);
        Assert.Equal(GrantStatus.Suspended, grant.Status);
        Assert.Equal("Casey Officer", grant.RequestedBy);
        var rule = Assert.Single(grant.FailingRules!, r => r.RuleId == "LOC-COVERED");
        Assert.Equal("CN", rule.Facts["workCountry"]);
        Assert.Equal(page.PolicyVersion, rule.PolicyVersion);

        var finding = Assert.Single(page.Findings, f => f.Rule.RuleId == "LOC-COVERED");
        Assert.Equal(FindingStatus.Open, finding.Status);
        Assert.Equal("grant on milCloud Public Portal", finding.Subject);
        Assert.False(finding.Overdue);

        Clock.Advance(TimeSpan.FromDays((finding.DueOn.DayNumber - Today.DayNumber) + 1));
        Assert.True(Assert.Single((await query.GetAsync(Co1, mover))!.Findings, f => f.Id == finding.Id).Overdue);

        // A revoked grant is no longer evaluated.
        Assert.True((await SendAsync(Co1, new DecideGrant(moverGrant, GrantDecision.Revoke, "Moved to a covered nation"))).IsOk);
        Assert.Null(Assert.Single((await query.GetAsync(Co1, mover))!.Grants).FailingRules);
    }

    [Fact]
    public async Task EscortRelations_ShowBothSides_WithNamesAndSystem()
    {
        var query = await QueryAsync();

        var supervised = await query.GetAsync(Co1, britishEngineer);
        var asSupervised = Assert.Single(supervised!.AsSupervised);
        Assert.Equal(escort, asSupervised.OtherPersonId);
        Assert.Equal("Test Person", asSupervised.OtherPersonName);
        Assert.Equal("milCloud Public Portal", asSupervised.SystemName);
        Assert.True(asSupervised.InForce);
        Assert.Empty(supervised.AsEscort);
        var escorted = Assert.Single(supervised.Grants);
        Assert.Equal(escortedGrant, escorted.Id);
        Assert.True(escorted.Escorted);
        Assert.Equal(GrantStatus.PendingApproval, escorted.Status);

        var escorting = await query.GetAsync(Co1, escort);
        Assert.Equal(britishEngineer, Assert.Single(escorting!.AsEscort).OtherPersonId);
        Assert.Empty(escorting.AsSupervised);

        // The escort picker's candidates: Features/Escorts/EscortCandidatesQueryTests.
    }

    [Fact]
    public async Task Attestations_AndTheAuditTimeline_CoverThePersonAndTheirGrants()
    {
        Assert.True((await SendAsync(AcmeRep, new SubmitAttestation(Core.Data.Seeding.DemoSeeder.AcmeId, "I attest the location and citizenships.",
            [new AttestedPerson(mover, "US", "Reston", ["US"])]))).IsOk);
        await MoveToShenzhenAsync();
        var query = await QueryAsync();

        var page = await query.GetAsync(Auditor, mover);
        var attestation = Assert.Single(page!.Attestations);
        Assert.Equal("Riley Acme", attestation.SubmittedBy);
        Assert.Equal("United States (US)", attestation.WorkCountry.ToString());
        Assert.Equal(Today, page.Person.LocationAttestedOn);

        var audit = await query.AuditAsync(Auditor, mover, new PageRequest(1, 50));
        Assert.NotNull(audit);
        Assert.Contains(audit.Items, e => e.SubjectType == "person" && e.Summary.Contains("Work location: United States (US) → China (CN)", StringComparison.Ordinal));
        // No record ids and no raw timestamps in the one-line summaries: the subject is named beside them.
        Assert.All(audit.Items, e => Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-|T[0-9]{2}:[0-9]{2}:[0-9]{2}", e.Summary));
        Assert.Contains(audit.Items, e => e.Operation == "request-grant" && e.Summary.Contains("Access type: Non-privileged", StringComparison.Ordinal)
            && e.Summary.Contains(" UTC", StringComparison.Ordinal));
        var suspension = Assert.Single(audit.Items, e => e.SubjectId == moverGrant.ToString() && e.Summary.Contains("Suspended", StringComparison.Ordinal));
        Assert.Equal("grant on milCloud Public Portal", suspension.Subject);
        Assert.Contains("LOC-COVERED", suspension.RuleIds);
        Assert.Equal(audit.Items.Select(e => e.Sequence).OrderDescending(), audit.Items.Select(e => e.Sequence)); // newest first
        Assert.DoesNotContain(audit.Items, e => e.SubjectId == escortedGrant.ToString()); // someone else's grant
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_GetsNothing_AndAnAuditorReadsButCannotRequestAGrant()
    {
        var query = await QueryAsync();

        Assert.Null(await query.GetAsync(GlobexRep, mover));
        Assert.Null(await query.AuditAsync(GlobexRep, mover, new PageRequest()));
        Assert.Null(await query.GetAsync(Co1, Guid.NewGuid()));
        Assert.NotNull(await query.GetAsync(AcmeRep, mover)); // the rep's own vendor (the API scope; the page itself is for officers)
        Assert.Null(await query.AuditAsync(AcmeRep, mover, new PageRequest())); // the audit trail is not for representatives

        Assert.NotNull(await query.GetAsync(Auditor, mover));
        var refused = await SendAsync(Auditor, new RequestGrant(mover, Il5, AccessType.Data, false, Today, Today.AddDays(30), "Read-only role"));
        Assert.Equal(OutcomeKind.Forbidden, refused.Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new DecideGrant(moverGrant, GrantDecision.Suspend, "Read-only role"))).Kind);
    }
}

using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Rules.Catalogue;

namespace ComplianceHub.Core.Tests.Rules;

/// <summary>The rules on access-log evidence (issue 25): pure, over the evidence a grant subject carries.</summary>
public sealed class EvidenceRulesTests
{
    private static readonly PolicyParameters Enabled = PolicyDefaults.Baseline2026 with
    {
        Rules = PolicyDefaults.Baseline2026.Rules
            .Where(r => r.Key is not (LocEvidenceCovered.RuleId or LocEvidenceMismatch.RuleId))
            .Append(new(LocEvidenceCovered.RuleId, new RuleSetting(true, Severity.Block)))
            .Append(new(LocEvidenceMismatch.RuleId, new RuleSetting(true, Severity.Warn)))
            .ToDictionary(r => r.Key, r => r.Value),
        Evidence = EvidenceSettings.Recommended,
    };

    private static EvidenceLine LineOn(DateOnly day, string country) =>
        new(new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 14)), TimeSpan.Zero), "203.0.113.9", country, "Test system", 12, "signins.csv", "test-db 1, built 1 Jun 2026");

    private static CountryEvidence From(string country, int daysAgo, int count = 1) =>
        new(country, [new DailyCount(Given.Today.AddDays(-daysAgo), count)], LineOn(Given.Today.AddDays(-daysAgo), country));

    private static GrantSubject With(PersonFacts? person = null, SystemFacts? system = null, GrantFacts? grant = null, params CountryEvidence[] countries) =>
        Given.Subject(person, system, grant) with { Evidence = new AccessEvidence(countries, []) };

    [Fact]
    public void TheEvidenceRules_AreOff_UnderAPolicyThatDoesNotNameThem()
    {
        var subject = With(countries: From("CN", 3));
        Assert.Empty(Given.Outcomes(LocEvidenceCovered.RuleId, subject));
        Assert.Empty(Given.Outcomes(LocEvidenceMismatch.RuleId, subject));
        // A stored version from before the rules existed: its rule list does not name them.
        var older = PolicyDefaults.Baseline2026 with { Rules = PolicyDefaults.Baseline2026.Rules.Where(r => !r.Key.StartsWith("LOC-EVIDENCE", StringComparison.Ordinal)).ToDictionary() };
        Assert.Empty(Given.Outcomes(LocEvidenceCovered.RuleId, subject, older));
        Assert.False(PolicyDefaults.Baseline2026.Rules[LocEvidenceCovered.RuleId].Enabled);
    }

    [Fact]
    public void Covered_Blocks_OneSignInFromChina_ForAPersonAttestedInTheUs_NamingTheLine()
    {
        var outcome = Assert.Single(Given.Outcomes(LocEvidenceCovered.RuleId, With(countries: From("CN", 3)), Enabled));
        Assert.Equal(Severity.Block, outcome.Severity);
        Assert.Equal("CN", outcome.Facts["evidenceCountries"]);
        Assert.Equal("1", outcome.Facts["signIns"]);
        Assert.Contains("203.0.113.9", outcome.Facts["latestSignIn"]);
        Assert.Contains("line 12 of signins.csv", outcome.Facts["latestSignIn"]);
        Assert.Contains("test-db 1", outcome.Facts["latestSignIn"]);
        Assert.Contains("China (CN)", outcome.Message);
        Assert.False(new LocEvidenceCovered().Waivable);
    }

    [Theory]
    [InlineData(89, true)]
    [InlineData(90, true)]
    [InlineData(91, false)]
    public void Covered_CountsOnlyTheWindow(int daysAgo, bool fails) =>
        Assert.Equal(fails, Given.Outcomes(LocEvidenceCovered.RuleId, With(countries: From("RU", daysAgo)), Enabled).Count == 1);

    [Fact]
    public void Covered_ThresholdIsAPolicyParameter()
    {
        var three = Enabled with { Evidence = EvidenceSettings.Recommended with { CoveredMinSignIns = 3 } };
        Assert.Empty(Given.Outcomes(LocEvidenceCovered.RuleId, With(countries: From("IR", 2, count: 2)), three));
        Assert.Single(Given.Outcomes(LocEvidenceCovered.RuleId, With(countries: [From("IR", 2, count: 2), From("KP", 5)]), three));
    }

    [Fact]
    public void Mismatch_Warns_ASignInFromAnotherCountry_NotFromAUsArea()
    {
        var outcome = Assert.Single(Given.Outcomes(LocEvidenceMismatch.RuleId, With(Given.Person(work: "DE"), Given.System(ImpactLevel.IL2), countries: From("FR", 1)), Enabled));
        Assert.Equal(Severity.Warn, outcome.Severity);
        Assert.Equal("FR", outcome.Facts["evidenceCountries"]);
        Assert.Empty(Given.Outcomes(LocEvidenceMismatch.RuleId, With(Given.Person(work: "US"), countries: From("PR", 1)), Enabled));
        Assert.Empty(Given.Outcomes(LocEvidenceMismatch.RuleId, With(Given.Person(work: "DE"), Given.System(ImpactLevel.IL2), countries: From("DE", 1)), Enabled));
    }

    [Fact]
    public void Mismatch_Warns_AccessFromOutsideTheUsAreas_OnIl4AndAbove_EvenFromTheAttestedCountry()
    {
        Assert.Single(Given.Outcomes(LocEvidenceMismatch.RuleId, With(Given.Person(work: "CA"), Given.System(ImpactLevel.IL5), countries: From("CA", 1)), Enabled));
        Assert.Empty(Given.Outcomes(LocEvidenceMismatch.RuleId, With(Given.Person(work: "CA"), Given.System(ImpactLevel.IL2), countries: From("CA", 1)), Enabled));
    }

    [Fact]
    public void SessionLog_Warns_EscortedAccessWithoutASession_OnlyWhenThePolicySetsItsDays()
    {
        var grant = Given.Grant(escorted: true);
        var line = LineOn(Given.Today.AddDays(-2), "US");
        var subject = Given.Subject(Given.Person("IN", "IN"), grant: grant, escorts: Given.Coverage()) with
        {
            Evidence = new AccessEvidence([], [new UncoveredAccess(Given.SystemId, [new DailyCount(Given.Today.AddDays(-2), 2)], line)]),
        };
        Assert.Empty(Given.Outcomes("ESCORT-SESSION-LOG", subject)); // the baseline leaves the half off (0 days)
        var outcome = Assert.Single(Given.Outcomes("ESCORT-SESSION-LOG", subject, Enabled));
        Assert.Equal("2", outcome.Facts["accessWithoutSession"]);
        Assert.Equal("grant", outcome.SubjectType);
        var direct = subject with { Grant = Given.Grant(escorted: false) };
        Assert.Empty(Given.Outcomes("ESCORT-SESSION-LOG", direct, Enabled));
    }

    [Fact]
    public void NoEvidence_NoOutcome()
    {
        Assert.Empty(Given.Outcomes(LocEvidenceCovered.RuleId, Given.Subject(Given.Person(work: "CN")), Enabled));
        Assert.Empty(Given.Outcomes(LocEvidenceMismatch.RuleId, With(Given.Person(work: "DE")), Enabled));
    }

    [Fact]
    public void EvidenceSettings_RoundTripThroughThePolicyJson_AndDefaultForOlderVersions()
    {
        var json = PolicyJson.Serialize(Enabled);
        Assert.Equal(EvidenceSettings.Recommended, PolicyJson.Deserialize(json).EvidenceSettings);
        var old = PolicyJson.Deserialize(json.Replace("\"evidence\":", "\"ignored\":"));
        Assert.Equal(EvidenceSettings.Default, old.EvidenceSettings);
    }

    [Fact]
    public void TheSeededVersionOne_ReadsBackAsTheBaseline_InEffect()
    {
        var seeded = PolicyJson.Deserialize(PolicyDefaults.Baseline2026SeededJson);
        Assert.Equal(PolicyJson.Serialize(PolicyDefaults.Baseline2026), PolicyJson.Serialize(seeded with
        {
            Rules = RuleCatalogue.All.ToDictionary(r => r.Id, seeded.SettingFor),
        }));
    }
}

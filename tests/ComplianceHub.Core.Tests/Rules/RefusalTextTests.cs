using System.Text.RegularExpressions;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Rules;

/// <summary>
/// Every rule of the catalogue, failing for a subject, reads as a sentence for people through <see cref="RefusalText"/>: the
/// person named, countries with their names, no enum names, keys or bare country codes; the rule's title and citation from the
/// catalogue; every fact with a label and a value in words.
/// </summary>
public sealed partial class RefusalTextTests
{
    private const string Name = "Quinn Evans";

    /// <summary>A failing subject for every rule: adding a rule without a case here fails <see cref="EveryRuleOfTheCatalogue_HasAFailingCase"/>.</summary>
    private static readonly Dictionary<string, Func<RuleOutcome>> Failing = new()
    {
        ["LOC-COVERED"] = () => Grant("LOC-COVERED", Given.Subject(Given.Person(work: "CN"))),
        ["CIT-COVERED"] = () => Grant("CIT-COVERED", Given.Subject(Given.Person("US, CN", "CN"))),
        ["LOC-ADVERSARY"] = () => Grant("LOC-ADVERSARY", Given.Subject(Given.Person(work: "CU"), Given.System(ImpactLevel.IL2))),
        ["CIT-CONCERN"] = () => Grant("CIT-CONCERN", Given.Subject(Given.Person("US, SY"))),
        ["IL45-US-PERSON"] = () => Grant("IL45-US-PERSON", Given.Subject(Given.Person("GB", "GB"))),
        ["IL6-CITIZEN"] = () => Grant("IL6-CITIZEN", Given.Subject(Given.Person("GB", "GB", lpr: true, tier: InvestigationTier.T3, clearance: Clearance.None), Given.System(ImpactLevel.IL6))),
        ["IL45-INVESTIGATION"] = () => Grant("IL45-INVESTIGATION", Given.Subject(Given.Person(tier: InvestigationTier.T3), grant: Given.Grant(AccessType.Privileged))),
        ["IL2-INVESTIGATION"] = () => Grant("IL2-INVESTIGATION", Given.Subject(Given.Person(tier: InvestigationTier.None), Given.System(ImpactLevel.IL2))),
        ["NDA"] = () => Grant("NDA", Given.Subject(Given.Person(nda: false))),
        ["LOC-US-AREAS"] = () => Grant("LOC-US-AREAS", Given.Subject(Given.Person(work: "GB"))),
        ["ESCORT-REQUIRED"] = () => Grant("ESCORT-REQUIRED", Given.Subject(Given.Person("GB", "GB"), Given.System(ImpactLevel.IL2))),
        ["ESCORT-QUALIFIED"] = () => Escort("ESCORT-QUALIFIED", Given.Escort(Given.Person("DE", "DE", work: "DE", tier: InvestigationTier.T1,
            escort: EscortQualification.Operator), system: Given.System(ImpactLevel.IL6), access: AccessType.Privileged)),
        ["ESCORT-RATIO"] = () => Escort("ESCORT-RATIO", Given.Escort(concurrently: 12)),
        ["ESCORT-SESSION-LOG"] = () => Assert.Single(PolicyEvaluator.Default.Evaluate(
            new SessionSubject(Guid.NewGuid(), new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), null), Given.Context())),
        ["ATTEST-FRESH"] = () => Grant("ATTEST-FRESH", Given.Subject(Given.Person(attestedDaysAgo: 400))),
        ["VETTING-CURRENT"] = () => Grant("VETTING-CURRENT", Given.Subject(Given.Person(adjudicatedYearsAgo: 12, continuousVetting: false))),
        ["TERMINATION"] = () => Grant("TERMINATION", Given.Subject(Given.Person(status: EmploymentStatus.Terminated))),
        ["GRANT-TERMS"] = () => Grant("GRANT-TERMS", Given.Subject(grant: Given.Grant(justification: null))),
        ["SCREENING-MATCH"] = () => Grant("SCREENING-MATCH", Given.Subject(Given.Person() with
        {
            ScreeningStatus = ScreeningStatus.PotentialMatch, ScreeningMatch = "Quinn Evans (Entity List, 2025)",
        })),
        ["LOC-EVIDENCE-COVERED"] = () => Assert.Single(Given.Outcomes("LOC-EVIDENCE-COVERED", Evidenced(Given.Person(), "CN"), EvidenceOn)),
        ["LOC-EVIDENCE-MISMATCH"] = () => Assert.Single(Given.Outcomes("LOC-EVIDENCE-MISMATCH", Evidenced(Given.Person(work: "DE"), "FR"), EvidenceOn)),
    };

    /// <summary>A policy with the evidence rules on (they are off until a version enables them).</summary>
    private static readonly PolicyParameters EvidenceOn = PolicyDefaults.Baseline2026 with
    {
        Rules = PolicyDefaults.Baseline2026.Rules.ToDictionary(r => r.Key, r => r.Key.StartsWith("LOC-EVIDENCE", StringComparison.Ordinal) ? r.Value with { Enabled = true } : r.Value),
        Evidence = EvidenceSettings.Recommended,
    };

    private static GrantSubject Evidenced(PersonFacts person, string country) =>
        Given.Subject(person, Given.System(ImpactLevel.IL2)) with
        {
            Evidence = new AccessEvidence([new CountryEvidence(country, [new DailyCount(Given.Today.AddDays(-2), 1)],
                new EvidenceLine(new DateTimeOffset(Given.Today.AddDays(-2).ToDateTime(new TimeOnly(8, 14)), TimeSpan.Zero), "203.0.113.9", country,
                    "Test system", 12, "signins.csv", "test-db 1, built 1 Jun 2026"))], []),
        };

    public static TheoryData<string> RuleIds() => [.. RuleCatalogue.All.Select(r => r.Id)];

    [Fact]
    public void EveryRuleOfTheCatalogue_HasAFailingCase() =>
        Assert.Equal(RuleCatalogue.All.Select(r => r.Id).Order(StringComparer.Ordinal), Failing.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void EveryRule_Failing_ReadsAsASentenceInWords(string ruleId)
    {
        var outcome = Failing[ruleId]();
        var rule = RuleCatalogue.Find(ruleId)!;

        var text = RefusalText.For(outcome, Name);

        Assert.Equal(rule.Title, text.Title);
        Assert.Equal(rule.Citation, text.Citation);
        Assert.Equal(rule.Guidance, text.Guidance);
        Assert.Equal($"Refused: {text.Sentence.TrimEnd('.')} ({ruleId}).", text.Refused);
        Assert.EndsWith(".", text.Sentence, StringComparison.Ordinal);
        Assert.DoesNotContain("the person", text.Sentence, StringComparison.OrdinalIgnoreCase);
        AssertInWords(ruleId, "sentence", text.Sentence);
        Assert.Equal(outcome.Facts.Count, text.Facts.Count);
        foreach (var fact in text.Facts)
        {
            AssertInWords(ruleId, $"label of {fact.Key}", fact.Label);
            AssertInWords(ruleId, $"value of {fact.Key}", fact.Value);
            Assert.Equal(outcome.Facts[fact.Key], fact.Recorded);
        }
    }

    [Fact]
    public void ARefusal_NamesThePerson_TheCountry_AndTheRule()
    {
        var text = RefusalText.For(Failing["CIT-COVERED"](), Name);

        Assert.Equal("Refused: Quinn Evans holds citizenship of China (CN) and was born in China (CN), a covered nation (CIT-COVERED).", text.Refused);
        Assert.Contains(new RefusalFact("citizenships", "Citizenships", "China (CN), United States (US)", "CN, US"), text.Facts);
        Assert.Contains(text.Facts, f => f.Key == "coveredNations" && f.Label == "Covered nations" && f.Value.Contains("China (CN)", StringComparison.Ordinal) && f.Value.Contains(", ", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutAName_TheSentenceSaysThePerson()
    {
        var text = RefusalText.For(Failing["LOC-COVERED"]());

        Assert.StartsWith("The person works in China (CN), a covered nation", text.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void AStoredOutcomeOfARuleNoLongerInTheCatalogue_StillReadsInWords()
    {
        var text = RefusalText.For("OLD-RULE", Severity.Warn, "Something old.", [KeyValuePair.Create("workCountry", "CN")], null, 2);

        Assert.Equal("Rule OLD-RULE (no longer in the catalogue)", text.Title);
        Assert.Equal("Warning", text.Severity);
        Assert.Equal(RuleCatalogue.GeneralGuidance, text.Guidance);
        Assert.Equal("Work location: China (CN)", text.FactsLine);
    }

    private static RuleOutcome Grant(string ruleId, GrantSubject subject) => Assert.Single(Given.Outcomes(ruleId, subject));

    private static RuleOutcome Escort(string ruleId, EscortSubject subject) => Assert.Single(Given.Outcomes(ruleId, subject));

    private static void AssertInWords(string ruleId, string what, string text)
    {
        Assert.False(CamelCase().IsMatch(text), $"{ruleId}: the {what} shows code: {text}");
        Assert.False(EnumName().IsMatch(text), $"{ruleId}: the {what} shows an enum name: {text}");
        Assert.False(BareCode().IsMatch(text), $"{ruleId}: the {what} shows a bare country code: {text}");
        Assert.False(Guid.TryParse(text, out _) || GuidInside().IsMatch(text), $"{ruleId}: the {what} shows an id: {text}");
    }

    /// <summary>"NonPrivileged", "workCountry": a lower-case letter directly followed by a capital.</summary>
    [GeneratedRegex("[a-z][A-Z]")]
    private static partial Regex CamelCase();

    /// <summary>The investigation tiers' and severities' names as code: "T5", "Block", "Operator" alone.</summary>
    [GeneratedRegex(@"\b(T[135]|SECRET|Operator|Engineer)\b")]
    private static partial Regex EnumName();

    /// <summary>Two capitals not in parentheses and not "US": a country code without its name.</summary>
    [GeneratedRegex(@"(?<!\()\b(?!US\b)[A-Z]{2}\b(?!\))")]
    private static partial Regex BareCode();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-")]
    private static partial Regex GuidInside();
}

using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Rules;

public sealed class PolicyEvaluatorTests
{
    [Fact]
    public void ACompliantUsEngineer_OnIl5_PassesEveryRule() =>
        Assert.Empty(PolicyEvaluator.Default.Evaluate(Given.Subject(grant: Given.Grant(AccessType.Privileged)), Given.Context()));

    [Fact]
    public void TheChinaBasedEngineerUnderAnEscort_FailsEveryRuleThatShouldFail()
    {
        // The 2025 case: a Chinese national in China, "digitally escorted" into an IL5 system.
        var engineer = Given.Person("CN", "CN", work: "CN", tier: InvestigationTier.None, clearance: Clearance.None, nda: false);
        var outcomes = PolicyEvaluator.Default.Evaluate(
            Given.Subject(engineer, Given.System(ImpactLevel.IL5), Given.Grant(AccessType.Privileged, escorted: true), Given.Coverage()), Given.Context());
        Assert.Equal(["LOC-COVERED", "CIT-COVERED", "IL45-US-PERSON", "IL45-INVESTIGATION", "NDA", "LOC-US-AREAS"],
            outcomes.Select(o => o.RuleId).ToArray());
        Assert.All(outcomes, o => Assert.Equal(Severity.Block, o.Severity));
        Assert.All(outcomes, o => Assert.Equal(1, o.PolicyVersion));
        Assert.All(outcomes, o => Assert.False(string.IsNullOrWhiteSpace(o.Citation)));
    }

    [Fact]
    public void ADisabledRule_IsNotReported()
    {
        var policy = PolicyDefaults.Baseline2026 with
        {
            Rules = new Dictionary<string, RuleSetting>(PolicyDefaults.Baseline2026.Rules) { ["CIT-COVERED"] = new(false, Severity.Block) },
        };
        Assert.Empty(Given.Outcomes("CIT-COVERED", Given.Subject(Given.Person("US,CN")), policy));
    }

    [Fact]
    public void TheSeverity_ComesFromThePolicy()
    {
        var policy = PolicyDefaults.Baseline2026 with
        {
            Rules = new Dictionary<string, RuleSetting>(PolicyDefaults.Baseline2026.Rules) { ["CIT-COVERED"] = new(true, Severity.Warn) },
        };
        Assert.Equal(Severity.Warn, Assert.Single(Given.Outcomes("CIT-COVERED", Given.Subject(Given.Person("US,CN")), policy)).Severity);
    }

    [Fact]
    public void CountrySets_ComeFromThePolicy()
    {
        var sets = new Dictionary<string, IReadOnlySet<string>>(PolicyDefaults.Baseline2026.CountrySets)
        {
            [PolicyParameters.Covered] = new HashSet<string> { "CN", "RU", "IR", "KP", "BY" },
        };
        var policy = PolicyDefaults.Baseline2026 with { CountrySets = sets };
        Assert.Single(Given.Outcomes("LOC-COVERED", Given.Subject(Given.Person(work: "BY")), policy));
        Assert.Empty(Given.Outcomes("LOC-COVERED", Given.Subject(Given.Person(work: "HK")), policy));
    }

    [Fact]
    public void Evaluation_IsDeterministic()
    {
        var subject = Given.Subject(Given.Person("US,VE", work: "DE", nda: false), Given.System(ImpactLevel.IL4));
        var first = PolicyEvaluator.Default.Evaluate(subject, Given.Context());
        var second = PolicyEvaluator.Default.Evaluate(subject, Given.Context());
        Assert.Equal(first.Select(o => (o.RuleId, o.Severity, o.Message)), second.Select(o => (o.RuleId, o.Severity, o.Message)));
    }

    [Fact]
    public void EveryRule_HasAUniqueIdTitleAndCitation_AndADocPage()
    {
        Assert.Equal(RuleCatalogue.All.Count, RuleCatalogue.All.Select(r => r.Id).Distinct().Count());
        Assert.All(RuleCatalogue.All, r =>
        {
            Assert.Matches("^[A-Z0-9]+(-[A-Z0-9]+)*$", r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Title));
            Assert.False(string.IsNullOrWhiteSpace(r.Citation));
            Assert.True(PolicyDefaults.Baseline2026.Rules.ContainsKey(r.Id));
            Assert.True(File.Exists(Path.Combine(Given.RepositoryRoot(), "docs", "rules", r.Id + ".md")), $"docs/rules/{r.Id}.md is missing");
        });
    }
}

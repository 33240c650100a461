using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using CsCheck;

namespace ComplianceHub.Core.Tests.Rules;

/// <summary>Properties of evaluation over generated people, systems and grants (CsCheck).</summary>
public sealed class PolicyPropertyTests
{
    private static readonly string[] Countries = ["US", "CN", "HK", "MO", "RU", "IR", "KP", "CU", "VE", "BY", "GB", "IN", "DE", "PR", "GU", "CA", "PH", "AE"];

    private static readonly Gen<PersonFacts> People =
        from citizenships in Gen.OneOf(Countries).Array[1, 3]
        from birth in Gen.OneOf(Countries)
        from work in Gen.OneOf(Countries)
        from lpr in Gen.Bool
        from tier in Gen.Enum<InvestigationTier>()
        from clearance in Gen.Enum<Clearance>()
        from nda in Gen.Bool
        from escort in Gen.Enum<EscortQualification>()
        from terminated in Gen.Bool
        from attested in Gen.Int[0, 400]
        from adjudicated in Gen.Int[0, 9]
        from continuous in Gen.Bool
        from screening in Gen.Enum<ScreeningStatus>()
        select Given.Person(string.Join(',', citizenships.Distinct()), birth, lpr, work, tier, clearance, nda, escort,
            terminated ? EmploymentStatus.Terminated : EmploymentStatus.Active, attested, adjudicated, continuous) with
        { ScreeningStatus = screening, ScreeningMatch = screening == ScreeningStatus.Clear ? null : "SDN:1 \"TEST\"" };

    private static readonly Gen<GrantSubject> Subjects =
        from person in People
        from level in Gen.Enum<ImpactLevel>()
        from access in Gen.Enum<AccessType>()
        from escorted in Gen.Bool
        from days in Gen.Int[1, 500]
        from justified in Gen.Bool
        from covered in Gen.Bool
        from escortPerson in People
        select Given.Subject(person, Given.System(level), Given.Grant(access, escorted, days, justified ? "Operations support" : null),
            covered ? [new EscortCoverage(Guid.NewGuid(), escortPerson, Given.SystemId, Given.Today, Given.Today.AddDays(500), true)] : []);

    /// <summary>The rule that takes over a violation when its country moves into a stricter set.</summary>
    private static readonly Dictionary<string, string> Stricter = new()
    {
        ["LOC-ADVERSARY"] = "LOC-COVERED",
        ["CIT-CONCERN"] = "CIT-COVERED",
    };

    [Fact]
    public void Evaluation_IsDeterministic_ForAnySubject() =>
        Subjects.Sample(subject =>
        {
            var first = PolicyEvaluator.Default.Evaluate(subject, Given.Context());
            var second = PolicyEvaluator.Default.Evaluate(subject, Given.Context());
            return first.Count == second.Count && first.Zip(second).All(p =>
                p.First.RuleId == p.Second.RuleId && p.First.Severity == p.Second.Severity && p.First.Message == p.Second.Message &&
                p.First.Facts.OrderBy(f => f.Key).SequenceEqual(p.Second.Facts.OrderBy(f => f.Key)));
        }, iter: 2000);

    [Fact]
    public void AddingACountryToAProhibitedSet_NeverRemovesAViolation() =>
        Gen.Select(Subjects, Gen.OneOf(Countries), Gen.OneOf(PolicyParameters.Covered, PolicyParameters.Adversary, PolicyParameters.Concern))
            .Sample((subject, country, set) =>
            {
                var sets = new Dictionary<string, IReadOnlySet<string>>(PolicyDefaults.Baseline2026.CountrySets)
                {
                    [set] = PolicyDefaults.Baseline2026.Set(set).Append(country).ToHashSet(),
                };
                var wider = PolicyDefaults.Baseline2026 with { CountrySets = sets };
                var before = PolicyEvaluator.Default.Evaluate(subject, Given.Context());
                var after = PolicyEvaluator.Default.Evaluate(subject, Given.Context(wider));
                var ids = after.Select(o => o.RuleId).ToHashSet();
                // A violation may move to its stricter rule (a country added to COVERED turns LOC-ADVERSARY into
                // LOC-COVERED), never disappear, and the worst severity never softens.
                return before.All(o => ids.Contains(o.RuleId) || (Stricter.TryGetValue(o.RuleId, out var stricter) && ids.Contains(stricter)))
                    && (before.Count == 0 || after.Min(o => o.Severity) <= before.Min(o => o.Severity));
            }, iter: 2000);

    [Fact]
    public void ATerminatedPerson_AlwaysFailsTermination() =>
        Subjects.Where(s => s.Person.EmploymentStatus == EmploymentStatus.Terminated)
            .Sample(s => PolicyEvaluator.Default.Evaluate(s, Given.Context()).Any(o => o.RuleId == "TERMINATION"), iter: 500);
}

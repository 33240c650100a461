using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Rules;

/// <summary>Facts for rule tests: a compliant US engineer on an IL5 system unless a test says otherwise.</summary>
internal static class Given
{
    public static readonly DateOnly Today = new(2026, 11, 28);
    public static readonly Guid SystemId = Guid.Parse("0199a000-0000-7000-8000-000000005501");

    public static RuleContext Context(PolicyParameters? policy = null) => new(policy ?? PolicyDefaults.Baseline2026, 1, Today);

    public static PersonFacts Person(string citizenships = "US", string birth = "US", bool lpr = false, string work = "US",
        InvestigationTier tier = InvestigationTier.T5, Clearance clearance = Clearance.Secret, bool nda = true,
        EscortQualification escort = EscortQualification.None, EmploymentStatus status = EmploymentStatus.Active,
        int? attestedDaysAgo = 5, int adjudicatedYearsAgo = 1, bool continuousVetting = true, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), citizenships.Split(',', StringSplitOptions.TrimEntries).ToHashSet(), birth, lpr, work, tier,
            tier == InvestigationTier.None ? null : Today.AddYears(-adjudicatedYearsAgo), continuousVetting, clearance,
            nda ? Today.AddYears(-1) : null, escort, status, attestedDaysAgo is { } d ? Today.AddDays(-d) : null);

    public static SystemFacts System(ImpactLevel level = ImpactLevel.IL5) => new(SystemId, $"Test system ({level})", level);

    public static GrantFacts Grant(AccessType access = AccessType.NonPrivileged, bool escorted = false, int days = 180,
        string? justification = "Patch management for the logistics data lake", GrantStatus status = GrantStatus.Active, bool openEnded = false) =>
        new(Guid.NewGuid(), access, escorted, Today, openEnded ? null : Today.AddDays(days), justification, status);

    public static GrantSubject Subject(PersonFacts? person = null, SystemFacts? system = null, GrantFacts? grant = null,
        params EscortCoverage[] escorts) =>
        new(person ?? Person(), system ?? System(), grant ?? Grant(), escorts);

    public static EscortCoverage Coverage(int startOffset = 0, int endOffset = 200, bool active = true, Guid? systemId = null) =>
        new(Guid.NewGuid(), Person(escort: EscortQualification.Engineer), systemId ?? SystemId, Today.AddDays(startOffset), Today.AddDays(endOffset), active);

    public static EscortSubject Escort(PersonFacts? escort = null, PersonFacts? supervised = null, SystemFacts? system = null,
        int concurrently = 1, AccessType access = AccessType.NonPrivileged) =>
        new(Guid.NewGuid(), escort ?? Person(escort: EscortQualification.Engineer), supervised ?? Person("IN", "IN"), system ?? System(),
            Today, Today.AddDays(90), concurrently, access);

    /// <summary>The outcomes of one rule only.</summary>
    public static IReadOnlyList<RuleOutcome> Outcomes(string ruleId, GrantSubject subject, PolicyParameters? policy = null) =>
        PolicyEvaluator.Default.Evaluate(subject, Context(policy)).Where(o => o.RuleId == ruleId).ToList();

    public static IReadOnlyList<RuleOutcome> Outcomes(string ruleId, EscortSubject subject, PolicyParameters? policy = null) =>
        PolicyEvaluator.Default.Evaluate(subject, Context(policy)).Where(o => o.RuleId == ruleId).ToList();

    /// <summary>The repository's root (where ComplianceHub.sln is), for tests that read its docs and sources.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ComplianceHub.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("ComplianceHub.sln not found above the test binaries.");
    }
}

using ComplianceHub.Core.Domain.Findings;

namespace ComplianceHub.Core.Rules;

/// <summary>How often location and citizenship must be re-attested, in days.</summary>
public sealed record AttestationDays(int Privileged, int Other, int WarnBefore);

/// <summary>Days until a finding of each severity is due.</summary>
public sealed record FindingDueDays(int Block, int Suspend, int Warn)
{
    public int For(Severity severity) => severity switch { Severity.Block => Block, Severity.Suspend => Suspend, _ => Warn };
}

/// <summary>A rule's switch and severity in a policy version.</summary>
public sealed record RuleSetting(bool Enabled, Severity Severity);

/// <summary>
/// The parameters of a policy version (API.md "Policy parameters"): country sets, cadences, thresholds, and each
/// rule's enabled flag and severity. Rules read their parameters from here, never from constants.
/// </summary>
public sealed record PolicyParameters(
    IReadOnlyDictionary<string, IReadOnlySet<string>> CountrySets,
    AttestationDays AttestationDays,
    int EscortMaxSupervised,
    int MaxGrantDays,
    int VettingMaxAgeYears,
    FindingDueDays FindingDueDays,
    int SessionSignOffHours,
    IReadOnlyDictionary<string, RuleSetting> Rules,
    ScreeningSettings? Screening = null,
    EvidenceSettings? Evidence = null)
{
    /// <summary>The access-log evidence thresholds (the defaults when a version predates them).</summary>
    public EvidenceSettings EvidenceSettings => Evidence ?? EvidenceSettings.Default;

    /// <summary>The screening threshold and country penalty (the defaults when a version predates them).</summary>
    public ScreeningSettings ScreeningSettings => Screening ?? ScreeningSettings.Default;

    public const string Covered = "COVERED";
    public const string Adversary = "ADVERSARY";
    public const string Concern = "CONCERN";
    public const string UsAreas = "US_AREAS";

    /// <summary>The named country set (an empty set when the policy does not define it).</summary>
    public IReadOnlySet<string> Set(string name) =>
        CountrySets.TryGetValue(name, out var set) ? set : new HashSet<string>();

    /// <summary>
    /// Foreign adversaries that are not covered nations (LOC-ADVERSARY; covered nations have rules of their own). Derived once
    /// per parameters object: the rules read it for every grant of a re-evaluation.
    /// </summary>
    public IReadOnlySet<string> UncoveredAdversaries() => DerivedSets.Of(this).UncoveredAdversaries;

    /// <summary>CIT-CONCERN's countries: the uncovered foreign adversaries and the countries of concern. Derived once per parameters object.</summary>
    public IReadOnlySet<string> CountriesOfConcern() => DerivedSets.Of(this).CountriesOfConcern;

    /// <summary>
    /// The setting of a rule; a rule the policy does not mention runs with its default severity — or is off, when the rule is
    /// one a policy must turn on (<see cref="IRule.OnByDefault"/>: the evidence rules take effect only with a version that enables them).
    /// </summary>
    public RuleSetting SettingFor(IRule rule) =>
        Rules.TryGetValue(rule.Id, out var setting) ? setting : new RuleSetting(rule.OnByDefault, rule.DefaultSeverity);
}

/// <summary>
/// Country sets derived from a policy's named sets, computed on first use and kept as long as the parameters object lives
/// (parameters are immutable once read; a changed policy is a new object). Outside the record, so equality is unchanged.
/// </summary>
internal sealed class DerivedSets
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PolicyParameters, DerivedSets> Cache = new();

    private DerivedSets(PolicyParameters p)
    {
        var covered = p.Set(PolicyParameters.Covered);
        UncoveredAdversaries = p.Set(PolicyParameters.Adversary).Where(c => !covered.Contains(c)).ToHashSet(StringComparer.Ordinal);
        CountriesOfConcern = UncoveredAdversaries.Union(p.Set(PolicyParameters.Concern)).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlySet<string> UncoveredAdversaries { get; }

    public IReadOnlySet<string> CountriesOfConcern { get; }

    public static DerivedSets Of(PolicyParameters parameters) => Cache.GetValue(parameters, p => new DerivedSets(p));
}

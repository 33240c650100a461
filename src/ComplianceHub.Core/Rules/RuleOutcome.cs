using ComplianceHub.Core.Domain.Findings;

namespace ComplianceHub.Core.Rules;

/// <summary>
/// One failing rule, with everything an officer or auditor needs to see why: the rule, the severity in force, the
/// subject, the facts it used (e.g. <c>citizenships: US, CN</c>), the policy version and the citation.
/// </summary>
public sealed record RuleOutcome(
    string RuleId,
    Severity Severity,
    string SubjectType,
    Guid SubjectId,
    string Message,
    IReadOnlyDictionary<string, string> Facts,
    string Citation,
    int PolicyVersion);

/// <summary>The evaluation context: the policy in force and the day (and, for hour-based rules, the instant) it is evaluated for.</summary>
public sealed record RuleContext(PolicyParameters Policy, int PolicyVersion, DateOnly Today)
{
    /// <summary>The instant of evaluation; defaults to the start of <see cref="Today"/> (UTC).</summary>
    public DateTimeOffset Now { get; init; } = new(Today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}

namespace ComplianceHub.Core.Rules;

/// <summary>
/// Thrown by the DbContext gate when an access decision fails a blocking rule: nothing of the change is written.
/// The executor turns it into a 422 answer and audits the refusal.
/// </summary>
public sealed class ComplianceRefusalException(string subjectType, Guid subjectId, IReadOnlyList<RuleOutcome> violations,
    IReadOnlyDictionary<string, object?>? request = null)
    : Exception("Refused by the policy: " + string.Join(", ", violations.Select(v => $"{v.RuleId} ({v.Message})")))
{
    public string SubjectType { get; } = subjectType;
    public Guid SubjectId { get; } = subjectId;
    public IReadOnlyList<RuleOutcome> Violations { get; } = violations;

    /// <summary>What was asked for (for example the person, system and period of a grant), recorded in the refusal's audit event.</summary>
    public IReadOnlyDictionary<string, object?> Request { get; } = request ?? new Dictionary<string, object?>();
}

namespace ComplianceHub.Core.Rules;

/// <summary>One subject of a change that an access decision refused: what failed and what was asked for.</summary>
/// <param name="SubjectType">The subject's kind, e.g. <c>grant</c>.</param>
/// <param name="SubjectId">The subject's id.</param>
/// <param name="Violations">The blocking rules that failed on it.</param>
/// <param name="Request">What was asked for (for example the person, system and period of a grant), recorded in the refusal's audit event.</param>
public sealed record RefusedSubject(string SubjectType, Guid SubjectId, IReadOnlyList<RuleOutcome> Violations, IReadOnlyDictionary<string, object?> Request);

/// <summary>
/// Thrown by the DbContext gate when an access decision fails a blocking rule: nothing of the change is written.
/// The executor turns it into a 422 answer and audits the refusal. A change of many subjects (a bulk approval) is refused
/// once, naming every refused subject (<see cref="Refused"/>), so that the reader sees all of them, not the first.
/// </summary>
public sealed class ComplianceRefusalException : Exception
{
    public ComplianceRefusalException(string subjectType, Guid subjectId, IReadOnlyList<RuleOutcome> violations,
        IReadOnlyDictionary<string, object?>? request = null)
        : this([new RefusedSubject(subjectType, subjectId, violations, request ?? new Dictionary<string, object?>())])
    {
    }

    public ComplianceRefusalException(IReadOnlyList<RefusedSubject> refused)
        : base("Refused by the policy: " + string.Join(", ", refused.SelectMany(r => r.Violations).Select(v => $"{v.RuleId} ({v.Message})")))
    {
        if (refused.Count == 0)
        {
            throw new ArgumentException("A refusal names at least one subject.", nameof(refused));
        }
        Refused = refused;
    }

    /// <summary>Every refused subject of the change, in the order the gate met them.</summary>
    public IReadOnlyList<RefusedSubject> Refused { get; }

    /// <summary>The first refused subject's kind (a single-item change has only one).</summary>
    public string SubjectType => Refused[0].SubjectType;

    /// <summary>The first refused subject's id.</summary>
    public Guid SubjectId => Refused[0].SubjectId;

    /// <summary>The failing rules of every refused subject.</summary>
    public IReadOnlyList<RuleOutcome> Violations => Refused.Count == 1 ? Refused[0].Violations : Refused.SelectMany(r => r.Violations).ToList();

    /// <summary>What was asked for on the first refused subject.</summary>
    public IReadOnlyDictionary<string, object?> Request => Refused[0].Request;
}

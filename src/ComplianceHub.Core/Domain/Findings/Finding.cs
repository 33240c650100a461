namespace ComplianceHub.Core.Domain.Findings;

/// <summary>How a failing rule acts (the API's Severity): refuse or suspend access, suspend it, or only warn.</summary>
public enum Severity { Block, Suspend, Warn }

/// <summary>Lifecycle of a finding (the API's FindingStatus).</summary>
public enum FindingStatus { Open, Acknowledged, Waived, Remediated, Closed }

/// <summary>
/// A rule that fired on a subject: what, why (message and facts), under which policy version and citation, when it
/// was detected and by when it must be resolved. Opened and closed by the gate as facts change.
/// </summary>
public sealed class Finding
{
    private Finding() { }

    public Guid Id { get; private set; }
    public string RuleId { get; private set; } = "";
    public string SubjectType { get; private set; } = "";
    public Guid SubjectId { get; private set; }
    public Guid PersonId { get; private set; }
    public Guid VendorId { get; private set; }
    public Severity Severity { get; private set; }
    public string Message { get; private set; } = "";

    /// <summary>The facts the rule used, as a JSON object.</summary>
    public string Facts { get; private set; } = "{}";
    public string Citation { get; private set; } = "";
    public int PolicyVersion { get; private set; }
    public DateTimeOffset DetectedAt { get; private set; }
    public DateOnly DueOn { get; private set; }
    public FindingStatus Status { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? Resolution { get; private set; }

    /// <summary>Who acknowledged the finding, when, and what they answered (the vendor's or officer's response).</summary>
    public Guid? AcknowledgedBy { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public string? Response { get; private set; }

    /// <summary>Who closed the finding by declaring it remediated (null when the gate closed it).</summary>
    public Guid? ResolvedBy { get; private set; }

    public bool IsOpen => Status is FindingStatus.Open or FindingStatus.Acknowledged;

    /// <summary>A finding for one failing rule (the rule's outcome: <c>RuleOutcome.OpenFinding</c> in Rules).</summary>
    public static Finding Open(string ruleId, Severity severity, string subjectType, Guid subjectId, string message,
        IReadOnlyDictionary<string, string> facts, string citation, int policyVersion, Guid personId, Guid vendorId, DateTimeOffset at, DateOnly dueOn) => new()
    {
        Id = Guid.CreateVersion7(),
        RuleId = ruleId,
        SubjectType = subjectType,
        SubjectId = subjectId,
        PersonId = personId,
        VendorId = vendorId,
        Severity = severity,
        Message = message,
        Facts = System.Text.Json.JsonSerializer.Serialize(new SortedDictionary<string, string>(
            facts.ToDictionary(f => f.Key, f => f.Value), StringComparer.Ordinal)),
        Citation = citation,
        PolicyVersion = policyVersion,
        DetectedAt = at,
        DueOn = dueOn,
        Status = FindingStatus.Open,
    };

    /// <summary>An approved waiver covers the finding until it expires.</summary>
    public void MarkWaived() => Status = FindingStatus.Waived;

    /// <summary>The responsible party has seen the finding and answers it; it stays open until the condition clears.</summary>
    public void Acknowledge(Guid by, DateTimeOffset at, string response)
    {
        if (Status != FindingStatus.Open)
        {
            throw new InvalidOperationException($"Only an open finding can be acknowledged; this one is {Status}.");
        }
        Status = FindingStatus.Acknowledged;
        AcknowledgedBy = by;
        AcknowledgedAt = at;
        Response = response;
    }

    /// <summary>Declared remediated, after the rule was checked to pass again (or the lapse it records was corrected).</summary>
    public void Remediate(Guid by, DateTimeOffset at, string resolution)
    {
        if (!IsOpen)
        {
            throw new InvalidOperationException($"Only an open finding can be remediated; this one is {Status}.");
        }
        Status = FindingStatus.Remediated;
        ResolvedBy = by;
        ClosedAt = at;
        Resolution = resolution;
    }

    /// <summary>Closed by the gate, with the reason (the rule passes again, or the grant is gone).</summary>
    public void Close(DateTimeOffset at, string resolution)
    {
        Status = FindingStatus.Closed;
        ClosedAt = at;
        Resolution = resolution;
    }
}

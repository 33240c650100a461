namespace ComplianceHub.Core.Domain.Findings;

/// <summary>Lifecycle of a waiver.</summary>
public enum WaiverStatus { PendingApproval, Active }

/// <summary>
/// A time-bound exception to one rule for one subject, with a justification and a second approver (two-person rule).
/// While active and unexpired, the waived rule does not refuse or suspend that subject's access.
/// </summary>
public sealed class Waiver
{
    private Waiver() { }

    public Waiver(Guid id, Finding finding, string justification, DateOnly expiresOn, Guid requestedBy, DateTimeOffset at)
    {
        Id = id;
        FindingId = finding.Id;
        RuleId = finding.RuleId;
        SubjectType = finding.SubjectType;
        SubjectId = finding.SubjectId;
        Justification = justification;
        ExpiresOn = expiresOn;
        RequestedBy = requestedBy;
        RequestedAt = at;
        Status = WaiverStatus.PendingApproval;
    }

    public Guid Id { get; private set; }
    public Guid FindingId { get; private set; }
    public string RuleId { get; private set; } = "";
    public string SubjectType { get; private set; } = "";
    public Guid SubjectId { get; private set; }
    public string Justification { get; private set; } = "";
    public DateOnly ExpiresOn { get; private set; }
    public WaiverStatus Status { get; private set; }
    public Guid RequestedBy { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public Guid? ApprovedBy { get; private set; }
    public DateTimeOffset? ApprovedAt { get; private set; }

    public void Approve(Guid approver, DateTimeOffset at)
    {
        if (approver == RequestedBy)
        {
            throw new InvalidOperationException("The requester cannot approve their own waiver (two-person rule).");
        }
        Status = WaiverStatus.Active;
        ApprovedBy = approver;
        ApprovedAt = at;
    }

    /// <summary>True on every day up to and including <see cref="ExpiresOn"/> once approved.</summary>
    public bool InForceOn(DateOnly day) => Status == WaiverStatus.Active && day <= ExpiresOn;
}

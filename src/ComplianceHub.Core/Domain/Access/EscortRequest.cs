namespace ComplianceHub.Core.Domain.Access;

/// <summary>Where a representative's request for an escort stands.</summary>
public enum EscortRequestStatus { Pending, Approved, Declined, Withdrawn }

/// <summary>
/// A vendor representative's request that one of their people (a qualified escort) supervise another on a system for a
/// period. Only a contracting officer assigns escorts (DESIGN.md roles), so the request waits for one: approving it
/// creates the <see cref="EscortAssignment"/> through the gate in the same transaction; declining records why.
/// The request itself grants nothing and is not rule-relevant; the rules were read when it was made, and are applied
/// again, for real, to the assignment its approval creates.
/// </summary>
public sealed class EscortRequest
{
    private EscortRequest() { }

    public EscortRequest(Guid id, Guid vendorId, Guid escortId, Guid personId, Guid systemId, DateOnly startsOn, DateOnly endsOn,
        string justification, Guid requestedBy, string requestedByName, DateTimeOffset requestedAt)
    {
        Id = id;
        VendorId = vendorId;
        EscortId = escortId;
        PersonId = personId;
        SystemId = systemId;
        StartsOn = startsOn;
        EndsOn = endsOn;
        Justification = justification;
        RequestedBy = requestedBy;
        RequestedByName = requestedByName;
        RequestedAt = requestedAt;
        Status = EscortRequestStatus.Pending;
    }

    public Guid Id { get; private set; }
    public Guid VendorId { get; private set; }
    public Guid EscortId { get; private set; }
    public Guid PersonId { get; private set; }
    public Guid SystemId { get; private set; }
    public DateOnly StartsOn { get; private set; }
    public DateOnly EndsOn { get; private set; }
    public string Justification { get; private set; } = "";
    public EscortRequestStatus Status { get; private set; }
    public Guid RequestedBy { get; private set; }
    public string RequestedByName { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public Guid? DecidedBy { get; private set; }
    public string? DecidedByName { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionReason { get; private set; }

    /// <summary>The assignment the approval created.</summary>
    public Guid? AssignmentId { get; private set; }

    public void Approve(Guid assignmentId, Guid by, string byName, DateTimeOffset at, string? note)
    {
        EnsurePending();
        Status = EscortRequestStatus.Approved;
        AssignmentId = assignmentId;
        Decide(by, byName, at, note);
    }

    public void Decline(Guid by, string byName, DateTimeOffset at, string reason)
    {
        EnsurePending();
        Status = EscortRequestStatus.Declined;
        Decide(by, byName, at, reason);
    }

    public void Withdraw(Guid by, string byName, DateTimeOffset at)
    {
        EnsurePending();
        Status = EscortRequestStatus.Withdrawn;
        Decide(by, byName, at, null);
    }

    private void Decide(Guid by, string byName, DateTimeOffset at, string? reason)
    {
        DecidedBy = by;
        DecidedByName = byName;
        DecidedAt = at;
        DecisionReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
    }

    private void EnsurePending()
    {
        if (Status != EscortRequestStatus.Pending)
        {
            throw new InvalidOperationException($"The request is already {Status.ToString().ToLowerInvariant()}.");
        }
    }
}

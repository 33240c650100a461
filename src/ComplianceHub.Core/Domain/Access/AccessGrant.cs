namespace ComplianceHub.Core.Domain.Access;

/// <summary>
/// A person's access to a system: type, escorted or direct, period, justification and status, with who requested and
/// approved it and the policy version that approved it. State changes happen through its methods only.
/// </summary>
public sealed class AccessGrant
{
    private AccessGrant() { }

    private AccessGrant(Guid id, Guid personId, Guid systemId, AccessType accessType, bool escorted, DateOnly startsOn, DateOnly? endsOn,
        string? justification, Guid requestedBy, DateTimeOffset requestedAt)
    {
        Id = id;
        PersonId = personId;
        SystemId = systemId;
        AccessType = accessType;
        Escorted = escorted;
        StartsOn = startsOn;
        EndsOn = endsOn;
        Justification = justification;
        RequestedBy = requestedBy;
        RequestedAt = requestedAt;
    }

    public Guid Id { get; private set; }
    public Guid PersonId { get; private set; }
    public Guid SystemId { get; private set; }
    public AccessType AccessType { get; private set; }
    public bool Escorted { get; private set; }
    public DateOnly StartsOn { get; private set; }
    public DateOnly? EndsOn { get; private set; }
    public string? Justification { get; private set; }
    public GrantStatus Status { get; private set; }
    public string? StatusReason { get; private set; }
    public Guid RequestedBy { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public Guid? ApprovedBy { get; private set; }
    public DateTimeOffset? ApprovedAt { get; private set; }

    /// <summary>The policy version under which the grant was last approved or reactivated.</summary>
    public Guid? PolicyVersionId { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    /// <summary>A new grant: active at once, or pending a second officer's approval when the two-person rule applies.</summary>
    public static AccessGrant Request(Guid id, Guid personId, Guid systemId, AccessType accessType, bool escorted, DateOnly startsOn,
        DateOnly? endsOn, string? justification, Guid requestedBy, DateTimeOffset at, bool needsSecondApprover)
    {
        var grant = new AccessGrant(id, personId, systemId, accessType, escorted, startsOn, endsOn, justification, requestedBy, at);
        if (needsSecondApprover)
        {
            grant.Status = GrantStatus.PendingApproval;
        }
        else
        {
            grant.Status = GrantStatus.Active;
            grant.ApprovedBy = requestedBy;
            grant.ApprovedAt = at; // the gate records the policy version it decided under (DecidedUnder)
        }
        return grant;
    }

    /// <summary>A second officer approves a pending grant.</summary>
    public void Approve(Guid approver, DateTimeOffset at, Guid policyVersionId)
    {
        if (Status != GrantStatus.PendingApproval)
        {
            throw new InvalidOperationException($"Only a pending grant can be approved; this one is {Status}.");
        }
        if (approver == RequestedBy)
        {
            throw new InvalidOperationException("The requester cannot approve their own grant (two-person rule).");
        }
        Status = GrantStatus.Active;
        ApprovedBy = approver;
        ApprovedAt = at;
        PolicyVersionId = policyVersionId;
    }

    /// <summary>A consequence of a fact change: the grant now fails a blocking rule.</summary>
    public void Suspend(string reason)
    {
        if (Status is GrantStatus.Active or GrantStatus.PendingApproval)
        {
            Status = GrantStatus.Suspended;
            StatusReason = reason;
        }
    }

    /// <summary>Ends the grant for good (termination, or an officer's decision).</summary>
    public void Revoke(string reason)
    {
        if (Status is not (GrantStatus.Revoked or GrantStatus.Expired))
        {
            Status = GrantStatus.Revoked;
            StatusReason = reason;
        }
    }

    /// <summary>
    /// An officer restores a suspended grant (an access decision: the gate runs the rules again). A grant that was never
    /// approved goes back to pending approval, so reactivation cannot skip the two-person rule.
    /// </summary>
    public void Reactivate(string reason, Guid policyVersionId)
    {
        if (Status != GrantStatus.Suspended)
        {
            throw new InvalidOperationException($"Only a suspended grant can be reactivated; this one is {Status}.");
        }
        Status = ApprovedBy is null ? GrantStatus.PendingApproval : GrantStatus.Active;
        StatusReason = reason;
        PolicyVersionId = policyVersionId;
    }

    /// <summary>
    /// The gate records the policy version an access decision that made the grant active was evaluated under — the
    /// version in force at that instant, whatever the handler read before.
    /// </summary>
    internal void DecidedUnder(Guid policyVersionId)
    {
        if (Status == GrantStatus.Active)
        {
            PolicyVersionId = policyVersionId;
        }
    }
}

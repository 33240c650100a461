namespace ComplianceHub.Core.Domain.Access;

/// <summary>
/// One supervised work session under an escort assignment: when, the change ticket, what was done, and the escort's
/// sign-off. The digital record of maintenance by foreign engineers that the September 2025 SRG update asks for.
/// </summary>
public sealed class EscortedSession
{
    private EscortedSession() { }

    public EscortedSession(Guid id, EscortAssignment assignment, Guid vendorId, DateTimeOffset startedAt, DateTimeOffset endedAt,
        string changeTicket, string summary, Guid recordedBy, DateTimeOffset recordedAt)
    {
        Id = id;
        AssignmentId = assignment.Id;
        EscortId = assignment.EscortId;
        PersonId = assignment.PersonId;
        SystemId = assignment.SystemId;
        VendorId = vendorId;
        StartedAt = startedAt;
        EndedAt = endedAt;
        ChangeTicket = changeTicket;
        Summary = summary;
        RecordedBy = recordedBy;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }
    public Guid AssignmentId { get; private set; }
    public Guid EscortId { get; private set; }
    public Guid PersonId { get; private set; }
    public Guid SystemId { get; private set; }

    /// <summary>The supervised person's vendor (for vendor scoping).</summary>
    public Guid VendorId { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset EndedAt { get; private set; }
    public string ChangeTicket { get; private set; } = "";
    public string Summary { get; private set; } = "";
    public Guid RecordedBy { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    public Guid? SignedOffBy { get; private set; }
    public DateTimeOffset? SignedOffAt { get; private set; }

    /// <summary>The escort's sign-off, recorded by the account that took it.</summary>
    public void SignOff(Guid by, DateTimeOffset at)
    {
        if (SignedOffAt is not null)
        {
            throw new InvalidOperationException("The session is already signed off.");
        }
        SignedOffBy = by;
        SignedOffAt = at;
    }
}

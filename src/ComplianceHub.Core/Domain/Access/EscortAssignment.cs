namespace ComplianceHub.Core.Domain.Access;

/// <summary>An escort supervising one person on one system for a period.</summary>
public sealed class EscortAssignment
{
    private EscortAssignment() { }

    public EscortAssignment(Guid id, Guid escortId, Guid personId, Guid systemId, DateOnly startsOn, DateOnly endsOn, Guid createdBy, DateTimeOffset createdAt)
    {
        Id = id;
        EscortId = escortId;
        PersonId = personId;
        SystemId = systemId;
        StartsOn = startsOn;
        EndsOn = endsOn;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        Active = true;
    }

    public Guid Id { get; private set; }
    public Guid EscortId { get; private set; }
    public Guid PersonId { get; private set; }
    public Guid SystemId { get; private set; }
    public DateOnly StartsOn { get; private set; }
    public DateOnly EndsOn { get; private set; }
    public bool Active { get; private set; }
    public Guid CreatedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}

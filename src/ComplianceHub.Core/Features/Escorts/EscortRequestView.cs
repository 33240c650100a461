using ComplianceHub.Core.Domain.Access;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>An escort request as the pages show it.</summary>
public sealed record EscortRequestView(Guid Id, Guid VendorId, Guid EscortId, Guid PersonId, Guid SystemId, DateOnly StartsOn, DateOnly EndsOn,
    string Justification, EscortRequestStatus Status, string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt,
    string? DecisionReason, Guid? AssignmentId)
{
    public static EscortRequestView From(EscortRequest r) => new(r.Id, r.VendorId, r.EscortId, r.PersonId, r.SystemId, r.StartsOn, r.EndsOn,
        r.Justification, r.Status, r.RequestedByName, r.RequestedAt, r.DecidedByName, r.DecidedAt, r.DecisionReason, r.AssignmentId);
}

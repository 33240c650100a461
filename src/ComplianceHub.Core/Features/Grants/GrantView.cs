using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>A grant as the API and the pages show it (API.md "Grant").</summary>
public sealed record GrantView(Guid Id, Guid PersonId, Guid SystemId, AccessType AccessType, bool Escorted, DateOnly StartsOn,
    DateOnly? EndsOn, string? Justification, GrantStatus Status, Guid RequestedBy, Guid? ApprovedBy, Guid? PolicyVersionId)
{
    public static GrantView From(AccessGrant g) => new(g.Id, g.PersonId, g.SystemId, g.AccessType, g.Escorted, g.StartsOn, g.EndsOn,
        g.Justification, g.Status, g.RequestedBy, g.ApprovedBy, g.PolicyVersionId);
}

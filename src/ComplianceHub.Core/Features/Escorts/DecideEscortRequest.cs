using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Access;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>
/// A contracting officer approves an escort request — the assignment is created through the gate in the same
/// transaction, so a request the rules now refuse stays pending and the refusal names the rules — or declines it with
/// a reason.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record DecideEscortRequest(Guid RequestId, bool Approve, string? Reason) : ICommand<EscortRequestView>;

public sealed class DecideEscortRequestValidator : AbstractValidator<DecideEscortRequest>
{
    public DecideEscortRequestValidator()
    {
        RuleFor(c => c.RequestId).NotEmpty();
        RuleFor(c => c.Reason).NotEmpty().When(c => !c.Approve).WithMessage("Say why the request is declined; the representative reads it.");
        RuleFor(c => c.Reason).MaximumLength(2000);
    }
}

internal sealed class DecideEscortRequestHandler : ICommandHandler<DecideEscortRequest, EscortRequestView>
{
    public async Task<Outcome<EscortRequestView>> HandleAsync(DecideEscortRequest command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var request = await db.EscortRequests.VisibleTo(context.Actor).SingleOrDefaultAsync(r => r.Id == command.RequestId, ct);
        if (request is null)
        {
            return Outcome<EscortRequestView>.NotFound("The escort request");
        }
        if (request.Status != EscortRequestStatus.Pending)
        {
            return Outcome<EscortRequestView>.Conflict($"The request was already {request.Status.ToString().ToLowerInvariant()}.");
        }
        if (!command.Approve)
        {
            request.Decline(context.Actor.UserId, context.Actor.DisplayName, context.Now, command.Reason!);
            return Outcome<EscortRequestView>.Ok(EscortRequestView.From(request));
        }
        var assignment = new EscortAssignment(Guid.CreateVersion7(), request.EscortId, request.PersonId, request.SystemId, request.StartsOn,
            request.EndsOn, context.Actor.UserId, context.Now);
        db.EscortAssignments.Add(assignment);
        request.Approve(assignment.Id, context.Actor.UserId, context.Actor.DisplayName, context.Now, command.Reason);
        return Outcome<EscortRequestView>.OkAfterSave(() => EscortRequestView.From(request), () => db.Outcomes.GetValueOrDefault(assignment) ?? []);
    }
}

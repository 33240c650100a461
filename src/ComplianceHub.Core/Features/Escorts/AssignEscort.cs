using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Access;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>An escort assignment as the API and pages show it.</summary>
public sealed record EscortAssignmentView(Guid Id, Guid EscortId, Guid PersonId, Guid SystemId, DateOnly StartsOn, DateOnly EndsOn, bool Active);

/// <summary>
/// A contracting officer assigns an escort to supervise a person on a system for a period. An access decision: refused
/// (nothing written) when the escort is not qualified, would supervise too many people, or either person is barred.
/// With <see cref="DryRun"/> it runs through the gate and is rolled back (the escort dialog's live rule preview).
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record AssignEscort(Guid EscortId, Guid PersonId, Guid SystemId, DateOnly StartsOn, DateOnly EndsOn, bool DryRun = false)
    : ICommand<EscortAssignmentView>, ICanDryRun;

public sealed class AssignEscortValidator : AbstractValidator<AssignEscort>
{
    public AssignEscortValidator()
    {
        RuleFor(c => c.EscortId).NotEmpty();
        RuleFor(c => c.PersonId).NotEmpty().NotEqual(c => c.EscortId).WithMessage("A person cannot escort themselves.");
        RuleFor(c => c.SystemId).NotEmpty();
        RuleFor(c => c.EndsOn).GreaterThanOrEqualTo(c => c.StartsOn).WithMessage("The end date must not be before the start date.");
    }
}

internal sealed class AssignEscortHandler : ICommandHandler<AssignEscort, EscortAssignmentView>
{
    public async Task<Outcome<EscortAssignmentView>> HandleAsync(AssignEscort command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var found = await db.People.VisibleTo(context.Actor).CountAsync(p => p.Id == command.EscortId || p.Id == command.PersonId, ct);
        if (found != 2)
        {
            return Outcome<EscortAssignmentView>.NotFound("The escort or the supervised person");
        }
        if (!await db.Systems.AnyAsync(s => s.Id == command.SystemId, ct))
        {
            return Outcome<EscortAssignmentView>.NotFound("The system");
        }
        var assignment = new EscortAssignment(Guid.CreateVersion7(), command.EscortId, command.PersonId, command.SystemId,
            command.StartsOn, command.EndsOn, context.Actor.UserId, context.Now);
        db.EscortAssignments.Add(assignment);
        return Outcome<EscortAssignmentView>.OkAfterSave(
            () => new EscortAssignmentView(assignment.Id, assignment.EscortId, assignment.PersonId, assignment.SystemId, assignment.StartsOn,
                assignment.EndsOn, assignment.Active),
            () => db.Outcomes.GetValueOrDefault(assignment) ?? []);
    }
}

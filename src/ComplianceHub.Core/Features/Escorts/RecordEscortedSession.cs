using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Access;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>An escorted session as the API shows it.</summary>
public sealed record EscortedSessionView(Guid Id, Guid AssignmentId, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string ChangeTicket,
    string Summary, DateTimeOffset? SignedOffAt)
{
    public static EscortedSessionView From(EscortedSession s) => new(s.Id, s.AssignmentId, s.StartedAt, s.EndedAt, s.ChangeTicket, s.Summary, s.SignedOffAt);
}

/// <summary>Records one supervised work session under an escort assignment (API.md <c>POST /escorted-sessions</c>).</summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record RecordEscortedSession(Guid AssignmentId, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string ChangeTicket, string Summary)
    : ICommand<EscortedSessionView>;

public sealed class RecordEscortedSessionValidator : AbstractValidator<RecordEscortedSession>
{
    public RecordEscortedSessionValidator()
    {
        RuleFor(c => c.AssignmentId).NotEmpty();
        RuleFor(c => c.EndedAt).GreaterThan(c => c.StartedAt).WithMessage("The session must end after it starts.");
        RuleFor(c => c.ChangeTicket).NotEmpty().WithMessage("Give the change ticket the work was done under.").MaximumLength(100);
        RuleFor(c => c.Summary).NotEmpty().WithMessage("Summarise what was done.").MaximumLength(4000);
    }
}

internal sealed class RecordEscortedSessionHandler : ICommandHandler<RecordEscortedSession, EscortedSessionView>
{
    public async Task<Outcome<EscortedSessionView>> HandleAsync(RecordEscortedSession command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var found = await (from x in db.EscortAssignments
                           join p in db.People.VisibleTo(context.Actor) on x.PersonId equals p.Id
                           where x.Id == command.AssignmentId
                           select new { Assignment = x, p.VendorId }).SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return Outcome<EscortedSessionView>.NotFound("The escort assignment");
        }
        var a = found.Assignment;
        if (DateOnly.FromDateTime(command.StartedAt.UtcDateTime) < a.StartsOn || DateOnly.FromDateTime(command.EndedAt.UtcDateTime) > a.EndsOn)
        {
            return Outcome<EscortedSessionView>.Invalid(new Dictionary<string, string[]>
            {
                [nameof(RecordEscortedSession.StartedAt)] = [$"The session must fall within the assignment ({a.StartsOn:yyyy-MM-dd} to {a.EndsOn:yyyy-MM-dd})."],
            });
        }
        var session = new EscortedSession(Guid.CreateVersion7(), a, found.VendorId, command.StartedAt, command.EndedAt,
            command.ChangeTicket.Trim(), command.Summary.Trim(), context.Actor.UserId, context.Now);
        db.EscortedSessions.Add(session);
        return Outcome<EscortedSessionView>.Ok(EscortedSessionView.From(session));
    }
}

using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Severity = ComplianceHub.Core.Domain.Findings.Severity;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>
/// A vendor representative asks a contracting officer to assign one of the vendor's people as the escort of another on a
/// system for a period. The escort rules are read at once, exactly as the assignment would meet them: a request the
/// policy would refuse (an unqualified escort, a ratio exceeded, a barred person) is refused now, with the rules, and
/// only the refusal is recorded. With <see cref="DryRun"/> it is the request dialog's live preview.
/// </summary>
[AllowedRoles(Roles.VendorRepresentative)]
public sealed record RequestEscort(Guid EscortId, Guid PersonId, Guid SystemId, DateOnly StartsOn, DateOnly EndsOn, string Justification,
    bool DryRun = false) : ICommand<EscortRequestView>, ICanDryRun;

public sealed class RequestEscortValidator : AbstractValidator<RequestEscort>
{
    public RequestEscortValidator()
    {
        RuleFor(c => c.EscortId).NotEmpty().WithMessage("Choose the escort.");
        RuleFor(c => c.PersonId).NotEmpty().NotEqual(c => c.EscortId).WithMessage("A person cannot escort themselves.");
        RuleFor(c => c.SystemId).NotEmpty().WithMessage("Choose the system.");
        RuleFor(c => c.EndsOn).GreaterThanOrEqualTo(c => c.StartsOn).WithMessage("The end date must not be before the start date.");
        RuleFor(c => c.Justification).NotEmpty().WithMessage("Say why the person needs an escort on this system.").MaximumLength(2000);
    }
}

internal sealed class RequestEscortHandler : ICommandHandler<RequestEscort, EscortRequestView>
{
    public async Task<Outcome<EscortRequestView>> HandleAsync(RequestEscort command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var people = await db.People.VisibleTo(context.Actor).Where(p => p.Id == command.EscortId || p.Id == command.PersonId).ToListAsync(ct);
        if (people.Count != 2)
        {
            return Outcome<EscortRequestView>.NotFound("The escort or the supervised person");
        }
        if (!await db.Systems.AnyAsync(s => s.Id == command.SystemId, ct))
        {
            return Outcome<EscortRequestView>.NotFound("The system");
        }
        if (await db.EscortRequests.AnyAsync(r => r.Status == EscortRequestStatus.Pending && r.EscortId == command.EscortId
                && r.PersonId == command.PersonId && r.SystemId == command.SystemId && r.StartsOn <= command.EndsOn && r.EndsOn >= command.StartsOn, ct))
        {
            return Outcome<EscortRequestView>.Conflict("A request for this escort, person and system over these dates is already waiting for an officer.");
        }

        // The rules the assignment will meet, read now on an assignment that is never saved.
        var id = Guid.CreateVersion7();
        var probe = new EscortAssignment(id, command.EscortId, command.PersonId, command.SystemId, command.StartsOn, command.EndsOn,
            context.Actor.UserId, context.Now);
        var (version, parameters) = await ActivePolicy.ForChangeAsync(db, ct);
        var rules = new RuleContext(parameters, version.Number, context.Today) { Now = context.Now };
        var outcomes = PolicyEvaluator.Default.Evaluate(await ComplianceGate.EscortSubjectAsync(db, probe, ct), rules);
        var blocking = outcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).ToList();
        if (blocking.Count > 0)
        {
            throw new ComplianceRefusalException("escort-request", id, blocking, new Dictionary<string, object?>
            {
                ["escortId"] = command.EscortId, ["personId"] = command.PersonId, ["systemId"] = command.SystemId,
                ["startsOn"] = command.StartsOn, ["endsOn"] = command.EndsOn,
            });
        }
        var request = new EscortRequest(id, people[0].VendorId, command.EscortId, command.PersonId, command.SystemId, command.StartsOn,
            command.EndsOn, command.Justification.Trim(), context.Actor.UserId, context.Actor.DisplayName, context.Now);
        db.EscortRequests.Add(request);
        return Outcome<EscortRequestView>.OkAfterSave(() => EscortRequestView.From(request), () => outcomes);
    }
}

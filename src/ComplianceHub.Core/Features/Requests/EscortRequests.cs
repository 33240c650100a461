using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Severity = ComplianceHub.Core.Rules.Severity;

namespace ComplianceHub.Core.Features.Requests;

/// <summary>An escort request as the pages show it.</summary>
public sealed record EscortRequestView(Guid Id, Guid VendorId, Guid EscortId, Guid PersonId, Guid SystemId, DateOnly StartsOn, DateOnly EndsOn,
    string Justification, EscortRequestStatus Status, string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt,
    string? DecisionReason, Guid? AssignmentId)
{
    public static EscortRequestView From(EscortRequest r) => new(r.Id, r.VendorId, r.EscortId, r.PersonId, r.SystemId, r.StartsOn, r.EndsOn,
        r.Justification, r.Status, r.RequestedByName, r.RequestedAt, r.DecidedByName, r.DecidedAt, r.DecisionReason, r.AssignmentId);
}

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
        var (version, parameters) = await ComplianceGate.ActivePolicyAsync(db, ct);
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

/// <summary>The representative who asked (or another of the vendor's) withdraws a pending escort request.</summary>
[AllowedRoles(Roles.VendorRepresentative)]
public sealed record WithdrawEscortRequest(Guid RequestId) : ICommand<EscortRequestView>;

internal sealed class WithdrawEscortRequestHandler : ICommandHandler<WithdrawEscortRequest, EscortRequestView>
{
    public async Task<Outcome<EscortRequestView>> HandleAsync(WithdrawEscortRequest command, CommandContext context, CancellationToken ct)
    {
        var request = await context.Db.EscortRequests.SingleOrDefaultAsync(r => r.Id == command.RequestId && r.VendorId == context.Actor.VendorId, ct);
        if (request is null)
        {
            return Outcome<EscortRequestView>.NotFound("The escort request");
        }
        if (request.Status != EscortRequestStatus.Pending)
        {
            return Outcome<EscortRequestView>.Conflict($"The request was already {request.Status.ToString().ToLowerInvariant()}.");
        }
        request.Withdraw(context.Actor.UserId, context.Actor.DisplayName, context.Now);
        return Outcome<EscortRequestView>.Ok(EscortRequestView.From(request));
    }
}

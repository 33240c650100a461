using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>
/// Request access for a person to a system. Active at once when a contracting officer asks for a US person on IL2;
/// pending a second officer's approval for IL4+ systems, for people who are not US persons, and for every request a
/// vendor representative makes. Refused (nothing written) when a blocking rule fails. With <see cref="DryRun"/> the request
/// runs through the gate and is rolled back: the answer (refused with the rules, or the would-be grant and its warnings)
/// is exactly what applying would give, and nothing is written — the grant dialog's live rule preview.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record RequestGrant(Guid PersonId, Guid SystemId, AccessType AccessType, bool Escorted, DateOnly StartsOn,
    DateOnly? EndsOn, string? Justification, bool DryRun = false) : ICommand<GrantView>, ICanDryRun;

public sealed class RequestGrantValidator : AbstractValidator<RequestGrant>
{
    public RequestGrantValidator()
    {
        RuleFor(c => c.PersonId).NotEmpty();
        RuleFor(c => c.SystemId).NotEmpty();
        RuleFor(c => c.AccessType).IsInEnum();
        RuleFor(c => c.EndsOn).GreaterThanOrEqualTo(c => c.StartsOn).When(c => c.EndsOn is not null)
            .WithMessage("The end date must not be before the start date.");
        RuleFor(c => c.Justification).MaximumLength(2000);
    }
}

internal sealed class RequestGrantHandler : ICommandHandler<RequestGrant, GrantView>
{
    public async Task<Outcome<GrantView>> HandleAsync(RequestGrant command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        // Vendor scope in the query: a representative cannot even learn that another vendor's person exists. The person and
        // the system in one round trip (both tracked: the gate evaluates them without reading them again).
        var found = await db.People.VisibleTo(context.Actor).Where(p => p.Id == command.PersonId)
            .Select(p => new { Person = p, System = db.Systems.SingleOrDefault(s => s.Id == command.SystemId) })
            .SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return Outcome<GrantView>.NotFound("The person");
        }
        if (found.System is not { } system)
        {
            return Outcome<GrantView>.NotFound("The system");
        }
        var person = found.Person;

        var needsSecondApprover = context.Actor.IsVendorRepresentative || system.ToFacts().IsIl4OrAbove || !person.IsUsPerson;
        var grant = AccessGrant.Request(Guid.CreateVersion7(), person.Id, system.Id, command.AccessType, command.Escorted,
            command.StartsOn, command.EndsOn, command.Justification?.Trim(), context.Actor.UserId, context.Now, needsSecondApprover);
        db.Grants.Add(grant);
        // A grant that passes may still fail rules that only warn; the gate reports them for this grant.
        return Outcome<GrantView>.OkAfterSave(() => GrantView.From(grant), () => db.Outcomes.GetValueOrDefault(grant) ?? []);
    }
}

using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>Offboards a person: employment ends on the given day and the gate revokes every grant at once. A dry run shows
/// what it would revoke before the representative confirms.</summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record TerminatePerson(Guid PersonId, DateOnly EffectiveOn, bool DryRun = false) : ICommand<PersonChangeResult>, ICanDryRun;

public sealed class TerminatePersonValidator : AbstractValidator<TerminatePerson>
{
    public TerminatePersonValidator() => RuleFor(c => c.PersonId).NotEmpty();
}

internal sealed class TerminatePersonHandler : ICommandHandler<TerminatePerson, PersonChangeResult>
{
    public async Task<Outcome<PersonChangeResult>> HandleAsync(TerminatePerson command, CommandContext context, CancellationToken ct)
    {
        var person = await context.Db.People.VisibleTo(context.Actor).SingleOrDefaultAsync(p => p.Id == command.PersonId, ct);
        if (person is null)
        {
            return Outcome<PersonChangeResult>.NotFound("The person");
        }
        if (person.EmploymentStatus == EmploymentStatus.Terminated)
        {
            return Outcome<PersonChangeResult>.Conflict($"The person was already offboarded on {person.TerminatedOn:yyyy-MM-dd}.");
        }
        person.Terminate(command.EffectiveOn);
        context.Db.FactsEffectiveOn = command.EffectiveOn;
        var db = context.Db;
        return Outcome<PersonChangeResult>.OkAfterSave(() => new PersonChangeResult(person.Id, db.Consequences.ToView()));
    }
}

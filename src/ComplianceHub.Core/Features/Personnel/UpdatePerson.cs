using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>Replaces a person's record (API.md <c>PUT /personnel/{id}</c>): every changed fact is recorded with its history and its
/// consequences (suspended grants, findings). <paramref name="Version"/> is the version read; a stale one is a conflict (409).
/// With <paramref name="DryRun"/> the change runs through the gate and is rolled back: the edit form's "this will suspend 2 grants".</summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record UpdatePerson(Guid PersonId, string Version, PersonFields Fields, DateOnly? EffectiveOn = null, bool DryRun = false)
    : ICommand<PersonSaved>, ICanDryRun;

public sealed class UpdatePersonValidator : AbstractValidator<UpdatePerson>
{
    public UpdatePersonValidator()
    {
        RuleFor(c => c.PersonId).NotEmpty();
        RuleFor(c => c.Version).NotEmpty().Must(v => uint.TryParse(v, out _)).WithMessage("Send the version you read.");
        RuleFor(c => c.Fields).NotNull().SetValidator(new PersonFieldsValidator()).OverridePropertyName("");
    }
}

internal sealed class UpdatePersonHandler : ICommandHandler<UpdatePerson, PersonSaved>
{
    public async Task<Outcome<PersonSaved>> HandleAsync(UpdatePerson command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var person = await db.People.VisibleTo(context.Actor).SingleOrDefaultAsync(p => p.Id == command.PersonId, ct);
        if (person is null)
        {
            return Outcome<PersonSaved>.NotFound("The person");
        }
        var version = uint.Parse(command.Version, System.Globalization.CultureInfo.InvariantCulture);
        if (person.Version != version)
        {
            return Outcome<PersonSaved>.Conflict("Someone else changed this person since you read them; reload and try again.");
        }
        if (person.EmploymentStatus == EmploymentStatus.Terminated)
        {
            return Outcome<PersonSaved>.Conflict("The person's employment has ended; their record is kept as it was.");
        }
        if (await PersonFieldsMapping.DuplicateEmployeeIdAsync(db, person.VendorId, command.Fields.EmployeeId, person.Id, ct) is { } duplicate)
        {
            return Outcome<PersonSaved>.Invalid(duplicate);
        }
        // The database checks the version again at commit (xmin), so a change between this read and the save is a 409 too.
        db.Entry(person).Property(p => p.Version).OriginalValue = version;
        PersonFieldsMapping.Apply(person, command.Fields);
        db.FactsEffectiveOn = command.EffectiveOn ?? context.Today;
        return Outcome<PersonSaved>.OkAfterSave(() => new PersonSaved(PersonView.From(person), db.Consequences.ToView()));
    }
}

using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Personnel;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>Adds a person to a vendor's roster (API.md <c>POST /vendors/{vendorId}/personnel</c>). The new person is screened and
/// their facts recorded with their history; a representative adds only to their own vendor.</summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record AddPerson(Guid VendorId, PersonFields Fields, bool DryRun = false) : ICommand<PersonSaved>, ICanDryRun;

public sealed class AddPersonValidator : AbstractValidator<AddPerson>
{
    public AddPersonValidator()
    {
        RuleFor(c => c.VendorId).NotEmpty();
        RuleFor(c => c.Fields).NotNull().SetValidator(new PersonFieldsValidator()).OverridePropertyName("");
    }
}

internal sealed class AddPersonHandler : ICommandHandler<AddPerson, PersonSaved>
{
    public async Task<Outcome<PersonSaved>> HandleAsync(AddPerson command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var vendorVisible = context.Actor.Sees(command.VendorId);
        if (!vendorVisible || !await db.Vendors.AnyAsync(v => v.Id == command.VendorId, ct))
        {
            return Outcome<PersonSaved>.NotFound("The vendor");
        }
        var f = command.Fields;
        if (await PersonFieldsMapping.DuplicateEmployeeIdAsync(db, command.VendorId, f.EmployeeId, null, ct) is { } duplicate)
        {
            return Outcome<PersonSaved>.Invalid(duplicate);
        }
        var person = new Person(Guid.CreateVersion7(), command.VendorId, f.EmployeeId.Trim(), f.FullName.Trim(), f.Email.Trim(), f.EmployerType,
            f.Citizenships, f.CountryOfBirth, f.UsLawfulPermanentResident, f.WorkLocation.Country, f.WorkLocation.City.Trim());
        PersonFieldsMapping.Apply(person, f);
        db.People.Add(person);
        return Outcome<PersonSaved>.OkAfterSave(() => new PersonSaved(PersonView.From(person), db.Consequences.ToView()));
    }
}

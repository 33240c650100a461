using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Reference;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>Where a person physically works.</summary>
public sealed record WorkLocation(string Country, string City);

/// <summary>Everything a roster keeps about a person (API.md "Person", without id, vendor and version).</summary>
public sealed record PersonFields(
    string EmployeeId,
    string FullName,
    string Email,
    EmployerType EmployerType,
    IReadOnlyList<string> Citizenships,
    string CountryOfBirth,
    bool UsLawfulPermanentResident,
    WorkLocation WorkLocation,
    InvestigationTier InvestigationTier = InvestigationTier.None,
    DateOnly? AdjudicatedOn = null,
    bool ContinuousVetting = false,
    Clearance Clearance = Clearance.None,
    DateOnly? NdaSignedOn = null,
    EscortQualification EscortQualification = EscortQualification.None,
    DateOnly? EscortTrainingOn = null);

/// <summary>A person as the API shows it (API.md "Person"); <c>Version</c> is sent back with an update.</summary>
public sealed record PersonView(Guid Id, Guid VendorId, string Version, string FullName, string Email, string EmployeeId, EmployerType EmployerType,
    IReadOnlyList<string> Citizenships, string CountryOfBirth, bool UsLawfulPermanentResident, WorkLocation WorkLocation,
    InvestigationTier InvestigationTier, DateOnly? AdjudicatedOn, bool ContinuousVetting, Clearance Clearance, DateOnly? NdaSignedOn,
    EscortQualification EscortQualification, DateOnly? EscortTrainingOn, EmploymentStatus EmploymentStatus, DateOnly? TerminatedOn,
    DateOnly? LocationAttestedOn, ScreeningStatus ScreeningStatus)
{
    public static PersonView From(Person p) => new(p.Id, p.VendorId, p.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        p.FullName, p.Email, p.EmployeeId, p.EmployerType, p.Citizenships, p.CountryOfBirth, p.UsLawfulPermanentResident,
        new WorkLocation(p.WorkCountry, p.WorkCity), p.InvestigationTier, p.AdjudicatedOn, p.ContinuousVetting, p.Clearance, p.NdaSignedOn,
        p.EscortQualification, p.EscortTrainingOn, p.EmploymentStatus, p.TerminatedOn, p.LocationAttestedOn, p.ScreeningStatus);
}

/// <summary>A person and what saving them caused.</summary>
public sealed record PersonSaved(PersonView Person, ConsequencesView Consequences);

/// <summary>Adds a person to a vendor's roster (API.md <c>POST /vendors/{vendorId}/personnel</c>). The new person is screened and
/// their facts recorded with their history; a representative adds only to their own vendor.</summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record AddPerson(Guid VendorId, PersonFields Fields, bool DryRun = false) : ICommand<PersonSaved>, ICanDryRun;

/// <summary>Replaces a person's record (API.md <c>PUT /personnel/{id}</c>): every changed fact is recorded with its history and its
/// consequences (suspended grants, findings). <paramref name="Version"/> is the version read; a stale one is a conflict (409).
/// With <paramref name="DryRun"/> the change runs through the gate and is rolled back: the edit form's "this will suspend 2 grants".</summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record UpdatePerson(Guid PersonId, string Version, PersonFields Fields, DateOnly? EffectiveOn = null, bool DryRun = false)
    : ICommand<PersonSaved>, ICanDryRun;

/// <summary>The checks every person record passes, wherever it comes from (API, pages, roster import).</summary>
public sealed class PersonFieldsValidator : AbstractValidator<PersonFields>
{
    public PersonFieldsValidator()
    {
        RuleFor(p => p.EmployeeId).NotEmpty().MaximumLength(64);
        RuleFor(p => p.FullName).NotEmpty().MaximumLength(200);
        RuleFor(p => p.Email).NotEmpty().MaximumLength(256).EmailAddress();
        RuleFor(p => p.EmployerType).IsInEnum();
        RuleFor(p => p.Citizenships).NotEmpty().WithMessage("A person has at least one citizenship.");
        RuleForEach(p => p.Citizenships).Must(Iso3166.IsKnown!).WithMessage((_, c) => $"'{c}' is not an ISO 3166-1 alpha-2 country code.");
        RuleFor(p => p.CountryOfBirth).Must(Iso3166.IsKnown!).WithMessage(p => $"'{p.CountryOfBirth}' is not an ISO 3166-1 alpha-2 country code.");
        RuleFor(p => p.WorkLocation).NotNull();
        RuleFor(p => p.WorkLocation.Country).Must(Iso3166.IsKnown!).When(p => p.WorkLocation is not null)
            .WithMessage(p => $"'{p.WorkLocation.Country}' is not an ISO 3166-1 alpha-2 country code.");
        RuleFor(p => p.WorkLocation.City).NotEmpty().MaximumLength(100).When(p => p.WorkLocation is not null);
        RuleFor(p => p.InvestigationTier).IsInEnum();
        RuleFor(p => p.AdjudicatedOn).NotNull().When(p => p.InvestigationTier != InvestigationTier.None)
            .WithMessage("Give the adjudication date of the investigation.");
        RuleFor(p => p.Clearance).IsInEnum();
        RuleFor(p => p.EscortQualification).IsInEnum();
        RuleFor(p => p.EscortTrainingOn).NotNull().When(p => p.EscortQualification != EscortQualification.None)
            .WithMessage("Give the date of the escort training.");
    }
}

public sealed class AddPersonValidator : AbstractValidator<AddPerson>
{
    public AddPersonValidator()
    {
        RuleFor(c => c.VendorId).NotEmpty();
        RuleFor(c => c.Fields).NotNull().SetValidator(new PersonFieldsValidator()).OverridePropertyName("");
    }
}

public sealed class UpdatePersonValidator : AbstractValidator<UpdatePerson>
{
    public UpdatePersonValidator()
    {
        RuleFor(c => c.PersonId).NotEmpty();
        RuleFor(c => c.Version).NotEmpty().Must(v => uint.TryParse(v, out _)).WithMessage("Send the version you read.");
        RuleFor(c => c.Fields).NotNull().SetValidator(new PersonFieldsValidator()).OverridePropertyName("");
    }
}

internal static class PersonFieldsMapping
{
    public static void Apply(Person person, PersonFields f)
    {
        person.Rename(f.FullName.Trim(), f.Email.Trim(), f.EmployeeId.Trim(), f.EmployerType);
        person.SetNationality(f.Citizenships, f.CountryOfBirth, f.UsLawfulPermanentResident);
        person.MoveTo(f.WorkLocation.Country, f.WorkLocation.City.Trim());
        person.WithVetting(f.InvestigationTier, f.InvestigationTier == InvestigationTier.None ? null : f.AdjudicatedOn, f.ContinuousVetting,
                f.Clearance, f.NdaSignedOn)
            .WithEscortQualification(f.EscortQualification, f.EscortTrainingOn);
    }

    public static async Task<Dictionary<string, string[]>?> DuplicateEmployeeIdAsync(ComplianceDbContext db, Guid vendorId, string employeeId,
        Guid? except, CancellationToken ct) =>
        await db.People.AnyAsync(p => p.VendorId == vendorId && p.EmployeeId == employeeId.Trim() && p.Id != except, ct)
            ? new Dictionary<string, string[]> { ["EmployeeId"] = [$"Employee id {employeeId} is already on this vendor's roster."] }
            : null;
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

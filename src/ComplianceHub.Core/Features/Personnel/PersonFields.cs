using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Gate;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>The one check of a citizenship code, for every form, import and API that takes citizenships.</summary>
public static class CitizenshipRules
{
    /// <summary>
    /// A known ISO 3166-1 alpha-2 code that is a nationality: a US territory whose births are US citizens is refused with
    /// the explanation of <see cref="UsNationality.NotANationality"/> rather than read as a foreign country.
    /// </summary>
    public static IRuleBuilderOptions<T, string> Citizenship<T>(this IRuleBuilder<T, string> rule) => rule
        .Must(Iso3166.IsKnown!).WithMessage((_, code) => NotACode(code))
        .Must(code => UsNationality.NotANationality(code) is null).WithMessage((_, code) => UsNationality.NotANationality(code)!);

    /// <summary>"Choose a country from the list: UK is not a country code — did you mean United Kingdom (GB)?" when the text names a country.</summary>
    public static string NotACode(string? code) => CountrySearch.Resolve(code) is { } meant
        ? $"Choose a country from the list: {code} is not a country code — did you mean {Common.Words.Country(meant)}?"
        : $"Choose a country from the list: {code} is not a known country code.";
}

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
        RuleForEach(p => p.Citizenships).Citizenship();
        RuleFor(p => p.CountryOfBirth).Must(Iso3166.IsKnown!).WithMessage(p => $"Choose a country from the list: {p.CountryOfBirth} is not a known country code.");
        RuleFor(p => p.WorkLocation).NotNull();
        RuleFor(p => p.WorkLocation.Country).Must(Iso3166.IsKnown!).When(p => p.WorkLocation is not null)
            .WithMessage(p => $"Choose a country from the list: {p.WorkLocation.Country} is not a known country code.");
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

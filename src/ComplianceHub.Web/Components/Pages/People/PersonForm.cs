using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Personnel;

namespace ComplianceHub.Web.Components.Pages.People;

/// <summary>What the add/edit dialog closes with: the person saved and the sentence to show.</summary>
public sealed record PersonEditResult(Guid PersonId, string Message);

/// <summary>The add/edit person form's state, turned into the <see cref="PersonFields"/> every write path validates.</summary>
public sealed class PersonForm
{
    public string? EmployeeId { get; set; }
    public string? FullName { get; set; }
    public string? Email { get; set; }
    public EmployerType EmployerType { get; set; } = EmployerType.VendorEmployee;
    public List<string> Citizenships { get; set; } = [];
    public string? CountryOfBirth { get; set; }
    public bool Lpr { get; set; }
    public string? WorkCountry { get; set; }
    public string? WorkCity { get; set; }
    public InvestigationTier Tier { get; set; }
    public DateTime? AdjudicatedOn { get; set; }
    public bool ContinuousVetting { get; set; }
    public Clearance Clearance { get; set; }
    public DateTime? NdaSignedOn { get; set; }
    public EscortQualification EscortQualification { get; set; }
    public DateTime? EscortTrainingOn { get; set; }

    /// <summary>Enough is filled in for the rules to say something about a new person.</summary>
    /// <summary>What a new person still lacks before the rules are asked, as a sentence; null when filled in.</summary>
    public string? Missing()
    {
        var parts = new List<string>();
        if (string.IsNullOrWhiteSpace(EmployeeId)) { parts.Add("the employee id"); }
        if (string.IsNullOrWhiteSpace(FullName)) { parts.Add("the full name"); }
        if (Citizenships.Count == 0) { parts.Add("a citizenship"); }
        if (string.IsNullOrWhiteSpace(WorkCountry)) { parts.Add("the work-location country"); }
        if (string.IsNullOrWhiteSpace(WorkCity)) { parts.Add("the city or site"); }
        return parts.Count == 0 ? null
            : $"Give {string.Join(", ", parts.Take(parts.Count - 1))}{(parts.Count > 1 ? " and " : "")}{parts[^1]} to continue.";
    }

    public bool IsFilledIn => !string.IsNullOrWhiteSpace(EmployeeId) && !string.IsNullOrWhiteSpace(FullName) && Citizenships.Count > 0
                              && !string.IsNullOrWhiteSpace(WorkCountry) && !string.IsNullOrWhiteSpace(WorkCity);

    public static PersonForm From(PersonView p) => new()
    {
        EmployeeId = p.EmployeeId, FullName = p.FullName, Email = p.Email, EmployerType = p.EmployerType,
        Citizenships = p.Citizenships.Order(StringComparer.Ordinal).ToList(), CountryOfBirth = p.CountryOfBirth, Lpr = p.UsLawfulPermanentResident,
        WorkCountry = p.WorkLocation.Country, WorkCity = p.WorkLocation.City, Tier = p.InvestigationTier, AdjudicatedOn = Date(p.AdjudicatedOn),
        ContinuousVetting = p.ContinuousVetting, Clearance = p.Clearance, NdaSignedOn = Date(p.NdaSignedOn),
        EscortQualification = p.EscortQualification, EscortTrainingOn = Date(p.EscortTrainingOn),
    };

    public PersonFields ToFields() => new(
        (EmployeeId ?? "").Trim(), (FullName ?? "").Trim(), (Email ?? "").Trim(), EmployerType, Citizenships.ToList(), CountryOfBirth ?? "", Lpr,
        new WorkLocation(WorkCountry ?? "", (WorkCity ?? "").Trim()), Tier, Tier == InvestigationTier.None ? null : Date(AdjudicatedOn), ContinuousVetting,
        Clearance, Date(NdaSignedOn), EscortQualification, EscortQualification == EscortQualification.None ? null : Date(EscortTrainingOn));

    /// <summary>True when saving would change nothing of <paramref name="p"/>.</summary>
    public bool SameAs(PersonView p) => ToFields() is var f
        && f.EmployeeId == p.EmployeeId && f.FullName == p.FullName && f.Email == p.Email && f.EmployerType == p.EmployerType
        && f.Citizenships.Order(StringComparer.Ordinal).SequenceEqual(p.Citizenships.Order(StringComparer.Ordinal))
        && f.CountryOfBirth == p.CountryOfBirth && f.UsLawfulPermanentResident == p.UsLawfulPermanentResident && f.WorkLocation == p.WorkLocation
        && f.InvestigationTier == p.InvestigationTier && f.AdjudicatedOn == p.AdjudicatedOn && f.ContinuousVetting == p.ContinuousVetting
        && f.Clearance == p.Clearance && f.NdaSignedOn == p.NdaSignedOn && f.EscortQualification == p.EscortQualification
        && f.EscortTrainingOn == p.EscortTrainingOn;

    private static DateTime? Date(DateOnly? d) => d?.ToDateTime(TimeOnly.MinValue);

    private static DateOnly? Date(DateTime? d) => d is { } v ? DateOnly.FromDateTime(v) : null;
}

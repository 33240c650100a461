namespace ComplianceHub.Core.Domain.Personnel;

/// <summary>
/// A vendor's staff member and the facts the rules look at. Citizenships are a set of ISO 3166-1 alpha-2
/// codes, never a single "US person" flag. Every change of a fact is kept in <see cref="PersonFactChange"/> (written
/// by the gate) with its effective date, source and actor.
/// </summary>
public sealed class Person
{
    private Person() { }

    public Person(Guid id, Guid vendorId, string employeeId, string fullName, string email, EmployerType employerType,
        IEnumerable<string> citizenships, string countryOfBirth, bool usLawfulPermanentResident,
        string workCountry, string workCity)
    {
        var set = citizenships.Select(c => c.ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        if (set.Count == 0)
        {
            throw new ArgumentException("A person has at least one citizenship.", nameof(citizenships));
        }

        Id = id;
        VendorId = vendorId;
        EmployeeId = employeeId;
        FullName = fullName;
        Email = email;
        EmployerType = employerType;
        Citizenships = set;
        CountryOfBirth = countryOfBirth.ToUpperInvariant();
        UsLawfulPermanentResident = usLawfulPermanentResident;
        WorkCountry = workCountry.ToUpperInvariant();
        WorkCity = workCity;
        EmploymentStatus = EmploymentStatus.Active;
    }

    public Guid Id { get; private set; }
    public Guid VendorId { get; private set; }

    /// <summary>The vendor's own key for the person; unique within the vendor.</summary>
    public string EmployeeId { get; private set; } = "";
    public string FullName { get; private set; } = "";
    public string Email { get; private set; } = "";
    public EmployerType EmployerType { get; private set; }

    /// <summary>Every citizenship held, as ISO 3166-1 alpha-2 codes, sorted and distinct.</summary>
    public List<string> Citizenships { get; private set; } = [];
    public string CountryOfBirth { get; private set; } = "";
    public bool UsLawfulPermanentResident { get; private set; }

    /// <summary>Country of the current physical work location (ISO 3166-1 alpha-2).</summary>
    public string WorkCountry { get; private set; } = "";
    public string WorkCity { get; private set; } = "";
    public InvestigationTier InvestigationTier { get; private set; }
    public DateOnly? AdjudicatedOn { get; private set; }
    public bool ContinuousVetting { get; private set; }
    public Clearance Clearance { get; private set; }
    public DateOnly? NdaSignedOn { get; private set; }
    public EscortQualification EscortQualification { get; private set; }
    public DateOnly? EscortTrainingOn { get; private set; }
    public EmploymentStatus EmploymentStatus { get; private set; }
    public DateOnly? TerminatedOn { get; private set; }

    /// <summary>When the work location and citizenships were last attested by the vendor.</summary>
    public DateOnly? LocationAttestedOn { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL xmin): the API's <c>version</c>.</summary>
    public uint Version { get; private set; }

    /// <summary>Where the person stands against the restricted-party list (set by screening, never by hand).</summary>
    public ScreeningStatus ScreeningStatus { get; private set; }

    /// <summary>The listed party behind a potential or confirmed match, e.g. "SDN:36541 PETROV, Ivan (0.96, list v2)".</summary>
    public string? ScreeningMatch { get; private set; }

    /// <summary>A US citizen, a US national or a US lawful permanent resident (<see cref="Reference.UsNationality"/>).</summary>
    public bool IsUsPerson => Reference.UsNationality.IsNational(Citizenships, CountryOfBirth) || UsLawfulPermanentResident;

    /// <summary>Records vetting facts (investigation, clearance, NDA).</summary>
    public Person WithVetting(InvestigationTier tier, DateOnly? adjudicatedOn, bool continuousVetting,
        Clearance clearance, DateOnly? ndaSignedOn)
    {
        InvestigationTier = tier;
        AdjudicatedOn = adjudicatedOn;
        ContinuousVetting = continuousVetting;
        Clearance = clearance;
        NdaSignedOn = ndaSignedOn;
        return this;
    }

    /// <summary>Records that the vendor attested the current work location and citizenships on <paramref name="on"/>.</summary>
    public Person WithAttestation(DateOnly on)
    {
        LocationAttestedOn = on;
        return this;
    }

    /// <summary>Records the outcome of screening the person's name against the restricted-party list.</summary>
    public void RecordScreening(ScreeningStatus status, string? match)
    {
        ScreeningStatus = status;
        ScreeningMatch = status == ScreeningStatus.Clear ? null : match;
    }

    /// <summary>Records a new work location (a fact: always recorded; the gate applies its consequences).</summary>
    public void MoveTo(string country, string city)
    {
        WorkCountry = country.ToUpperInvariant();
        WorkCity = city;
    }

    /// <summary>Records the full set of citizenships, the country of birth and permanent residence.</summary>
    public void SetNationality(IEnumerable<string> citizenships, string countryOfBirth, bool usLawfulPermanentResident)
    {
        var set = citizenships.Select(c => c.ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        if (set.Count == 0)
        {
            throw new ArgumentException("A person has at least one citizenship.", nameof(citizenships));
        }
        Citizenships = set;
        CountryOfBirth = countryOfBirth.ToUpperInvariant();
        UsLawfulPermanentResident = usLawfulPermanentResident;
    }

    /// <summary>Ends the person's employment on <paramref name="on"/>; the gate revokes every grant.</summary>
    public void Terminate(DateOnly on)
    {
        EmploymentStatus = EmploymentStatus.Terminated;
        TerminatedOn = on;
    }

    /// <summary>Records the person's name and contact details (not facts the rules read; a new name is screened again).</summary>
    public void Rename(string fullName, string email, string employeeId, EmployerType employerType)
    {
        FullName = fullName;
        Email = email;
        EmployeeId = employeeId;
        EmployerType = employerType;
    }

    /// <summary>Records the person's escort qualification and training date.</summary>
    public Person WithEscortQualification(EscortQualification qualification, DateOnly? trainedOn)
    {
        EscortQualification = qualification;
        EscortTrainingOn = qualification == EscortQualification.None ? null : trainedOn;
        return this;
    }
}

using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Reference;

namespace ComplianceHub.Core.Rules;

/// <summary>
/// A person's facts as the rules see them: a snapshot, built from stored or proposed values, with no database behind it.
/// Citizenships are a set; "US person" is derived, never stored.
/// </summary>
public sealed record PersonFacts(
    Guid Id,
    IReadOnlySet<string> Citizenships,
    string CountryOfBirth,
    bool UsLawfulPermanentResident,
    string WorkCountry,
    InvestigationTier InvestigationTier,
    DateOnly? AdjudicatedOn,
    bool ContinuousVetting,
    Clearance Clearance,
    DateOnly? NdaSignedOn,
    EscortQualification EscortQualification,
    EmploymentStatus EmploymentStatus,
    DateOnly? LocationAttestedOn,
    ScreeningStatus ScreeningStatus = ScreeningStatus.Clear,
    string? ScreeningMatch = null)
{
    /// <summary>Holding US citizenship, or born in a territory whose births are US citizens (<see cref="UsNationality"/>).</summary>
    public bool IsUsCitizen => UsNationality.IsCitizen(Citizenships, CountryOfBirth);

    /// <summary>A US citizen, a US national (American Samoa) or a US lawful permanent resident (22 CFR 120.62).</summary>
    public bool IsUsPerson => UsNationality.IsNational(Citizenships, CountryOfBirth) || UsLawfulPermanentResident;

    /// <summary>Citizenships as the facts show them: "US, CN".</summary>
    public string CitizenshipList => string.Join(", ", Citizenships.Order(StringComparer.Ordinal));
}

/// <summary>The system side of a grant.</summary>
public sealed record SystemFacts(Guid Id, string Name, ImpactLevel ImpactLevel)
{
    /// <summary>IL4, IL5 or IL6.</summary>
    public bool IsIl4OrAbove => ImpactLevel is ImpactLevel.IL4 or ImpactLevel.IL5 or ImpactLevel.IL6;
}

/// <summary>An escort assignment as seen from the supervised person's grant.</summary>
public sealed record EscortCoverage(Guid AssignmentId, PersonFacts Escort, Guid SystemId, DateOnly StartsOn, DateOnly EndsOn, bool Active);

/// <summary>A grant (existing or requested) of one person to one system.</summary>
public sealed record GrantFacts(
    Guid Id,
    AccessType AccessType,
    bool Escorted,
    DateOnly StartsOn,
    DateOnly? EndsOn,
    string? Justification,
    GrantStatus Status);

/// <summary>
/// What the grant rules evaluate: a person, a system, a grant and the escort assignments that may cover it — and, when a rule on
/// access-log evidence is on, where the person's access actually came from (<see cref="Evidence"/>; null when no such rule runs).
/// </summary>
public sealed record GrantSubject(PersonFacts Person, SystemFacts System, GrantFacts Grant, IReadOnlyList<EscortCoverage> Escorts,
    AccessEvidence? Evidence = null);

/// <summary>
/// One access-log line as a rule names it in its facts: when, from which address, the country the geolocation database gave,
/// on which system, and which line of which imported file, looked up in which database.
/// </summary>
public sealed record EvidenceLine(DateTimeOffset At, string Address, string? Country, string System, int Line, string File, string Database)
{
    /// <summary>"2026-12-03 08:14 UTC from 114.114.114.114 (China (CN)) on Atlas, line 12 of signins.json; geo-whois-asn-country …".</summary>
    public string Describe() =>
        $"{At.UtcDateTime:yyyy-MM-dd HH:mm} UTC from {Address}{(Country is null ? "" : $" ({Common.Words.Country(Country)})")} on {System}, line {Line} of {File}; located with {Database}";
}

/// <summary>Successful sign-ins from one country, per UTC day, and the latest of them.</summary>
public sealed record CountryEvidence(string Country, IReadOnlyList<DailyCount> Days, EvidenceLine Latest)
{
    /// <summary>Sign-ins on <paramref name="from"/> or later.</summary>
    public int SignInsSince(DateOnly from)
    {
        var n = 0;
        foreach (var d in Days)
        {
            if (d.Day >= from)
            {
                n += d.Count;
            }
        }
        return n;
    }
}

/// <summary>How many events fell on one UTC day.</summary>
public readonly record struct DailyCount(DateOnly Day, int Count);

/// <summary>Successful access to one system that no escorted session of the person covers, per UTC day, and the latest of it.</summary>
public sealed record UncoveredAccess(Guid SystemId, IReadOnlyList<DailyCount> Days, EvidenceLine Latest)
{
    public int Since(DateOnly from) => Days.Where(d => d.Day >= from).Sum(d => d.Count);
}

/// <summary>
/// Where a person's access came from, as the imported access logs show it (issue 25): successful sign-ins per country (known
/// egress ranges and unknown locations left out), and access without an escorted session per system. Loaded for the longest
/// window any evaluated policy asks; each rule counts its own window.
/// </summary>
public sealed record AccessEvidence(IReadOnlyList<CountryEvidence> Countries, IReadOnlyList<UncoveredAccess> WithoutSession)
{
    public static AccessEvidence None { get; } = new([], []);
}

/// <summary>What the escort rules evaluate: one escort supervising one person on one system for a period.</summary>
/// <param name="AssignmentId">The assignment (existing or proposed).</param>
/// <param name="Escort">The supervising person.</param>
/// <param name="Supervised">The supervised person.</param>
/// <param name="System">The system the work is on.</param>
/// <param name="StartsOn">First day of the assignment.</param>
/// <param name="EndsOn">Last day of the assignment.</param>
/// <param name="ConcurrentlySupervised">How many people the escort would supervise at once, this assignment included.</param>
/// <param name="RequiredAccessType">The most demanding access type of the supervised person's grants on the system.</param>
public sealed record EscortSubject(
    Guid AssignmentId,
    PersonFacts Escort,
    PersonFacts Supervised,
    SystemFacts System,
    DateOnly StartsOn,
    DateOnly EndsOn,
    int ConcurrentlySupervised,
    AccessType RequiredAccessType);

/// <summary>What the session rule evaluates: when a supervised session ended and when (if ever) the escort signed it off.</summary>
public sealed record SessionSubject(Guid SessionId, DateTimeOffset EndedAt, DateTimeOffset? SignedOffAt);

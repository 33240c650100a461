using System.Text.Json;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Systems;

namespace ComplianceHub.Core.Rules;

/// <summary>
/// What the rules see of the domain's entities. It lives with the rules because the rules use the domain and the domain
/// uses no rules (checked by <c>BoundaryTests.Domain_UsesNoRules</c>).
/// </summary>
public static class DomainFacts
{
    /// <summary>The facts the rules see.</summary>
    public static PersonFacts ToFacts(this Person person) => new(person.Id, person.Citizenships.ToHashSet(StringComparer.Ordinal),
        person.CountryOfBirth, person.UsLawfulPermanentResident, person.WorkCountry, person.InvestigationTier, person.AdjudicatedOn,
        person.ContinuousVetting, person.Clearance, person.NdaSignedOn, person.EscortQualification, person.EmploymentStatus,
        person.LocationAttestedOn, person.ScreeningStatus, person.ScreeningMatch);

    /// <summary>
    /// A person's facts as the rules see them on a past day: each fact from the history as of that day, and — for a fact the
    /// history does not yet hold that day — the person's stored value.
    /// </summary>
    public static PersonFacts FactsThen(this Person person, IReadOnlyDictionary<string, JsonElement?> then)
    {
        var now = person.ToFacts();
        T Fact<T>(string name, T current) =>
            then.TryGetValue(name, out var value) ? value is { } v && v.ValueKind != JsonValueKind.Null ? v.Deserialize<T>(FactHistory.FactJson)! : default! : current;
        return new PersonFacts(person.Id,
            Fact<List<string>>("citizenships", [.. now.Citizenships]).ToHashSet(StringComparer.Ordinal),
            Fact("countryOfBirth", now.CountryOfBirth),
            Fact("usLawfulPermanentResident", now.UsLawfulPermanentResident),
            Fact("workCountry", now.WorkCountry),
            Fact("investigationTier", now.InvestigationTier),
            Fact("adjudicatedOn", now.AdjudicatedOn),
            Fact("continuousVetting", now.ContinuousVetting),
            Fact("clearance", now.Clearance),
            Fact("ndaSignedOn", now.NdaSignedOn),
            Fact("escortQualification", now.EscortQualification),
            Fact("employmentStatus", now.EmploymentStatus),
            Fact("locationAttestedOn", now.LocationAttestedOn),
            Fact("screeningStatus", now.ScreeningStatus),
            Fact("screeningMatch", now.ScreeningMatch));
    }

    /// <summary>The facts the rules see.</summary>
    public static SystemFacts ToFacts(this CloudSystem system) => new(system.Id, system.Name, system.ImpactLevel);

    /// <summary>The facts the rules see.</summary>
    public static GrantFacts ToFacts(this AccessGrant grant) =>
        new(grant.Id, grant.AccessType, grant.Escorted, grant.StartsOn, grant.EndsOn, grant.Justification, grant.Status);

    /// <summary>The session as the rules see it.</summary>
    public static SessionSubject ToSubject(this EscortedSession session) => new(session.Id, session.EndedAt, session.SignedOffAt);

    /// <summary>The finding this failing rule opens.</summary>
    public static Finding OpenFinding(this RuleOutcome outcome, Guid personId, Guid vendorId, DateTimeOffset at, DateOnly dueOn) =>
        Finding.Open(outcome.RuleId, outcome.Severity, outcome.SubjectType, outcome.SubjectId, outcome.Message, outcome.Facts, outcome.Citation,
            outcome.PolicyVersion, personId, vendorId, at, dueOn);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Domain.Personnel;

/// <summary>A person's facts on a past day, rebuilt from the effective-dated fact history (<see cref="PersonFactChange"/>).</summary>
public static class FactHistory
{
    private static readonly JsonSerializerOptions FactJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Each fact's value on <paramref name="day"/>: the latest change effective on or before that day (for equal effective
    /// dates, the one recorded last). Facts with no change yet effective are absent.
    /// </summary>
    public static Dictionary<string, JsonElement?> AsOf(IEnumerable<PersonFactChange> changes, DateOnly day) =>
        changes.Where(c => c.EffectiveOn <= day)
            .GroupBy(c => c.Attribute)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.EffectiveOn).ThenBy(c => c.RecordedAt).Last().Value is { } value
                ? JsonDocument.Parse(value).RootElement.Clone()
                : (JsonElement?)null);

    /// <summary>
    /// A person's facts as the rules see them on a past day: each fact from the history as of that day, and — for a fact the
    /// history does not yet hold that day — the person's stored value.
    /// </summary>
    public static PersonFacts FactsThen(Person person, IReadOnlyDictionary<string, JsonElement?> then)
    {
        var now = person.ToFacts();
        T Fact<T>(string name, T current) =>
            then.TryGetValue(name, out var value) ? value is { } v && v.ValueKind != JsonValueKind.Null ? v.Deserialize<T>(FactJson)! : default! : current;
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
}

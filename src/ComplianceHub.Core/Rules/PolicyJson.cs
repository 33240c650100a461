using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComplianceHub.Core.Rules;

/// <summary>
/// Policy parameters as JSON, in the API's shape (API.md "Policy parameters"). Deterministic: sets and rule ids are
/// written in sorted order, so equal parameters give equal text (stored in <c>policy_versions.parameters</c>).
/// </summary>
public static class PolicyJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    private sealed record Dto(
        SortedDictionary<string, string[]> CountrySets,
        AttestationDays AttestationDays,
        int EscortMaxSupervised,
        int MaxGrantDays,
        int VettingMaxAgeYears,
        FindingDueDays FindingDueDays,
        int SessionSignOffHours,
        SortedDictionary<string, RuleSetting> Rules,
        ScreeningSettings? Screening = null,
        EvidenceSettings? Evidence = null);

    public static string Serialize(PolicyParameters p) => JsonSerializer.Serialize(new Dto(
        new SortedDictionary<string, string[]>(p.CountrySets.ToDictionary(s => s.Key, s => s.Value.Order(StringComparer.Ordinal).ToArray()), StringComparer.Ordinal),
        p.AttestationDays, p.EscortMaxSupervised, p.MaxGrantDays, p.VettingMaxAgeYears, p.FindingDueDays, p.SessionSignOffHours,
        new SortedDictionary<string, RuleSetting>(p.Rules.ToDictionary(r => r.Key, r => r.Value), StringComparer.Ordinal), p.ScreeningSettings, p.EvidenceSettings), Options);

    public static PolicyParameters Deserialize(string json)
    {
        var dto = JsonSerializer.Deserialize<Dto>(json, Options) ?? throw new JsonException("Empty policy parameters.");
        return new PolicyParameters(
            dto.CountrySets.ToDictionary(s => s.Key, s => (IReadOnlySet<string>)s.Value.ToHashSet(StringComparer.Ordinal)),
            dto.AttestationDays, dto.EscortMaxSupervised, dto.MaxGrantDays, dto.VettingMaxAgeYears, dto.FindingDueDays, dto.SessionSignOffHours,
            dto.Rules.ToDictionary(r => r.Key, r => r.Value), dto.Screening, dto.Evidence);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComplianceHub.Core.Domain.Personnel;

/// <summary>A person's facts on a past day, rebuilt from the effective-dated fact history (<see cref="PersonFactChange"/>).</summary>
public static class FactHistory
{
    internal static readonly JsonSerializerOptions FactJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

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
}

using System.Text.Json;

namespace ComplianceHub.Core.Domain.Personnel;

/// <summary>
/// One recorded change of a person's facts: every attribute the change set (all of them when the person is new), as one
/// JSON object of attribute → new value, with the day it took effect, its source, who recorded it and when. Append-only:
/// rows are inserted by the gate and never updated or deleted (the application role may only insert and read them).
/// A new person is one row, not one per attribute; <see cref="PersonFactChange"/> is the per-attribute reading of it.
/// </summary>
public sealed class PersonFactRecord
{
    private static readonly JsonSerializerOptions SourceJson = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private PersonFactRecord() { }

    /// <summary>A record of <paramref name="facts"/> from <paramref name="source"/>, except those <paramref name="sources"/> names another source for.</summary>
    public PersonFactRecord(Guid personId, string facts, DateOnly effectiveOn, FactSource source, Guid? recordedBy, string recordedByName,
        DateTimeOffset recordedAt, string? sources = null)
    {
        Sources = sources;
        Id = Guid.CreateVersion7();
        PersonId = personId;
        Facts = facts;
        EffectiveOn = effectiveOn;
        Source = source;
        RecordedBy = recordedBy;
        RecordedByName = recordedByName;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }
    public Guid PersonId { get; private set; }

    /// <summary>The attributes that changed, in the API's camelCase, each with its new value (JSON null when cleared).</summary>
    public string Facts { get; private set; } = "{}";
    public DateOnly EffectiveOn { get; private set; }
    public FactSource Source { get; private set; }

    /// <summary>
    /// The attributes of this change whose source is not <see cref="Source"/>, each with its own (a JSON object of attribute →
    /// source name, e.g. a new person's screening result, which comes from screening); null when every fact has the one source.
    /// </summary>
    public string? Sources { get; private set; }
    public Guid? RecordedBy { get; private set; }
    public string RecordedByName { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>The record read attribute by attribute, as the <c>person_fact_changes</c> view reads it.</summary>
    public IEnumerable<PersonFactChange> Changes()
    {
        using var document = JsonDocument.Parse(Facts);
        var sources = Sources is null ? null : JsonSerializer.Deserialize<Dictionary<string, FactSource>>(Sources, SourceJson);
        var changes = new List<PersonFactChange>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetRawText();
            var source = sources is not null && sources.TryGetValue(property.Name, out var own) ? own : Source;
            changes.Add(new PersonFactChange(Id, PersonId, property.Name, value, EffectiveOn, source, RecordedBy, RecordedByName, RecordedAt));
        }
        return changes;
    }
}

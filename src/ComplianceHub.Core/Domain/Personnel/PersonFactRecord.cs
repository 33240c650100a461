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
    private PersonFactRecord() { }

    public PersonFactRecord(Guid personId, string facts, DateOnly effectiveOn, FactSource source, Guid? recordedBy, string recordedByName,
        DateTimeOffset recordedAt)
    {
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
    public Guid? RecordedBy { get; private set; }
    public string RecordedByName { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>The record read attribute by attribute, as the <c>person_fact_changes</c> view reads it.</summary>
    public IEnumerable<PersonFactChange> Changes()
    {
        using var document = JsonDocument.Parse(Facts);
        var changes = new List<PersonFactChange>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetRawText();
            changes.Add(new PersonFactChange(Id, PersonId, property.Name, value, EffectiveOn, Source, RecordedBy, RecordedByName, RecordedAt));
        }
        return changes;
    }
}

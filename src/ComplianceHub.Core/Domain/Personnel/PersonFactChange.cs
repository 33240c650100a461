namespace ComplianceHub.Core.Domain.Personnel;

/// <summary>Where a fact about a person came from.</summary>
public enum FactSource { VendorDeclared, OfficerVerified, Imported, Attested, Screening }

/// <summary>
/// One change of one attribute of a person: the new value, the day it took effect, its source and who recorded it.
/// Together these reconstruct a person's facts on any past day. Read-only: the view <c>person_fact_changes</c> spreads
/// each stored <see cref="PersonFactRecord"/> (one row per change, written by the gate) into one row per attribute.
/// </summary>
public sealed class PersonFactChange
{
    private PersonFactChange() { }

    /// <summary>One attribute of a recorded change; <paramref name="id"/> is the record's, shared by its attributes.</summary>
    public PersonFactChange(Guid id, Guid personId, string attribute, string? value, DateOnly effectiveOn, FactSource source,
        Guid? recordedBy, string recordedByName, DateTimeOffset recordedAt)
    {
        Id = id;
        PersonId = personId;
        Attribute = attribute;
        Value = value;
        EffectiveOn = effectiveOn;
        Source = source;
        RecordedBy = recordedBy;
        RecordedByName = recordedByName;
        RecordedAt = recordedAt;
    }

    /// <summary>The id of the recorded change (<see cref="PersonFactRecord.Id"/>); the attributes it set share it.</summary>
    public Guid Id { get; private set; }
    public Guid PersonId { get; private set; }

    /// <summary>The attribute in the API's camelCase (<c>workCountry</c>, <c>citizenships</c>…).</summary>
    public string Attribute { get; private set; } = "";

    /// <summary>The new value as JSON text (null when cleared).</summary>
    public string? Value { get; private set; }
    public DateOnly EffectiveOn { get; private set; }
    public FactSource Source { get; private set; }
    public Guid? RecordedBy { get; private set; }
    public string RecordedByName { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }
}

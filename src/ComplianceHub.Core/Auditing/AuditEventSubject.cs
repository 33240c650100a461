namespace ComplianceHub.Core.Auditing;

/// <summary>
/// One subject of an audit event that records many rows at once (<see cref="AuditEventTypes.PeopleAdded"/>: the people one
/// saved chunk of a roster import adds), so "every event about this person" still finds it by the person's id (ADR 0022).
/// Append-only like the trail. Not chained itself: the event's <c>changes</c> object, which the chain covers, names every
/// subject by key, and <see cref="AuditChainVerifier"/> checks that the rows and the keys agree.
/// </summary>
public sealed class AuditEventSubject
{
    /// <summary>The subject's key as text (a person's id).</summary>
    public string SubjectId { get; init; } = "";

    /// <summary>The event (<see cref="AuditEvent.Sequence"/>) that records it.</summary>
    public long Sequence { get; init; }

    /// <summary>The kind of subject (<c>person</c>).</summary>
    public string SubjectType { get; init; } = "";
}

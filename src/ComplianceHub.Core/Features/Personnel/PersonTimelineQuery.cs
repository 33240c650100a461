using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>What a timeline entry is about.</summary>
public enum TimelineKind { Fact, Grant, Escort }

/// <summary>
/// One entry of a person's timeline.
/// </summary>
/// <param name="Kind">Fact change, grant event or escort assignment.</param>
/// <param name="On">The day it took effect: a fact's effective date, the day a grant event was recorded, an assignment's first or last day.</param>
/// <param name="RecordedAt">When it was recorded (orders entries of the same day).</param>
/// <param name="What">A short title: "Work country", "Grant approved", "Escort assignment starts".</param>
/// <param name="Detail">The value or the circumstances: "DE", "IL5 Mission, privileged: reason…", "Escorted by Dana Escort on IL5 Mission".</param>
/// <param name="By">Who recorded it (and, for a fact, from which source); for a representative, the role of someone outside their vendor.</param>
/// <param name="SystemName">The system of a grant or escort entry.</param>
/// <param name="RelatedId">The grant or escort assignment.</param>
/// <param name="AuditSequence">The audit event behind a grant entry.</param>
public sealed record TimelineEntry(TimelineKind Kind, DateOnly On, DateTimeOffset RecordedAt, string What, string Detail, string? By, string? SystemName,
    Guid? RelatedId, long? AuditSequence);

/// <summary>
/// A person's history as one chronological list: fact changes (from the effective-dated history), grant events (requested,
/// approved, suspended, reactivated, revoked, expired — replayed from the grants' audit events — and the end of each grant's
/// period from the grant rows) and escort assignments (first and last day, as the supervised person or as the escort).
/// Vendor-scoped like the person page: another vendor's representative gets null (404).
/// </summary>
public sealed class PersonTimelineQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    public async Task<IReadOnlyList<TimelineEntry>?> TimelineAsync(Actor actor, Guid personId, IReadOnlySet<TimelineKind>? kinds = null,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        var person = await db.People.VisibleTo(actor).Where(p => p.Id == personId).Select(p => new { p.Id, p.VendorId }).SingleOrDefaultAsync(ct);
        if (person is null)
        {
            return null;
        }
        bool Wanted(TimelineKind kind) => kinds is null || kinds.Count == 0 || kinds.Contains(kind);
        var entries = new List<TimelineEntry>();
        var systems = await db.Systems.ToDictionaryAsync(s => s.Id, s => s.Name, ct);

        if (Wanted(TimelineKind.Fact))
        {
            var facts = await db.PersonFactChanges.Where(c => c.PersonId == personId).ToListAsync(ct);
            entries.AddRange(facts.Select(c => new TimelineEntry(TimelineKind.Fact, c.EffectiveOn, c.RecordedAt, Humanize(c.Attribute), FactValue(c.Attribute, c.Value),
                $"{(c.RecordedByName.Length > 0 ? c.RecordedByName : "system")} · {Words.Of(c.Source).ToLowerInvariant()}", null, null, null)));
        }

        if (Wanted(TimelineKind.Grant))
        {
            var grants = await db.Grants.Where(g => g.PersonId == personId).ToListAsync(ct);
            var ids = grants.Select(g => g.Id.ToString()).ToList();
            var events = await db.AuditEvents.Where(e => e.SubjectType == "grant" && ids.Contains(e.SubjectId)).OrderBy(e => e.Sequence).ToListAsync(ct);
            var byId = grants.ToDictionary(g => g.Id.ToString());
            foreach (var e in events)
            {
                var grant = byId[e.SubjectId];
                using var changes = JsonDocument.Parse(e.Changes);
                var before = Value(changes.RootElement, "status", "before");
                var after = Value(changes.RootElement, "status", "after");
                if (after is null || before == after)
                {
                    continue;
                }
                var system = systems.GetValueOrDefault(grant.SystemId, "");
                var reason = Value(changes.RootElement, "statusReason", "after");
                var detail = $"{system}, {Humanize(grant.AccessType.ToString()).ToLowerInvariant()}{(grant.Escorted ? ", escorted" : "")}" +
                             (reason is null ? "" : $": {reason}");
                var by = actor.IsVendorRepresentative && e.ActorVendorId != actor.VendorId ? Humanize(e.ActorRole) : e.ActorName;
                entries.Add(new TimelineEntry(TimelineKind.Grant, DateOnly.FromDateTime(e.OccurredAt.UtcDateTime), e.OccurredAt, GrantWhat(before, after),
                    detail, by, system, grant.Id, actor.IsAuditor || actor.IsAdministrator ? e.Sequence : null));
            }
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            foreach (var g in grants.Where(g => g.EndsOn is { } end && end < today))
            {
                var system = systems.GetValueOrDefault(g.SystemId, "");
                var end = g.EndsOn!.Value;
                entries.Add(new TimelineEntry(TimelineKind.Grant, end, new DateTimeOffset(end.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero), "Grant period ends",
                    $"{system}: last day of the granted period", null, system, g.Id, null));
            }
        }

        if (Wanted(TimelineKind.Escort))
        {
            var assignments = await db.EscortAssignments.Where(a => a.PersonId == personId || a.EscortId == personId).ToListAsync(ct);
            var otherIds = assignments.Select(a => a.PersonId == personId ? a.EscortId : a.PersonId).Distinct().ToList();
            // The other party's name only when the reader may see them (an escort may work for another vendor).
            var names = await db.People.VisibleTo(actor).Where(p => otherIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FullName, ct);
            foreach (var a in assignments)
            {
                var system = systems.GetValueOrDefault(a.SystemId, "");
                var supervised = a.PersonId == personId;
                var detail = supervised
                    ? $"Escorted by {names.GetValueOrDefault(a.EscortId, "an escort of another vendor")} on {system}, {a.StartsOn:yyyy-MM-dd} to {a.EndsOn:yyyy-MM-dd}"
                    : $"Escorting {names.GetValueOrDefault(a.PersonId, "a person of another vendor")} on {system}, {a.StartsOn:yyyy-MM-dd} to {a.EndsOn:yyyy-MM-dd}";
                var noun = supervised ? "Escort assignment" : "Escort duty";
                entries.Add(new TimelineEntry(TimelineKind.Escort, a.StartsOn, a.CreatedAt, $"{noun} starts", detail, null, system, a.Id, null));
                entries.Add(new TimelineEntry(TimelineKind.Escort, a.EndsOn, new DateTimeOffset(a.EndsOn.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero),
                    $"{noun} ends", detail, null, system, a.Id, null));
            }
        }
        return entries.OrderBy(e => e.On).ThenBy(e => e.RecordedAt).ThenBy(e => e.Kind).ThenBy(e => e.What, StringComparer.Ordinal).ToList();
    }

    private static string GrantWhat(string? before, string after) => (before, after) switch
    {
        (null, "PendingApproval") => "Grant requested",
        (null, "Active") => "Grant requested and active",
        (null, _) => $"Grant recorded ({Humanize(after).ToLowerInvariant()})",
        ("PendingApproval", "Active") => "Grant approved",
        ("Suspended", "Active") => "Grant reactivated",
        (_, "Suspended") => "Grant suspended",
        (_, "Revoked") => "Grant revoked",
        (_, "Expired") => "Grant ended (expired)",
        _ => $"Grant {Humanize(after).ToLowerInvariant()}",
    };

    private static string? Value(JsonElement changes, string property, string side) =>
        changes.TryGetProperty(property, out var change) && change.ValueKind == JsonValueKind.Object && change.TryGetProperty(side, out var value)
        && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A recorded fact in words: countries with their names, enum values as words ("Vendor employee").</summary>
    private static string FactValue(string attribute, string? json)
    {
        if (json is null)
        {
            return "(none)";
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? "(none)" : Words.FactValue(attribute, document.RootElement);
    }

    /// <summary>A fact's stored value as people read it: lists joined ("US, VE"), yes/no, "(none)" for no value.</summary>
    public static string FactText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => v.ToString())),
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Null or JsonValueKind.Undefined => "(none)",
        _ => value.ToString(),
    };

    /// <summary>"workCountry" → "Work country"; "PendingApproval" → "Pending approval".</summary>
    public static string Humanize(string name) =>
        name.Length == 0 ? name : PersonWorkspaceQuery.Humanize(char.ToUpperInvariant(name[0]) + name[1..]);
}

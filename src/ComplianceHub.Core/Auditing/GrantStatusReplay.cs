using System.Text.Json;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// A grant's status at a past moment, replayed from its audit events (each change of <c>status</c> is in the trail with its
/// after value), not read from today's row: the point-in-time views and the contribution flags ask "was it active then?".
/// </summary>
public static class GrantStatusReplay
{
    private static readonly int[] OwnEvents =
    [
        AuditEventTypes.For(typeof(Domain.Access.AccessGrant), AuditEventTypes.Change.Created).Code,
        AuditEventTypes.For(typeof(Domain.Access.AccessGrant), AuditEventTypes.Change.Changed).Code,
    ];

    /// <summary>The status changes of each grant, in trail order, from the events before <paramref name="before"/>.</summary>
    public static async Task<Dictionary<Guid, List<(DateTimeOffset At, GrantStatus Status)>>> LoadAsync(ComplianceDbContext db,
        IReadOnlyCollection<Guid> grantIds, DateTimeOffset? before, CancellationToken ct)
    {
        var result = new Dictionary<Guid, List<(DateTimeOffset, GrantStatus)>>();
        foreach (var chunk in grantIds.Select(id => id.ToString()).Chunk(5_000))
        {
            // The grant's own events only: a refused decision about it (event 8000) recorded what was asked, not what was.
            var events = db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == "grant" && chunk.Contains(e.SubjectId) && OwnEvents.Contains(e.EventType));
            if (before is { } end)
            {
                events = events.Where(e => e.OccurredAt < end);
            }
            foreach (var e in await events.OrderBy(e => e.Sequence).Select(e => new { e.SubjectId, e.OccurredAt, e.Changes }).ToListAsync(ct))
            {
                using var changes = JsonDocument.Parse(e.Changes);
                if (changes.RootElement.TryGetProperty("status", out var status) && status.TryGetProperty("after", out var after)
                    && after.ValueKind == JsonValueKind.String && Enum.TryParse<GrantStatus>(after.GetString(), out var value))
                {
                    var id = Guid.Parse(e.SubjectId);
                    if (!result.TryGetValue(id, out var list))
                    {
                        result[id] = list = [];
                    }
                    list.Add((e.OccurredAt, value));
                }
            }
        }
        return result;
    }

    /// <summary>The grant's status just before <paramref name="at"/> (null when it had no status event yet).</summary>
    public static GrantStatus? StatusAt(IReadOnlyDictionary<Guid, List<(DateTimeOffset At, GrantStatus Status)>> history, Guid grantId, DateTimeOffset at)
    {
        GrantStatus? status = null;
        foreach (var change in history.GetValueOrDefault(grantId) ?? [])
        {
            if (change.At < at)
            {
                status = change.Status;
            }
        }
        return status;
    }
}

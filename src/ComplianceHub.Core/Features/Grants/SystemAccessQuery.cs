using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>An escort who covered the holder on the system that day.</summary>
public sealed record EscortOnDay(Guid AssignmentId, Guid EscortId, string FullName, DateOnly StartsOn, DateOnly EndsOn);

/// <summary>One person who held access to the system on the day: the grant, the person's facts as they stood that day, escorts.</summary>
public sealed record AccessHolder(Guid GrantId, Guid PersonId, Guid VendorId, string FullName, AccessType AccessType, bool Escorted, DateOnly StartsOn,
    DateOnly? EndsOn, IReadOnlyDictionary<string, JsonElement?> FactsThatDay, IReadOnlyList<EscortOnDay> Escorts);

/// <summary>Who could touch a system on a day, from where, escorted by whom, under which policy version (API.md
/// <c>GET /systems/{id}/access?asOf=</c>).</summary>
public sealed record SystemAccessOnDay(Guid SystemId, string SystemName, DateOnly AsOf, int? PolicyVersion, string? PolicyName,
    IReadOnlyList<AccessHolder> Holders);

/// <summary>
/// Reconstructs a past day from history, not from today's state: a grant counts when its period covers the day and its
/// status at the end of that day — replayed from the grant's audit events — was Active; each holder's facts are rebuilt
/// from the attribute history; the policy version is the one last activated by then. Officers, auditors and
/// administrators only.
/// </summary>
public sealed class SystemAccessQuery(IDbContextFactory<ComplianceDbContext> contexts, PersonHistoryQuery history)
{
    public async Task<SystemAccessOnDay?> OnDayAsync(Actor actor, Guid systemId, DateOnly day, CancellationToken ct = default)
    {
        if (actor.IsVendorRepresentative)
        {
            throw new UnauthorizedAccessException("Access reconstruction is for contracting officers, auditors and administrators.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var system = await db.Systems.AsNoTracking().SingleOrDefaultAsync(s => s.Id == systemId, ct);
        if (system is null)
        {
            return null;
        }
        var endOfDay = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var grants = await db.Grants.AsNoTracking()
            .Where(g => g.SystemId == systemId && g.StartsOn <= day && (g.EndsOn == null || g.EndsOn >= day) && g.RequestedAt < endOfDay)
            .ToListAsync(ct);
        var ids = grants.Select(g => g.Id.ToString()).ToList();
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.SubjectType == "grant" && ids.Contains(e.SubjectId) && e.OccurredAt < endOfDay)
            .OrderBy(e => e.Sequence).Select(e => new { e.SubjectId, e.Changes }).ToListAsync(ct);
        var statusThen = new Dictionary<string, string>();
        foreach (var e in events)
        {
            using var changes = JsonDocument.Parse(e.Changes);
            if (changes.RootElement.TryGetProperty("status", out var status) && status.TryGetProperty("after", out var after) && after.ValueKind == JsonValueKind.String)
            {
                statusThen[e.SubjectId] = after.GetString()!;
            }
        }
        var held = grants.Where(g => statusThen.GetValueOrDefault(g.Id.ToString()) == nameof(GrantStatus.Active)).ToList();

        var personIds = held.Select(g => g.PersonId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var assignments = await db.EscortAssignments.AsNoTracking()
            .Where(a => a.SystemId == systemId && personIds.Contains(a.PersonId) && a.StartsOn <= day && a.EndsOn >= day).ToListAsync(ct);
        var escortIds = assignments.Select(a => a.EscortId).Distinct().ToList();
        var escorts = await db.People.AsNoTracking().Where(p => escortIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FullName, ct);
        var policy = await db.PolicyVersions.AsNoTracking().Where(v => v.ActivatedAt != null && v.ActivatedAt < endOfDay)
            .OrderByDescending(v => v.ActivatedAt).FirstOrDefaultAsync(ct)
            ?? await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Number == 1 && v.Status != PolicyStatus.Draft, ct);

        var holders = new List<AccessHolder>();
        foreach (var g in held.OrderBy(g => people[g.PersonId].FullName).ThenBy(g => g.Id))
        {
            var person = people[g.PersonId];
            var facts = await history.FactsAsOfAsync(actor, person.Id, day, ct) ?? new Dictionary<string, JsonElement?>();
            var covering = assignments.Where(a => a.PersonId == g.PersonId)
                .Select(a => new EscortOnDay(a.Id, a.EscortId, escorts.GetValueOrDefault(a.EscortId, ""), a.StartsOn, a.EndsOn)).ToList();
            holders.Add(new AccessHolder(g.Id, person.Id, person.VendorId, person.FullName, g.AccessType, g.Escorted, g.StartsOn, g.EndsOn, facts, covering));
        }
        return new SystemAccessOnDay(system.Id, system.Name, day, policy?.Number, policy?.Name, holders);
    }
}

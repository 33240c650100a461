using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Personnel;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>One change of one fact, as the history shows it.</summary>
public sealed record FactChangeView(string Attribute, JsonElement? Value, DateOnly EffectiveOn, FactSource Source, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>
/// A person's fact history (API.md <c>GET /personnel/{id}/history</c>) and their facts as they stood on any past day,
/// rebuilt from the effective-dated changes. Vendor-scoped: another vendor's representative gets nothing (404).
/// </summary>
public sealed class PersonHistoryQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<IReadOnlyList<FactChangeView>?> HistoryAsync(Actor actor, Guid personId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.People.AsNoTracking().VisibleTo(actor).AnyAsync(p => p.Id == personId, ct))
        {
            return null;
        }
        var rows = await db.PersonFactChanges.AsNoTracking().Where(c => c.PersonId == personId)
            .OrderBy(c => c.EffectiveOn).ThenBy(c => c.RecordedAt).ThenBy(c => c.Attribute).ToListAsync(ct);
        return rows.Select(r => new FactChangeView(r.Attribute, r.Value is null ? null : JsonDocument.Parse(r.Value).RootElement.Clone(),
            r.EffectiveOn, r.Source, r.RecordedByName, r.RecordedAt)).ToList();
    }

    /// <summary>
    /// Each fact's value on <paramref name="day"/>: the latest change effective on or before that day (for equal effective
    /// dates, the one recorded last). Facts with no change yet effective are absent.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, JsonElement?>?> FactsAsOfAsync(Actor actor, Guid personId, DateOnly day, CancellationToken ct = default)
    {
        var history = await HistoryAsync(actor, personId, ct);
        return history?
            .Where(c => c.EffectiveOn <= day)
            .GroupBy(c => c.Attribute)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.EffectiveOn).ThenBy(c => c.RecordedAt).Last().Value);
    }
}

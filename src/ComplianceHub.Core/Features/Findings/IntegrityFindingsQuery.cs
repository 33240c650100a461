using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>
/// An integrity finding as auditors and administrators are shown it. <c>Opened</c>, on <see cref="RaiseIntegrityFinding"/>: true
/// when that call opened it, false when it was already open.
/// </summary>
public sealed record IntegrityFindingView(Guid Id, string Kind, string Title, string Message, IReadOnlyDictionary<string, string> Facts,
    DateTimeOffset DetectedAt, IntegrityFindingStatus Status, DateTimeOffset? ClosedAt, string? Resolution, bool Opened = false)
{
    public static IntegrityFindingView From(IntegrityFinding f, bool opened = false) => new(f.Id, f.Kind, IntegrityFindingKinds.Title(f.Kind), f.Message,
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(f.Facts) ?? [], f.DetectedAt, f.Status, f.ClosedAt, f.Resolution, opened);
}

/// <summary>Integrity findings, for auditors (read) and administrators (read and close); nobody else sees them.</summary>
public sealed class IntegrityFindingsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>The open ones, oldest first, and the latest closed ones when <paramref name="closed"/> is more than 0.</summary>
    public async Task<IReadOnlyList<IntegrityFindingView>> ListAsync(Actor actor, int closed = 0, CancellationToken ct = default)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator))
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var open = await db.IntegrityFindings.AsNoTracking().Where(f => f.Status == IntegrityFindingStatus.Open).OrderBy(f => f.DetectedAt).ToListAsync(ct);
        var recent = closed <= 0 ? [] : await db.IntegrityFindings.AsNoTracking().Where(f => f.Status == IntegrityFindingStatus.Closed)
            .OrderByDescending(f => f.ClosedAt).Take(closed).ToListAsync(ct);
        return [.. open.Concat(recent).Select(f => IntegrityFindingView.From(f))];
    }

    /// <summary>How many are open (the administrator's bell).</summary>
    public async Task<int> OpenCountAsync(Actor actor, CancellationToken ct = default)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator))
        {
            return 0;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.IntegrityFindings.CountAsync(f => f.Status == IntegrityFindingStatus.Open, ct);
    }
}

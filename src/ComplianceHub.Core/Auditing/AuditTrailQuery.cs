using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Auditing;

/// <summary>An audit event as the API shows it: the chain fields, who did what to which subject, the values and rule outcomes.</summary>
public sealed record AuditEventView(long Sequence, DateTimeOffset OccurredAt, Guid? ActorUserId, string ActorName, string ActorRole, Guid? ActorVendorId,
    string AuthenticationMethod, int EventType, string Operation, string SubjectType, string SubjectId, JsonElement Changes, JsonElement RuleOutcomes,
    string CorrelationId, string PreviousHash, string Hash);

/// <summary>The filters of the audit trail.</summary>
public sealed record AuditFilter(string? SubjectType = null, string? SubjectId = null, Guid? ActorUserId = null, int? EventType = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, string? CorrelationId = null);

/// <summary>The audit trail, read-only, in sequence order; auditors and administrators only (API.md <c>GET /audit/events</c>).</summary>
public sealed class AuditTrailQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PagedResult<AuditEventView>> ListAsync(Actor actor, AuditFilter filter, PageRequest page, CancellationToken ct = default)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator))
        {
            throw new UnauthorizedAccessException("The audit trail is for auditors and administrators.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.SubjectType)) { query = query.Where(e => e.SubjectType == filter.SubjectType); }
        if (!string.IsNullOrWhiteSpace(filter.SubjectId)) { query = query.Where(e => e.SubjectId == filter.SubjectId); }
        if (filter.ActorUserId is { } user) { query = query.Where(e => e.ActorUserId == user); }
        if (filter.EventType is { } type) { query = query.Where(e => e.EventType == type); }
        if (filter.From is { } from) { query = query.Where(e => e.OccurredAt >= from); }
        if (filter.To is { } to) { query = query.Where(e => e.OccurredAt < to); }
        if (!string.IsNullOrWhiteSpace(filter.CorrelationId)) { query = query.Where(e => e.CorrelationId == filter.CorrelationId); }
        var total = await query.CountAsync(ct);
        var sorted = page.Desc ? query.OrderByDescending(e => e.Sequence) : query.OrderBy(e => e.Sequence);
        var events = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<AuditEventView>(events.Select(e => new AuditEventView(e.Sequence, e.OccurredAt, e.ActorUserId, e.ActorName, e.ActorRole,
            e.ActorVendorId, e.AuthenticationMethod, e.EventType, e.Operation, e.SubjectType, e.SubjectId, Parse(e.Changes), Parse(e.RuleOutcomes),
            e.CorrelationId, e.PreviousHash, e.Hash)).ToList(), page.SafePage, page.SafePageSize, total);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>The filters of the findings list (API.md <c>GET /findings</c>).</summary>
public sealed record FindingFilter(Guid? VendorId = null, Guid? PersonId = null, string? RuleId = null, FindingStatus? Status = null,
    Severity? Severity = null);

/// <summary>
/// Findings, read-only, scoped in the query: a vendor representative sees only their vendor's findings (another
/// vendor's finding is indistinguishable from a missing one); officers, auditors and administrators see all.
/// </summary>
public sealed class FindingsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PagedResult<FindingView>> ListAsync(Actor actor, FindingFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Findings.AsNoTracking().VisibleTo(actor);
        if (filter.VendorId is { } vendor) { query = query.Where(f => f.VendorId == vendor); }
        if (filter.PersonId is { } person) { query = query.Where(f => f.PersonId == person); }
        if (!string.IsNullOrWhiteSpace(filter.RuleId)) { query = query.Where(f => f.RuleId == filter.RuleId.Trim().ToUpper()); }
        if (filter.Status is { } status) { query = query.Where(f => f.Status == status); }
        if (filter.Severity is { } severity) { query = query.Where(f => f.Severity == severity); }
        var total = await query.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("dueon", false) => query.OrderBy(f => f.DueOn).ThenBy(f => f.Id),
            ("dueon", true) => query.OrderByDescending(f => f.DueOn).ThenBy(f => f.Id),
            ("ruleid", false) => query.OrderBy(f => f.RuleId).ThenBy(f => f.Id),
            ("ruleid", true) => query.OrderByDescending(f => f.RuleId).ThenBy(f => f.Id),
            ("severity", false) => query.OrderBy(f => f.Severity).ThenBy(f => f.Id),
            ("severity", true) => query.OrderByDescending(f => f.Severity).ThenBy(f => f.Id),
            ("status", false) => query.OrderBy(f => f.Status).ThenBy(f => f.Id),
            ("status", true) => query.OrderByDescending(f => f.Status).ThenBy(f => f.Id),
            (_, false) when page.Sort is not null => query.OrderBy(f => f.DetectedAt).ThenBy(f => f.Id),
            _ => query.OrderByDescending(f => f.DetectedAt).ThenBy(f => f.Id),
        };
        var items = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<FindingView>(items.Select(FindingView.From).ToList(), page.SafePage, page.SafePageSize, total);
    }

    public async Task<FindingView?> GetAsync(Actor actor, Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var finding = await db.Findings.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(f => f.Id == id, ct);
        return finding is null ? null : FindingView.From(finding);
    }
}

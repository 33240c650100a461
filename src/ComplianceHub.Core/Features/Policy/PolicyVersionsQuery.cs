using ComplianceHub.Core.Common;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Policy;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Policy;

/// <summary>Policy versions, read-only, for every role (API.md <c>GET /policy/versions</c>): the rules in force are public to all users.</summary>
public sealed class PolicyVersionsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<IReadOnlyList<PolicyVersionView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var versions = await db.PolicyVersions.AsNoTracking().OrderByDescending(v => v.Number).ToListAsync(ct);
        return versions.Select(PolicyVersionView.From).ToList();
    }

    /// <summary>
    /// The API's list of versions (<c>GET /policy/versions</c>): optionally of one status, sorted (by number, newest first,
    /// unless asked otherwise) and paged in the database.
    /// </summary>
    public async Task<PagedResult<PolicyVersionView>> PageAsync(PolicyStatus? status, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var versions = db.PolicyVersions.AsNoTracking();
        if (status is { } s)
        {
            versions = versions.Where(v => v.Status == s);
        }
        var total = await versions.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("activatedat", false) => versions.OrderBy(v => v.ActivatedAt).ThenBy(v => v.Number),
            ("activatedat", true) => versions.OrderByDescending(v => v.ActivatedAt).ThenByDescending(v => v.Number),
            ("name", false) => versions.OrderBy(v => v.Name).ThenBy(v => v.Number),
            ("name", true) => versions.OrderByDescending(v => v.Name).ThenByDescending(v => v.Number),
            (_, false) => versions.OrderBy(v => v.Number),
            _ => versions.OrderByDescending(v => v.Number),
        };
        var items = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<PolicyVersionView>(items.Select(PolicyVersionView.From).ToList(), page.SafePage, page.SafePageSize, total);
    }

    public async Task<PolicyVersionView> ActiveAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return PolicyVersionView.From(await ActivePolicy.ReadAsync(db, ct));
    }
}

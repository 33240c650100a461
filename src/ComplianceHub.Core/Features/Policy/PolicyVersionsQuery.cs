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

    public async Task<PolicyVersionView> ActiveAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return PolicyVersionView.From(await ActivePolicy.ReadAsync(db, ct));
    }
}

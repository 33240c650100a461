using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>Grants, read-only, scoped through the person: a representative sees only grants of their vendor's people.</summary>
public sealed class GrantsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>Every grant of a person, newest first; null when the person is missing or outside the caller's vendor.</summary>
    public async Task<IReadOnlyList<GrantView>?> ForPersonAsync(Actor actor, Guid personId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.People.AsNoTracking().VisibleTo(actor).AnyAsync(p => p.Id == personId, ct))
        {
            return null;
        }
        var grants = await db.Grants.AsNoTracking().Where(g => g.PersonId == personId)
            .OrderByDescending(g => g.RequestedAt).ThenBy(g => g.Id).ToListAsync(ct);
        return grants.Select(GrantView.From).ToList();
    }

    /// <summary>One grant; null when missing or outside the caller's vendor.</summary>
    public async Task<GrantView?> GetAsync(Actor actor, Guid grantId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var grant = await (from g in db.Grants.AsNoTracking()
                           join p in db.People.VisibleTo(actor) on g.PersonId equals p.Id
                           where g.Id == grantId
                           select g).SingleOrDefaultAsync(ct);
        return grant is null ? null : GrantView.From(grant);
    }
}

using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>
/// Escort assignments and escorted sessions, read-only. A representative sees those whose supervised person is on their
/// vendor's roster; officers, auditors and administrators see all.
/// </summary>
public sealed class EscortsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PagedResult<EscortAssignmentView>> AssignmentsAsync(Actor actor, Guid? personId, Guid? escortId, Guid? systemId, bool? active,
        PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = from a in db.EscortAssignments.AsNoTracking()
                    join p in db.People.VisibleTo(actor) on a.PersonId equals p.Id
                    select a;
        if (personId is { } person) { query = query.Where(a => a.PersonId == person); }
        if (escortId is { } escort) { query = query.Where(a => a.EscortId == escort); }
        if (systemId is { } system) { query = query.Where(a => a.SystemId == system); }
        if (active is { } isActive) { query = query.Where(a => a.Active == isActive); }
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(a => a.StartsOn).ThenBy(a => a.Id).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<EscortAssignmentView>(items.Select(a => new EscortAssignmentView(a.Id, a.EscortId, a.PersonId, a.SystemId, a.StartsOn, a.EndsOn, a.Active)).ToList(),
            page.SafePage, page.SafePageSize, total);
    }

    public async Task<PagedResult<EscortedSessionView>> SessionsAsync(Actor actor, Guid? assignmentId, bool? signedOff, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.EscortedSessions.AsNoTracking().VisibleTo(actor);
        if (assignmentId is { } assignment) { query = query.Where(s => s.AssignmentId == assignment); }
        if (signedOff is { } signed) { query = query.Where(s => (s.SignedOffAt != null) == signed); }
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(s => s.StartedAt).ThenBy(s => s.Id).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<EscortedSessionView>(items.Select(EscortedSessionView.From).ToList(), page.SafePage, page.SafePageSize, total);
    }
}

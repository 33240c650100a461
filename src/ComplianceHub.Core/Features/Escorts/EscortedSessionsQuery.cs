using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>Where a session stands: signed off, awaiting sign-off, or overdue (unsigned past the policy's sign-off hours after it ended).</summary>
public enum SessionStatus { SignedOff, AwaitingSignOff, Overdue }

/// <summary>An escorted session as the sessions grid shows it.</summary>
public sealed record EscortedSessionRow(Guid Id, Guid VendorId, string VendorName, Guid EscortId, string EscortName, Guid PersonId, string PersonName,
    Guid SystemId, string SystemName, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string ChangeTicket, string Summary,
    DateTimeOffset? SignedOffAt, string? SignedOffByName, SessionStatus Status);

/// <summary>What the sessions grid filters on; dates are UTC days, inclusive, on the session's start.</summary>
public sealed record EscortedSessionFilter(Guid? VendorId = null, SessionStatus? Status = null, Guid? SystemId = null, string? Search = null,
    DateOnly? From = null, DateOnly? To = null);

/// <summary>An escort assignment a session can be recorded under: escort → person on system, for a period.</summary>
public sealed record RecordableAssignment(Guid Id, string EscortName, string PersonName, string SystemName, DateOnly StartsOn, DateOnly EndsOn)
{
    public string Label => $"{EscortName} → {PersonName} on {SystemName} ({StartsOn:yyyy-MM-dd} to {EndsOn:yyyy-MM-dd})";
}

/// <summary>
/// Escorted sessions, scoped in the query: a representative reads their vendor's sessions (the supervised person's vendor),
/// officers and auditors every vendor's. Filtered, sorted and paged in SQL.
/// </summary>
public sealed class EscortedSessionsQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    /// <summary>How an escort the reader may not see (of another vendor, or another office's) is named.</summary>
    private const string OtherVendorsEscort = "An escort of another vendor";

    public async Task<PagedResult<EscortedSessionRow>?> ListAsync(Actor actor, EscortedSessionFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (filter.VendorId is { } asked && !actor.Sees(asked))
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var (policy, _) = await ActivePolicy.NumberedParametersAsync(db, ct);
        var overdueBefore = now.AddHours(-policy.SessionSignOffHours);

        var query = db.EscortedSessions.AsNoTracking().VisibleTo(actor);
        var visible = db.People.VisibleTo(actor);
        if (filter.VendorId is { } vendor) { query = query.Where(s => s.VendorId == vendor); }
        if (filter.SystemId is { } system) { query = query.Where(s => s.SystemId == system); }
        query = filter.Status switch
        {
            SessionStatus.SignedOff => query.Where(s => s.SignedOffAt != null),
            SessionStatus.AwaitingSignOff => query.Where(s => s.SignedOffAt == null && s.EndedAt >= overdueBefore),
            SessionStatus.Overdue => query.Where(s => s.SignedOffAt == null && s.EndedAt < overdueBefore),
            _ => query,
        };
        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(s => s.StartedAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(s => s.StartedAt < end);
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = LikePatterns.Containing(filter.Search)!;
            query = query.Where(s => db.People.Any(p => (p.Id == s.PersonId || p.Id == s.EscortId) && EF.Functions.ILike(p.FullName, pattern))
                                     || EF.Functions.ILike(s.ChangeTicket, pattern));
        }
        var total = await query.CountAsync(ct);
        var ordered = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("endedat", var d) => d ? query.OrderByDescending(s => s.EndedAt) : query.OrderBy(s => s.EndedAt),
            ("changeticket", var d) => d ? query.OrderByDescending(s => s.ChangeTicket) : query.OrderBy(s => s.ChangeTicket),
            ("startedat", false) => query.OrderBy(s => s.StartedAt),
            _ => query.OrderByDescending(s => s.StartedAt),
        };
        var rows = await ordered.ThenBy(s => s.Id).Skip(page.Skip).Take(page.SafePageSize).Select(s => new
        {
            Session = s,
            VendorName = db.Vendors.Where(v => v.Id == s.VendorId).Select(v => v.Name).First(),
            EscortName = visible.Where(p => p.Id == s.EscortId).Select(p => p.FullName).FirstOrDefault() ?? OtherVendorsEscort,
            PersonName = db.People.Where(p => p.Id == s.PersonId).Select(p => p.FullName).First(),
            SystemName = db.Systems.Where(x => x.Id == s.SystemId).Select(x => x.Name).First(),
            SignedOffByName = db.Users.Where(u => u.Id == s.SignedOffBy).Select(u => u.DisplayName).FirstOrDefault(),
        }).ToListAsync(ct);
        var items = rows.Select(r =>
        {
            var s = r.Session;
            var status = s.SignedOffAt is not null ? SessionStatus.SignedOff
                : s.EndedAt < overdueBefore ? SessionStatus.Overdue
                : SessionStatus.AwaitingSignOff;
            return new EscortedSessionRow(s.Id, s.VendorId, r.VendorName, s.EscortId, r.EscortName, s.PersonId, r.PersonName, s.SystemId, r.SystemName,
                s.StartedAt, s.EndedAt, s.ChangeTicket, s.Summary, s.SignedOffAt, r.SignedOffByName, status);
        }).ToList();
        return new PagedResult<EscortedSessionRow>(items, page.SafePage, page.SafePageSize, total);
    }

    /// <summary>
    /// The escort assignments in force today that the actor may record a session under: the representative's vendor's
    /// people (the supervised person's vendor), every vendor's for an officer.
    /// </summary>
    public async Task<IReadOnlyList<RecordableAssignment>> AssignmentsAsync(Actor actor, Guid? vendorId = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var people = db.People.AsNoTracking().VisibleTo(actor).Where(p => p.EmploymentStatus == EmploymentStatus.Active);
        var visible = db.People.VisibleTo(actor);
        if (vendorId is { } only) { people = people.Where(p => p.VendorId == only); }
        var rows = await (from a in db.EscortAssignments.AsNoTracking()
                          join p in people on a.PersonId equals p.Id
                          where a.Active && a.StartsOn <= today && a.EndsOn >= today
                          select new
                          {
                              a.Id,
                              EscortName = visible.Where(e => e.Id == a.EscortId).Select(e => e.FullName).FirstOrDefault() ?? OtherVendorsEscort,
                              PersonName = p.FullName,
                              SystemName = db.Systems.Where(x => x.Id == a.SystemId).Select(x => x.Name).First(),
                              a.StartsOn,
                              a.EndsOn,
                          }).OrderBy(r => r.PersonName).ThenBy(r => r.EscortName).Take(500).ToListAsync(ct);
        return rows.Select(r => new RecordableAssignment(r.Id, r.EscortName, r.PersonName, r.SystemName, r.StartsOn, r.EndsOn)).ToList();
    }

    /// <summary>The active policy's sign-off deadline, in hours after a session ends.</summary>
    public async Task<int> SignOffHoursAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await ActivePolicy.NumberedParametersAsync(db, ct)).Parameters.SessionSignOffHours;
    }

    /// <summary>Unsigned sessions past the sign-off deadline, for a vendor (null: every vendor the actor sees).</summary>
    public async Task<int> OverdueCountAsync(Actor actor, Guid? vendorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (policy, _) = await ActivePolicy.NumberedParametersAsync(db, ct);
        var overdueBefore = clock.GetUtcNow().AddHours(-policy.SessionSignOffHours);
        var query = db.EscortedSessions.AsNoTracking().VisibleTo(actor);
        if (vendorId is { } only) { query = query.Where(s => s.VendorId == only); }
        return await query.CountAsync(s => s.SignedOffAt == null && s.EndedAt < overdueBefore, ct);
    }
}

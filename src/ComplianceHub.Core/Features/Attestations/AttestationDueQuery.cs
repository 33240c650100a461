using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Attestations;

/// <summary>
/// A person's attestation standing: the next due date under <see cref="AttestationSchedule"/>, the state, and the active
/// grants ATTEST-FRESH suspends on <see cref="SuspendsOn"/> if no attestation comes first.
/// </summary>
public sealed record AttestationDueRow(Guid PersonId, Guid VendorId, string VendorName, string EmployeeId, string FullName,
    string WorkCountry, string WorkCity, IReadOnlyList<string> Citizenships, DateOnly? LocationAttestedOn, DateOnly? DueOn,
    AttestationState State, int ActiveGrants, DateOnly Today)
{
    /// <summary>The first day access is suspended (the day after the due day); null when never attested (already failing).</summary>
    public DateOnly? SuspendsOn => DueOn is { } due ? AttestationSchedule.SuspendsOn(due) : null;

    /// <summary>Days until the due day (negative when overdue).</summary>
    public int? DaysUntilDue => DueOn is { } due ? due.DayNumber - Today.DayNumber : null;

    /// <summary>The warning the page and the notifications show, or null when the attestation is current.</summary>
    public string? Warning => AttestationWarnings.For(State, DueOn, ActiveGrants, Today);
}

/// <summary>The wording of attestation warnings, shared by the page, the bell and the e-mail digest.</summary>
public static class AttestationWarnings
{
    public static string? For(AttestationState state, DateOnly? due, int activeGrants, DateOnly today) => state switch
    {
        AttestationState.Never => activeGrants > 0
            ? $"Never attested — ATTEST-FRESH holds {Grants(activeGrants)} as failing until an attestation is made."
            : "Never attested.",
        AttestationState.Overdue => $"Overdue since {AttestationSchedule.SuspendsOn(due!.Value):yyyy-MM-dd} (was due {due:yyyy-MM-dd}).",
        AttestationState.DueSoon => $"Due in {Days(due!.Value.DayNumber - today.DayNumber)} — " + (activeGrants > 0
            ? $"access to {Grants(activeGrants)} will be suspended on {AttestationSchedule.SuspendsOn(due.Value):yyyy-MM-dd}."
            : $"due on {due:yyyy-MM-dd}."),
        _ => null,
    };

    private static string Days(int days) => days switch { 0 => "0 days (today)", 1 => "1 day", _ => $"{days} days" };

    private static string Grants(int count) => count == 1 ? "1 grant" : $"{count} grants";
}

/// <summary>What <see cref="AttestationDueQuery.ListAsync"/> filters on.</summary>
public sealed record AttestationDueFilter(Guid? VendorId = null, IReadOnlyList<AttestationState>? States = null, string? Search = null);

/// <summary>Counts per attestation state (active people), and the earliest upcoming due day.</summary>
public sealed record AttestationCounts(int Overdue, int DueSoon, int Never, int Current)
{
    public int Due => Overdue + DueSoon + Never;
}

/// <summary>
/// The people of a vendor (a representative: their own only; officers and auditors: any vendor or all) with their next
/// attestation due date and state, filtered and paged in SQL. Active people only: a terminated person is not attested.
/// </summary>
public sealed class AttestationDueQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    public async Task<PagedResult<AttestationDueRow>?> ListAsync(Actor actor, AttestationDueFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await ScopeAsync(db, actor, filter.VendorId, ct) is not { } scope)
        {
            return null;
        }
        var schedule = await ScheduleAsync(db, ct);
        var query = People(db, actor, scope.VendorId);
        if (filter.States is { Count: > 0 } states)
        {
            query = query.Where(schedule.InAnyState(db, states));
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = LikePatterns.Containing(filter.Search)!;
            query = query.Where(p => EF.Functions.ILike(p.FullName, pattern) || EF.Functions.ILike(p.EmployeeId, pattern));
        }
        var total = await query.CountAsync(ct);
        var privileged = AttestationSchedule.LivePrivileged(db);
        // Due first: never attested, then the oldest attestation (the privileged interval only shortens it further).
        var ordered = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("fullname", var d) => d ? query.OrderByDescending(p => p.FullName).ThenBy(p => p.Id) : query.OrderBy(p => p.FullName).ThenBy(p => p.Id),
            ("employeeid", var d) => d ? query.OrderByDescending(p => p.EmployeeId).ThenBy(p => p.Id) : query.OrderBy(p => p.EmployeeId).ThenBy(p => p.Id),
            (_, true) => query.OrderByDescending(p => p.LocationAttestedOn).ThenBy(p => p.FullName).ThenBy(p => p.Id),
            _ => query.OrderBy(p => p.LocationAttestedOn != null).ThenBy(p => p.LocationAttestedOn).ThenBy(p => p.FullName).ThenBy(p => p.Id),
        };
        var rows = await ordered.Skip(page.Skip).Take(page.SafePageSize).Select(p => new
        {
            Person = p,
            VendorName = db.Vendors.Where(v => v.Id == p.VendorId).Select(v => v.Name).First(),
            Privileged = privileged.Any(g => g.PersonId == p.Id),
            Active = db.Grants.Count(g => g.PersonId == p.Id && g.Status == GrantStatus.Active),
        }).AsNoTracking().ToListAsync(ct);
        var items = rows.Select(r => new AttestationDueRow(r.Person.Id, r.Person.VendorId, r.VendorName, r.Person.EmployeeId, r.Person.FullName,
            r.Person.WorkCountry, r.Person.WorkCity, r.Person.Citizenships, r.Person.LocationAttestedOn,
            schedule.DueOn(r.Person.LocationAttestedOn, r.Privileged), schedule.StateOf(r.Person.LocationAttestedOn, r.Privileged), r.Active,
            schedule.Today)).ToList();
        return new PagedResult<AttestationDueRow>(items, page.SafePage, page.SafePageSize, total);
    }

    /// <summary>Counts per state for a vendor (null: every vendor the actor sees); null when the vendor is not theirs.</summary>
    public async Task<AttestationCounts?> CountsAsync(Actor actor, Guid? vendorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await ScopeAsync(db, actor, vendorId, ct) is not { } scope)
        {
            return null;
        }
        var schedule = await ScheduleAsync(db, ct);
        var people = People(db, actor, scope.VendorId);
        return new AttestationCounts(
            await people.CountAsync(schedule.InState(db, AttestationState.Overdue), ct),
            await people.CountAsync(schedule.InState(db, AttestationState.DueSoon), ct),
            await people.CountAsync(schedule.InState(db, AttestationState.Never), ct),
            await people.CountAsync(schedule.InState(db, AttestationState.Current), ct));
    }

    private static IQueryable<Person> People(ComplianceDbContext db, Actor actor, Guid? vendorId)
    {
        var people = db.People.AsNoTracking().VisibleTo(actor).Where(p => p.EmploymentStatus == EmploymentStatus.Active);
        return vendorId is { } only ? people.Where(p => p.VendorId == only) : people;
    }

    /// <summary>A representative reads their own vendor, an officer or auditor of an office the office's vendors (another vendor is not found); others any existing vendor or all.</summary>
    internal static async Task<VendorScopeResult?> ScopeAsync(ComplianceDbContext db, Actor actor, Guid? vendorId, CancellationToken ct)
    {
        if (vendorId is { } asked && !actor.Sees(asked))
        {
            return null;
        }
        if (actor.IsVendorRepresentative)
        {
            return new VendorScopeResult(actor.VendorId);
        }
        if (vendorId is { } vendor && !await db.Vendors.AnyAsync(v => v.Id == vendor, ct))
        {
            return null;
        }
        return new VendorScopeResult(vendorId);
    }

    internal sealed record VendorScopeResult(Guid? VendorId);

    internal async Task<AttestationSchedule> ScheduleAsync(ComplianceDbContext db, CancellationToken ct)
    {
        var policy = await ActivePolicy.ParametersAsync(db, ct);
        return new AttestationSchedule(policy.AttestationDays, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }
}

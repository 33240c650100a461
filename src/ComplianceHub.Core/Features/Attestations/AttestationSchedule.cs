using ComplianceHub.Core.Common;
using System.Linq.Expressions;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Features.Attestations;

/// <summary>
/// The one definition of when a person's location attestation falls due (docs/adr/0014-attestation-schedule-and-notifications.md),
/// the cadence ATTEST-FRESH enforces: due = last attested + the policy's interval (the privileged interval when the
/// person holds a live privileged grant — pending, active or suspended — the other interval otherwise); due soon within
/// the policy's warning window before the due day; overdue after the due day (ATTEST-FRESH suspends access from the day
/// after); never when there is no attestation. The roster, the dashboard, the attestation page and the notifications all
/// read it from here, in memory (<see cref="StateOf"/>) or in SQL (<see cref="InState"/>, the cut-off dates).
/// </summary>
public sealed record AttestationSchedule(AttestationDays Days, DateOnly Today)
{
    private static readonly GrantStatus[] Live = [GrantStatus.Active, GrantStatus.PendingApproval, GrantStatus.Suspended];

    /// <summary>Grants that put a person on the privileged interval.</summary>
    public static IQueryable<AccessGrant> LivePrivileged(ComplianceDbContext db) =>
        db.Grants.Where(g => g.AccessType == AccessType.Privileged && Live.Contains(g.Status));

    public int IntervalDays(bool privileged) => privileged ? Days.Privileged : Days.Other;

    /// <summary>An attestation before this day is overdue (attested + interval &lt; today).</summary>
    public DateOnly OverdueBefore(bool privileged) => Today.AddDays(-IntervalDays(privileged));

    /// <summary>An attestation before this day (and not overdue) is due soon (today &gt; due − warning window).</summary>
    public DateOnly DueSoonBefore(bool privileged) => OverdueBefore(privileged).AddDays(Days.WarnBefore);

    public DateOnly? DueOn(DateOnly? attested, bool privileged) => attested?.AddDays(IntervalDays(privileged));

    public AttestationState StateOf(DateOnly? attested, bool privileged) =>
        DueOn(attested, privileged) is not { } due ? AttestationState.Never
        : Today > due ? AttestationState.Overdue
        : Today > due.AddDays(-Days.WarnBefore) ? AttestationState.DueSoon
        : AttestationState.Current;

    /// <summary>The first day ATTEST-FRESH suspends access (the day after the due day).</summary>
    public static DateOnly SuspendsOn(DateOnly due) => due.AddDays(1);

    /// <summary>The state's condition in SQL.</summary>
    public Expression<Func<Person, bool>> InState(ComplianceDbContext db, AttestationState state)
    {
        var privileged = LivePrivileged(db);
        var privilegedOverdue = OverdueBefore(true);
        var otherOverdue = OverdueBefore(false);
        var privilegedSoon = DueSoonBefore(true);
        var otherSoon = DueSoonBefore(false);
        return state switch
        {
            AttestationState.Never => p => p.LocationAttestedOn == null,
            AttestationState.Overdue => p => p.LocationAttestedOn != null &&
                (privileged.Any(g => g.PersonId == p.Id)
                    ? p.LocationAttestedOn < privilegedOverdue
                    : p.LocationAttestedOn < otherOverdue),
            AttestationState.DueSoon => p => p.LocationAttestedOn != null &&
                (privileged.Any(g => g.PersonId == p.Id)
                    ? p.LocationAttestedOn >= privilegedOverdue && p.LocationAttestedOn < privilegedSoon
                    : p.LocationAttestedOn >= otherOverdue && p.LocationAttestedOn < otherSoon),
            _ => p => p.LocationAttestedOn != null &&
                (privileged.Any(g => g.PersonId == p.Id)
                    ? p.LocationAttestedOn >= privilegedSoon
                    : p.LocationAttestedOn >= otherSoon),
        };
    }

    /// <summary>Any of the states, in SQL.</summary>
    public Expression<Func<Person, bool>> InAnyState(ComplianceDbContext db, IEnumerable<AttestationState> states) =>
        states.Distinct().Select(s => InState(db, s)).Aggregate(Predicates.OrElse);

    /// <summary>The states a representative must act on: overdue, due soon, never attested.</summary>
    public static readonly IReadOnlyList<AttestationState> Due = [AttestationState.Overdue, AttestationState.DueSoon, AttestationState.Never];
}

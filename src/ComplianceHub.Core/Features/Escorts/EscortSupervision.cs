using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>
/// "Supervised by a qualified escort today", as SQL the read models share (dashboard, roster, escort board). An assignment
/// is in force when it is active and today falls within its period; its escort qualifies when
/// <see cref="EscortEligibility.MayEscortToday"/> holds: the checks of <see cref="EscortEligibility.Today"/> (an escort
/// qualification, still employed, a US citizen, working in the policy's US_AREAS) translated from the same expressions. The
/// per-system checks of ESCORT-QUALIFIED (investigation tier, technical level for the access type) are decided when the
/// assignment is made and are not repeated here.
/// </summary>
public static class EscortSupervision
{
    /// <summary>Assignments in force on <paramref name="today"/>.</summary>
    public static IQueryable<EscortAssignment> InForce(ComplianceDbContext db, DateOnly today) =>
        db.EscortAssignments.AsNoTracking().Where(a => a.Active && a.StartsOn <= today && a.EndsOn >= today);

    /// <summary>People who may act as an escort today (whatever their vendor: an escort may supervise another vendor's staff).</summary>
    public static IQueryable<Person> QualifiedEscorts(ComplianceDbContext db, IReadOnlyCollection<string> usAreas) =>
        db.People.AsNoTracking().Where(EscortEligibility.MayEscortToday(usAreas));

    /// <summary>Assignments in force on <paramref name="today"/> whose escort qualifies.</summary>
    public static IQueryable<EscortAssignment> QualifiedInForce(ComplianceDbContext db, DateOnly today, IReadOnlyCollection<string> usAreas) =>
        from a in InForce(db, today)
        join e in QualifiedEscorts(db, usAreas) on a.EscortId equals e.Id
        select a;
}

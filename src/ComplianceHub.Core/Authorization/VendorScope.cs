using ComplianceHub.Core.Domain.Personnel;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// Vendor isolation in the query itself: a vendor representative sees only their own vendor's rows, so a row of another
/// vendor is indistinguishable from a missing one (404). Every handler and query that reads people goes through here.
/// </summary>
public static class VendorScope
{
    public static IQueryable<Person> VisibleTo(this IQueryable<Person> people, Actor actor) =>
        actor.IsVendorRepresentative ? people.Where(p => p.VendorId == actor.VendorId) : people;

    public static IQueryable<Domain.Findings.Finding> VisibleTo(this IQueryable<Domain.Findings.Finding> findings, Actor actor) =>
        actor.IsVendorRepresentative ? findings.Where(f => f.VendorId == actor.VendorId) : findings;
}

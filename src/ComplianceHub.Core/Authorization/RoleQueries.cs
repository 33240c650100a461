using ComplianceHub.Core.Data;

namespace ComplianceHub.Core.Authorization;

/// <summary>Account ids by role, as a query to compose (contracts name their responsible officers by account id).</summary>
public static class RoleQueries
{
    public static IQueryable<Guid> AccountsInRole(this ComplianceDbContext db, string role) =>
        from ur in db.UserRoles
        join r in db.Roles on ur.RoleId equals r.Id
        where r.Name == role
        select ur.UserId;
}

using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Authorization;

/// <summary>One account as the administrators' list shows it.</summary>
public sealed record AccountRow(Guid Id, string Email, string DisplayName, string Role, string? VendorName,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, DateTimeOffset? LockedOutUntil);

/// <summary>Filters of the accounts list.</summary>
public sealed record AccountFilter(string? Search = null, string? Role = null);

/// <summary>Reads accounts for administrators: server-side filtered, sorted and paged.</summary>
public sealed class AccountDirectory(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    public async Task<PagedResult<AccountRow>> ListAsync(Actor actor, AccountFilter filter, PageRequest page, CancellationToken ct = default)
    {
        if (!actor.IsAdministrator)
        {
            throw new UnauthorizedAccessException("Only administrators list accounts.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var rows =
            from u in db.Users.AsNoTracking()
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            from v in db.Vendors.Where(v => v.Id == u.VendorId).DefaultIfEmpty()
            select new
            {
                u.Id,
                Email = u.Email!,
                u.DisplayName,
                Role = r.Name!,
                VendorName = v == null ? null : v.Name,
                u.CreatedAt,
                u.LastSignInAt,
                u.LockoutEnd,
            };

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = SearchPattern.Containing(filter.Search);
            rows = rows.Where(a => EF.Functions.ILike(a.Email, pattern) || EF.Functions.ILike(a.DisplayName, pattern)
                || (a.VendorName != null && EF.Functions.ILike(a.VendorName, pattern)));
        }
        if (!string.IsNullOrWhiteSpace(filter.Role))
        {
            rows = rows.Where(a => a.Role == filter.Role);
        }

        rows = (page.Sort, page.Desc) switch
        {
            ("displayName", false) => rows.OrderBy(a => a.DisplayName).ThenBy(a => a.Email),
            ("displayName", true) => rows.OrderByDescending(a => a.DisplayName).ThenBy(a => a.Email),
            ("role", false) => rows.OrderBy(a => a.Role).ThenBy(a => a.Email),
            ("role", true) => rows.OrderByDescending(a => a.Role).ThenBy(a => a.Email),
            ("vendorName", false) => rows.OrderBy(a => a.VendorName).ThenBy(a => a.Email),
            ("vendorName", true) => rows.OrderByDescending(a => a.VendorName).ThenBy(a => a.Email),
            ("lastSignInAt", false) => rows.OrderBy(a => a.LastSignInAt).ThenBy(a => a.Email),
            ("lastSignInAt", true) => rows.OrderByDescending(a => a.LastSignInAt).ThenBy(a => a.Email),
            (_, true) => rows.OrderByDescending(a => a.Email),
            _ => rows.OrderBy(a => a.Email),
        };

        var total = await rows.CountAsync(ct);
        var page1 = await rows.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        var items = page1.Select(a => new AccountRow(a.Id, a.Email, a.DisplayName, a.Role, a.VendorName, a.CreatedAt, a.LastSignInAt,
            a.LockoutEnd > now ? a.LockoutEnd : null)).ToList();
        return new PagedResult<AccountRow>(items, page.SafePage, page.SafePageSize, total);
    }
    /// <summary>Vendors an account can be bound to, for the create-account form.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> VendorsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var list = await db.Vendors.AsNoTracking().OrderBy(v => v.Name).Select(v => new { v.Id, v.Name }).ToListAsync(ct);
        return list.Select(v => (v.Id, v.Name)).ToList();
    }
}

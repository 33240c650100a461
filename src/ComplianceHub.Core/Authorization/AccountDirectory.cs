using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Authorization;

/// <summary>One account as the administrators' list shows it.</summary>
public sealed record AccountRow(Guid Id, string Email, string DisplayName, string Role, string? VendorName,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, DateTimeOffset? LockedOutUntil)
{
    public Guid? VendorId { get; init; }

    /// <summary>The contracting office an officer or auditor acts for; null when installation-wide.</summary>
    public Guid? OfficeId { get; init; }

    /// <summary>The office as "DITCO-Scott (HC1028)".</summary>
    public string? OfficeLabel { get; init; }

    /// <summary>For whom the account acts, in words: the vendor of a representative, the office of an officer or auditor.</summary>
    public string ActsFor => Role switch
    {
        Roles.VendorRepresentative => VendorName ?? "",
        Roles.ContractingOfficer or Roles.Auditor => OfficeLabel ?? "Every contracting office",
        _ => "The installation",
    };

    public DateTimeOffset? DisabledAt { get; init; }
    public string? DisabledReason { get; init; }

    /// <summary>The password was set by an administrator and is still to be changed by its holder.</summary>
    public bool MustChangePassword { get; init; }

    /// <summary>The account signs in with a one-time code from an authenticator app as well.</summary>
    public bool HasSecondFactor { get; init; }

    /// <summary>A system's account: it never signs in and acts only through personal access tokens.</summary>
    public bool IsServiceAccount { get; init; }

    /// <summary>The CAC/PIV identity the account is bound to (<c>EDIPI@mil</c> or a UPN); null for none.</summary>
    public string? SmartCardIdentity { get; init; }

    /// <summary>How the account signs in, in words: the administrators' list shows it under the status.</summary>
    public string SignInMethods => IsServiceAccount ? "service account: access tokens only"
        : string.Join(" or ", new[]
        {
            SmartCardIdentity is { } card ? $"smart card {SmartCardText(card)}" : null,
            HasSecondFactor ? "password with authenticator app" : SmartCardIdentity is null ? "password only" : "password",
        }.Where(m => m is not null));

    /// <summary>A CAC identity as its holder knows it (the DoD ID number), a PIV one as its UPN.</summary>
    public static string SmartCardText(string identity) =>
        identity.EndsWith("@mil", StringComparison.Ordinal) && identity.Length == 14 ? $"(DoD ID {identity[..10]})" : $"({identity})";

    /// <summary>The account's state, one of <see cref="AccountStatuses"/>: disabled first, then locked, then a pending change.</summary>
    public string Status => DisabledAt is not null ? AccountStatuses.Disabled
        : LockedOutUntil is not null ? AccountStatuses.Locked
        : MustChangePassword ? AccountStatuses.PasswordChangeDue
        : AccountStatuses.Active;
}

/// <summary>An account's state in the administrators' list (filter values), and the one place they become words.</summary>
public static class AccountStatuses
{
    public const string Active = "active";
    public const string Disabled = "disabled";
    public const string Locked = "locked";
    public const string PasswordChangeDue = "password-change-due";

    public static IReadOnlyList<string> All { get; } = [Active, Disabled, Locked, PasswordChangeDue];

    public static string Describe(string status) => status switch
    {
        Active => "Active",
        Disabled => "Disabled",
        Locked => "Locked out",
        PasswordChangeDue => "Must change password",
        _ => status,
    };
}

/// <summary>Filters of the accounts list.</summary>
public sealed record AccountFilter(string? Search = null, string? Role = null, string? Status = null);

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
            from o in db.ContractingOffices.Where(o => o.Id == u.OfficeId).DefaultIfEmpty()
            select new
            {
                u.Id,
                Email = u.Email!,
                u.DisplayName,
                Role = r.Name!,
                VendorName = v == null ? null : v.Name,
                OfficeLabel = o == null ? null : o.Name + " (" + o.Code + ")",
                u.OfficeId,
                u.CreatedAt,
                u.LastSignInAt,
                u.LockoutEnd,
                u.VendorId,
                u.DisabledAt,
                u.DisabledReason,
                u.MustChangePassword,
                u.TwoFactorEnabled,
                u.IsServiceAccount,
                u.SmartCardIdentity,
            };

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = LikePatterns.Containing(filter.Search)!;
            rows = rows.Where(a => EF.Functions.ILike(a.Email, pattern) || EF.Functions.ILike(a.DisplayName, pattern)
                || (a.VendorName != null && EF.Functions.ILike(a.VendorName, pattern))
                || (a.OfficeLabel != null && EF.Functions.ILike(a.OfficeLabel, pattern)));
        }
        if (!string.IsNullOrWhiteSpace(filter.Role))
        {
            rows = rows.Where(a => a.Role == filter.Role);
        }
        rows = filter.Status switch
        {
            AccountStatuses.Disabled => rows.Where(a => a.DisabledAt != null),
            AccountStatuses.Locked => rows.Where(a => a.DisabledAt == null && a.LockoutEnd > now),
            AccountStatuses.PasswordChangeDue => rows.Where(a => a.DisabledAt == null && !(a.LockoutEnd > now) && a.MustChangePassword),
            AccountStatuses.Active => rows.Where(a => a.DisabledAt == null && !(a.LockoutEnd > now) && !a.MustChangePassword),
            _ => rows,
        };

        rows = (page.Sort, page.Desc) switch
        {
            ("displayName", false) => rows.OrderBy(a => a.DisplayName).ThenBy(a => a.Email),
            ("displayName", true) => rows.OrderByDescending(a => a.DisplayName).ThenBy(a => a.Email),
            ("role", false) => rows.OrderBy(a => a.Role).ThenBy(a => a.Email),
            ("role", true) => rows.OrderByDescending(a => a.Role).ThenBy(a => a.Email),
            ("vendorName", false) => rows.OrderBy(a => a.VendorName ?? a.OfficeLabel).ThenBy(a => a.Email),
            ("vendorName", true) => rows.OrderByDescending(a => a.VendorName ?? a.OfficeLabel).ThenBy(a => a.Email),
            ("lastSignInAt", false) => rows.OrderBy(a => a.LastSignInAt).ThenBy(a => a.Email),
            ("lastSignInAt", true) => rows.OrderByDescending(a => a.LastSignInAt).ThenBy(a => a.Email),
            (_, true) => rows.OrderByDescending(a => a.Email),
            _ => rows.OrderBy(a => a.Email),
        };

        var total = await rows.CountAsync(ct);
        var page1 = await rows.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        var items = page1.Select(a => new AccountRow(a.Id, a.Email, a.DisplayName, a.Role, a.VendorName, a.CreatedAt, a.LastSignInAt,
            a.LockoutEnd > now ? a.LockoutEnd : null)
        {
            VendorId = a.VendorId,
            OfficeId = a.OfficeId,
            OfficeLabel = a.OfficeLabel,
            DisabledAt = a.DisabledAt,
            DisabledReason = a.DisabledReason,
            MustChangePassword = a.MustChangePassword,
            HasSecondFactor = a.TwoFactorEnabled,
            IsServiceAccount = a.IsServiceAccount,
            SmartCardIdentity = a.SmartCardIdentity,
        }).ToList();
        return new PagedResult<AccountRow>(items, page.SafePage, page.SafePageSize, total);
    }
    /// <summary>Contracting offices an officer or auditor can belong to, for the account forms.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> OfficesAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var list = await db.ContractingOffices.AsNoTracking().OrderBy(o => o.Name).Select(o => new { o.Id, o.Name, o.Code }).ToListAsync(ct);
        return list.Select(o => (o.Id, $"{o.Name} ({o.Code})")).ToList();
    }

    /// <summary>Vendors an account can be bound to, for the create-account form.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> VendorsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var list = await db.Vendors.AsNoTracking().OrderBy(v => v.Name).Select(v => new { v.Id, v.Name }).ToListAsync(ct);
        return list.Select(v => (v.Id, v.Name)).ToList();
    }
}

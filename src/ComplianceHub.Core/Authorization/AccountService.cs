using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Authorization;

/// <summary>What an administrator asks for when creating an account.</summary>
/// <param name="Email">Sign-in name and contact address.</param>
/// <param name="DisplayName">Name shown in the portal and the audit trail.</param>
/// <param name="Role">One of <see cref="Roles.All"/>.</param>
/// <param name="VendorId">Required for a vendor representative, forbidden for every other role.</param>
/// <param name="Password">The initial password.</param>
public sealed record NewAccount(string Email, string DisplayName, string Role, Guid? VendorId, string Password);

/// <summary>The outcome of creating an account: the new id, or per-field errors.</summary>
public sealed record AccountResult(Guid? UserId, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => UserId is not null;

    internal static AccountResult Fail(string field, string message) =>
        new(null, new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>
/// Creates portal accounts. There is no self-registration: only administrators (the admin pages, or the CLI on
/// the server) create accounts, and every account holds exactly one role; a vendor representative is bound to
/// exactly one existing vendor.
/// </summary>
public sealed class AccountService(UserManager<ApplicationUser> users, RoleManager<ApplicationRole> roles,
    ComplianceDbContext db, TimeProvider clock, FluentValidation.IValidator<NewAccount> validator)
{
    /// <summary>Creates the account, or returns why not (nothing is written then).</summary>
    public async Task<AccountResult> CreateAsync(Actor actor, NewAccount request, CancellationToken ct = default)
    {
        EnsureAdministrator(actor);
        using var audit = AuditScope.Begin(actor, "account.create");
        var shape = await validator.ValidateAsync(request, ct);
        if (!shape.IsValid)
        {
            return new AccountResult(null, shape.ToDictionary().AsReadOnly());
        }
        if (request.VendorId is { } vendorId && !await db.Vendors.AnyAsync(v => v.Id == vendorId, ct))
        {
            return AccountResult.Fail(nameof(NewAccount.VendorId), "The vendor does not exist.");
        }

        // Identity's stores save through this same scoped context: one transaction makes user + role atomic.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await roles.RoleExistsAsync(request.Role))
        {
            var created = await roles.CreateAsync(new ApplicationRole(request.Role));
            if (!created.Succeeded)
            {
                return AccountResult.Fail(nameof(NewAccount.Role), string.Join(" ", created.Errors.Select(e => e.Description)));
            }
        }

        var user = new ApplicationUser
        {
            Id = Guid.CreateVersion7(),
            UserName = request.Email.Trim(),
            Email = request.Email.Trim(),
            EmailConfirmed = true,
            DisplayName = request.DisplayName.Trim(),
            VendorId = request.VendorId,
            CreatedAt = clock.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, request.Password);
        if (!result.Succeeded)
        {
            return new AccountResult(null, result.Errors
                .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? nameof(NewAccount.Password) : nameof(NewAccount.Email))
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        }
        var inRole = await users.AddToRoleAsync(user, request.Role);
        if (!inRole.Succeeded)
        {
            return AccountResult.Fail(nameof(NewAccount.Role), string.Join(" ", inRole.Errors.Select(e => e.Description)));
        }
        await tx.CommitAsync(ct);
        return new AccountResult(user.Id, new Dictionary<string, string[]>());
    }

    /// <summary>Ends a lock-out early. Returns false when the account does not exist or the change failed.</summary>
    public async Task<bool> UnlockAsync(Actor actor, Guid userId, CancellationToken ct = default)
    {
        EnsureAdministrator(actor);
        using var audit = AuditScope.Begin(actor, "account.unlock");
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return false;
        }
        user.LockoutEnd = null;
        user.RecentFailedSignIns.Clear();
        return (await users.UpdateAsync(user)).Succeeded;
    }

    private static void EnsureAdministrator(Actor actor)
    {
        if (!actor.IsAdministrator)
        {
            throw new UnauthorizedAccessException("Only administrators manage accounts.");
        }
    }
}

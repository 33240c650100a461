using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Authorization;

/// <summary>What an administrator asks for when creating an account.</summary>
/// <param name="Email">Sign-in name and contact address.</param>
/// <param name="DisplayName">Name shown in the portal and the audit trail.</param>
/// <param name="Role">One of <see cref="Roles.All"/>.</param>
/// <param name="VendorId">Required for a vendor representative, forbidden for every other role.</param>
/// <param name="Password">The initial password.</param>
/// <param name="TemporaryPassword">
/// The holder must change the password at the first sign-in (IA-5(1)(f)). True whenever an administrator chooses the password
/// for someone else (the accounts page, the CLI); false only for the demo and test accounts.
/// </param>
/// <param name="ServiceAccount">A system's account (<see cref="ApplicationUser.IsServiceAccount"/>): no password to give anyone.</param>
/// <param name="OfficeId">
/// The contracting office an officer or auditor acts for (they see the vendors whose contracts it holds); null for an
/// installation-wide one. Forbidden for the other roles (ADR 0028).
/// </param>
public sealed record NewAccount(string Email, string DisplayName, string Role, Guid? VendorId, string Password, bool TemporaryPassword = false,
    bool ServiceAccount = false, Guid? OfficeId = null)
{
    /// <summary>The roles a service account may hold: never one that decides (officer) or administers.</summary>
    public static readonly IReadOnlySet<string> ServiceAccountRoles = new HashSet<string> { Roles.VendorRepresentative, Roles.Auditor };
}

/// <summary>The outcome of an account change: the account's id, or per-field errors (nothing is written then).</summary>
public sealed record AccountResult(Guid? UserId, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => UserId is not null;

    /// <summary>The account does not exist.</summary>
    public bool NotFound { get; init; }

    internal static AccountResult Ok(Guid userId) => new(userId, new Dictionary<string, string[]>());

    internal static AccountResult Fail(string field, string message) =>
        new(null, new Dictionary<string, string[]> { [field] = [message] });

    internal static AccountResult Missing() =>
        Fail("Account", "The account does not exist; reload the list.") with { NotFound = true };
}

/// <summary>
/// Creates portal accounts. There is no self-registration: only administrators (the admin pages, or the CLI on
/// the server) create accounts, and every account holds exactly one role; a vendor representative is bound to
/// exactly one existing vendor.
/// </summary>
/// <remarks>
/// A DbContext per operation, never one per circuit (STYLE.md): a page holds this service for as long as its circuit
/// lives, so each operation runs in a scope of its own — its own context, and Identity's managers and stores over it.
/// </remarks>
public sealed class AccountService(IServiceScopeFactory scopes)
{
    /// <inheritdoc cref="AccountChanges.CreateAsync"/>
    public Task<AccountResult> CreateAsync(Actor actor, NewAccount request, CancellationToken ct = default) =>
        InItsOwnScopeAsync(a => a.CreateAsync(actor, request, ct));

    /// <inheritdoc cref="AccountChanges.UnlockAsync"/>
    public Task<bool> UnlockAsync(Actor actor, Guid userId, CancellationToken ct = default) =>
        InItsOwnScopeAsync(a => a.UnlockAsync(actor, userId, ct));

    /// <inheritdoc cref="AccountChanges.DisableAsync"/>
    public Task<AccountResult> DisableAsync(Actor actor, Guid userId, string reason, CancellationToken ct = default) =>
        InItsOwnScopeAsync(a => a.DisableAsync(actor, userId, reason, ct));

    /// <inheritdoc cref="AccountChanges.EnableAsync"/>
    public Task<AccountResult> EnableAsync(Actor actor, Guid userId, CancellationToken ct = default) =>
        InItsOwnScopeAsync(a => a.EnableAsync(actor, userId, ct));

    /// <inheritdoc cref="AccountChanges.ChangeRoleAsync(Actor, Guid, string, Guid?, Guid?, CancellationToken)"/>
    public Task<AccountResult> ChangeRoleAsync(Actor actor, Guid userId, string role, Guid? vendorId, CancellationToken ct = default) =>
        ChangeRoleAsync(actor, userId, role, vendorId, officeId: null, ct);

    /// <inheritdoc cref="AccountChanges.ChangeRoleAsync(Actor, Guid, string, Guid?, Guid?, CancellationToken)"/>
    public Task<AccountResult> ChangeRoleAsync(Actor actor, Guid userId, string role, Guid? vendorId, Guid? officeId, CancellationToken ct = default) =>
        InItsOwnScopeAsync(a => a.ChangeRoleAsync(actor, userId, role, vendorId, officeId, ct));

    /// <inheritdoc cref="AccountChanges.ResetPasswordAsync"/>
    public Task<AccountResult> ResetPasswordAsync(Actor actor, Guid userId, string temporaryPassword, CancellationToken ct = default) =>
        InItsOwnScopeAsync(a => a.ResetPasswordAsync(actor, userId, temporaryPassword, ct));

    /// <inheritdoc cref="AccountChanges.BindSmartCardAsync"/>
    public Task<AccountResult> BindSmartCardAsync(Actor actor, Guid userId, string? identity, CancellationToken ct = default) =>
        InItsOwnScopeAsync(a => a.BindSmartCardAsync(actor, userId, identity, ct));

    /// <inheritdoc cref="AccountChanges.EndSessionsAsync"/>
    public Task<AccountResult> EndSessionsAsync(Actor actor, Guid userId, CancellationToken ct = default) =>
        InItsOwnScopeAsync(a => a.EndSessionsAsync(actor, userId, ct));

    /// <inheritdoc cref="AccountChanges.ChangeOwnPasswordAsync"/>
    public Task<(AccountResult Result, ApplicationUser? User)> ChangeOwnPasswordAsync(Actor actor, Guid currentSessionId,
        string currentPassword, string newPassword, CancellationToken ct = default) =>
        InItsOwnScopeAsync(a => a.ChangeOwnPasswordAsync(actor, currentSessionId, currentPassword, newPassword, ct));

    private async Task<T> InItsOwnScopeAsync<T>(Func<AccountChanges, Task<T>> operation)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        return await operation(new AccountChanges(services.GetRequiredService<UserManager<ApplicationUser>>(),
            services.GetRequiredService<RoleManager<ApplicationRole>>(), services.GetRequiredService<ComplianceDbContext>(),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<FluentValidation.IValidator<NewAccount>>(),
            services.GetRequiredService<UserSessions>(), services.GetRequiredService<SignInAttempts>()));
    }
}

/// <summary>One account operation's work, on the context and Identity managers of the scope <see cref="AccountService"/> made for it.</summary>
internal sealed class AccountChanges(UserManager<ApplicationUser> users, RoleManager<ApplicationRole> roles,
    ComplianceDbContext db, TimeProvider clock, FluentValidation.IValidator<NewAccount> validator, UserSessions sessions, SignInAttempts attempts)
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
        if (await OfficeProblemAsync(request.Role, request.OfficeId, ct) is { } officeProblem)
        {
            return AccountResult.Fail(nameof(NewAccount.OfficeId), officeProblem);
        }

        // Identity's stores save through this operation's context: one transaction makes user + role atomic.
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
            OfficeId = request.OfficeId,
            CreatedAt = clock.GetUtcNow(),
            MustChangePassword = request.TemporaryPassword && !request.ServiceAccount,
            IsServiceAccount = request.ServiceAccount,
        };
        // A service account never signs in: its password is random and shown to no one (it acts through access tokens).
        var password = request.ServiceAccount
            ? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)) + "aA1!"
            : request.Password;
        var result = await users.CreateAsync(user, password);
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

    /// <summary>
    /// Disables an account (AC-2(3)): it cannot sign in, its sessions end, and its cookies, bearer tokens and personal access
    /// tokens are refused on their next request. Administrators cannot disable their own account.
    /// </summary>
    public Task<AccountResult> DisableAsync(Actor actor, Guid userId, string reason, CancellationToken ct = default) =>
        ChangeAsync(actor, userId, "account.disable", async user =>
        {
            reason = reason?.Trim() ?? "";
            if (reason.Length == 0)
            {
                return AccountResult.Fail("Reason", "Say why the account is disabled; the reason is kept in the audit trail.");
            }
            if (reason.Length > 500)
            {
                return AccountResult.Fail("Reason", "Keep the reason to 500 characters.");
            }
            if (user.Id == actor.UserId)
            {
                return AccountResult.Fail("Account", "You cannot disable your own account; ask another administrator.");
            }
            if (user.DisabledAt is not null)
            {
                return AccountResult.Fail("Account", "The account is already disabled.");
            }
            user.DisabledAt = clock.GetUtcNow();
            user.DisabledReason = reason;
            await EndSessionsAndRenewStampAsync(actor, user, SessionEndReasons.AccountDisabled, except: null, ct);
            return null;
        }, ct);

    /// <summary>Enables a disabled account again; its holder signs in anew (nothing of the old sessions comes back).</summary>
    public Task<AccountResult> EnableAsync(Actor actor, Guid userId, CancellationToken ct = default) =>
        ChangeAsync(actor, userId, "account.enable", user =>
        {
            if (user.DisabledAt is null)
            {
                return Task.FromResult<AccountResult?>(AccountResult.Fail("Account", "The account is not disabled."));
            }
            user.DisabledAt = null;
            user.DisabledReason = null;
            return Task.FromResult<AccountResult?>(null);
        }, ct);

    /// <summary>Why an account of <paramref name="role"/> cannot belong to <paramref name="officeId"/>, or null when it can.</summary>
    private async Task<string?> OfficeProblemAsync(string role, Guid? officeId, CancellationToken ct)
    {
        if (officeId is not { } office)
        {
            return null;
        }
        if (role is not (Roles.ContractingOfficer or Roles.Auditor))
        {
            return "Only a contracting officer or an auditor belongs to a contracting office; clear the office.";
        }
        return await db.ContractingOffices.AnyAsync(o => o.Id == office, ct) ? null : "The contracting office does not exist; reload the page.";
    }

    /// <summary>
    /// Gives an account another role, vendor binding or contracting office. Its sessions end and its personal access tokens are
    /// revoked, since both were granted for what the account was. Administrators cannot change their own role.
    /// </summary>
    public Task<AccountResult> ChangeRoleAsync(Actor actor, Guid userId, string role, Guid? vendorId, Guid? officeId, CancellationToken ct = default) =>
        ChangeAsync(actor, userId, "account.change-role", async user =>
        {
            if (!Roles.All.Contains(role))
            {
                return AccountResult.Fail("Role", "Choose one of the four roles.");
            }
            if (role == Roles.VendorRepresentative && vendorId is null)
            {
                return AccountResult.Fail(nameof(NewAccount.VendorId), "Choose the vendor a vendor representative acts for.");
            }
            if (role != Roles.VendorRepresentative && vendorId is not null)
            {
                return AccountResult.Fail(nameof(NewAccount.VendorId), "Only a vendor representative is bound to a vendor; clear the vendor.");
            }
            if (vendorId is { } v && !await db.Vendors.AnyAsync(x => x.Id == v, ct))
            {
                return AccountResult.Fail(nameof(NewAccount.VendorId), "The vendor does not exist.");
            }
            if (user.Id == actor.UserId)
            {
                return AccountResult.Fail("Role", "You cannot change your own role; ask another administrator.");
            }
            if (user.IsServiceAccount && !NewAccount.ServiceAccountRoles.Contains(role))
            {
                return AccountResult.Fail("Role", "A service account is a vendor representative or an auditor, never an officer or administrator.");
            }
            if (await OfficeProblemAsync(role, officeId, ct) is { } officeProblem)
            {
                return AccountResult.Fail(nameof(NewAccount.OfficeId), officeProblem);
            }
            var current = await db.UserRoles.Where(r => r.UserId == user.Id).ToListAsync(ct);
            var roleRow = await db.Roles.SingleOrDefaultAsync(r => r.Name == role, ct);
            if (roleRow is not null && user.VendorId == vendorId && user.OfficeId == officeId && current.Count == 1 && current[0].RoleId == roleRow.Id)
            {
                return AccountResult.Fail("Role", "The account already has this role, vendor and office.");
            }
            if (roleRow is null)
            {
                roleRow = new ApplicationRole(role) { Id = Guid.CreateVersion7(), ConcurrencyStamp = Guid.NewGuid().ToString() };
                db.Roles.Add(roleRow);
            }
            db.UserRoles.RemoveRange(current);
            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = roleRow.Id });
            user.VendorId = vendorId;
            user.OfficeId = officeId;
            var now = clock.GetUtcNow();
            foreach (var token in await db.ApiTokens.Where(t => t.OwnerUserId == user.Id && t.RevokedAt == null).ToListAsync(ct))
            {
                token.Revoke(actor.UserId, now);
            }
            await EndSessionsAndRenewStampAsync(actor, user, SessionEndReasons.RoleChanged, except: null, ct);
            return null;
        }, ct);

    /// <summary>
    /// Sets a temporary password chosen by an administrator (to give the holder through a separate channel): the holder must
    /// change it at the next sign-in, every session ends, and a lock-out ends with it.
    /// </summary>
    public Task<AccountResult> ResetPasswordAsync(Actor actor, Guid userId, string temporaryPassword, CancellationToken ct = default) =>
        ChangeAsync(actor, userId, "account.reset-password", async user =>
        {
            if (user.IsServiceAccount)
            {
                // A password would be a way in that no one should have: a service account never signs in.
                return AccountResult.Fail("Account", "A service account has no password: it never signs in. To replace its access, revoke its token and issue a new one.");
            }
            if (await PasswordProblemAsync(user, temporaryPassword) is { } problem)
            {
                return AccountResult.Fail("Password", problem);
            }
            // Not checked against the account's earlier passwords: the form would tell an administrator which ones the holder
            // used. The password it replaces joins the history, so the holder cannot go back to it either.
            SetPassword(user, temporaryPassword);
            user.MustChangePassword = true;
            user.LockoutEnd = null;
            user.RecentFailedSignIns.Clear();
            await EndSessionsAndRenewStampAsync(actor, user, SessionEndReasons.PasswordReset, except: null, ct);
            return null;
        }, ct);

    /// <summary>
    /// Binds an account to the CAC or PIV identity its holder signs in with (a 10-digit EDIPI or a certificate UPN), or removes
    /// the binding when <paramref name="identity"/> is empty. One account per identity; service accounts never sign in. A
    /// removed or changed binding ends the account's smart card sessions with the rest (the security stamp is renewed).
    /// </summary>
    public Task<AccountResult> BindSmartCardAsync(Actor actor, Guid userId, string? identity, CancellationToken ct = default) =>
        ChangeAsync(actor, userId, "account.bind-smart-card", async user =>
        {
            string? stored = null;
            if (!string.IsNullOrWhiteSpace(identity))
            {
                stored = SmartCardIdentity.Normalize(identity, out var problem);
                if (stored is null)
                {
                    return AccountResult.Fail(nameof(ApplicationUser.SmartCardIdentity), problem!);
                }
            }
            if (user.IsServiceAccount && stored is not null)
            {
                return AccountResult.Fail(nameof(ApplicationUser.SmartCardIdentity), "A service account never signs in, so it has no smart card.");
            }
            if (stored == user.SmartCardIdentity)
            {
                return AccountResult.Fail(nameof(ApplicationUser.SmartCardIdentity),
                    stored is null ? "The account has no smart card to remove." : "The account is already bound to this smart card.");
            }
            if (stored is not null && await db.Users.AnyAsync(u => u.SmartCardIdentity == stored && u.Id != user.Id, ct))
            {
                return AccountResult.Fail(nameof(ApplicationUser.SmartCardIdentity),
                    "Another account is bound to this smart card. Remove that binding first: one card opens one account.");
            }
            var replaced = user.SmartCardIdentity is not null;
            user.SmartCardIdentity = stored;
            if (replaced)
            {
                await EndSessionsAndRenewStampAsync(actor, user, SessionEndReasons.SmartCardChanged, except: null, ct);
            }
            return null;
        }, ct);

    /// <summary>Ends every open session of an account (its cookies and bearer tokens stop working); the account stays enabled.</summary>
    public Task<AccountResult> EndSessionsAsync(Actor actor, Guid userId, CancellationToken ct = default) =>
        ChangeAsync(actor, userId, "account.end-sessions", async user =>
        {
            if (await sessions.EndAllAsync(db, user.Id, except: null, actor.UserId, SessionEndReasons.EndedByAdministrator, ct) == 0)
            {
                return AccountResult.Fail("Account", "The account has no open session.");
            }
            return null;
        }, ct);

    /// <summary>
    /// The holder changes their own password: the current one must be right (a wrong one counts towards the lock-out), the new
    /// one must meet the policy and differ. Every other session of the account ends; the caller re-issues the current one's
    /// credential with the returned account (its security stamp is new).
    /// </summary>
    public async Task<(AccountResult Result, ApplicationUser? User)> ChangeOwnPasswordAsync(Actor actor, Guid currentSessionId,
        string currentPassword, string newPassword, CancellationToken ct = default)
    {
        ApplicationUser? changed = null;
        var wrongPassword = false;
        var result = await ChangeAsync(actor, actor.UserId, "account.change-password", async user =>
        {
            if (user.DisabledAt is not null || user.LockoutEnd > clock.GetUtcNow())
            {
                return AccountResult.Fail("CurrentPassword", "The account is disabled or locked; sign in again later.");
            }
            if (users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash ?? "", currentPassword ?? "") == PasswordVerificationResult.Failed)
            {
                wrongPassword = true;
                return AccountResult.Fail("CurrentPassword", "The current password is not correct.");
            }
            if (string.Equals(currentPassword, newPassword, StringComparison.Ordinal))
            {
                return AccountResult.Fail("NewPassword", "Choose a password different from the current one.");
            }
            if (await PasswordProblemAsync(user, newPassword) is { } problem)
            {
                return AccountResult.Fail("NewPassword", problem);
            }
            if (UsedRecently(user, newPassword))
            {
                return AccountResult.Fail("NewPassword",
                    $"You have used this password recently. Choose one that is none of your last {IdentitySetup.PasswordGenerations} passwords.");
            }
            SetPassword(user, newPassword);
            user.MustChangePassword = false;
            user.PasswordChangedAt = clock.GetUtcNow();
            await EndSessionsAndRenewStampAsync(actor, user, SessionEndReasons.PasswordChanged, except: currentSessionId, ct);
            changed = user;
            return null;
        }, ct, selfService: true);
        if (wrongPassword)
        {
            // Outside the refused change's transaction, which wrote nothing; three wrong ones lock the account as at sign-in.
            using var audit = AuditScope.Begin(actor, "account.change-password");
            await attempts.FailedAsync(actor.UserId, ct);
        }
        return (result, changed);
    }

    /// <summary>Whether the password is the account's current one or one of the generations before it (each a slow hash check).</summary>
    private bool UsedRecently(ApplicationUser user, string password) =>
        user.PreviousPasswordHashes.Prepend(user.PasswordHash).OfType<string>().Take(IdentitySetup.PasswordGenerations)
            .Any(hash => users.PasswordHasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed);

    /// <summary>Sets a new password; the one it replaces joins the history, which keeps the generations before the current one.</summary>
    private void SetPassword(ApplicationUser user, string password)
    {
        if (user.PasswordHash is { } replaced)
        {
            user.PreviousPasswordHashes = [replaced, .. user.PreviousPasswordHashes.Take(IdentitySetup.PasswordGenerations - 2)];
        }
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
    }

    private async Task<string?> PasswordProblemAsync(ApplicationUser user, string password)
    {
        var problems = new List<string>();
        foreach (var v in users.PasswordValidators)
        {
            var r = await v.ValidateAsync(users, user, password ?? "");
            problems.AddRange(r.Errors.Select(x => x.Description));
        }
        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    private async Task EndSessionsAndRenewStampAsync(Actor actor, ApplicationUser user, string reason, Guid? except, CancellationToken ct)
    {
        await sessions.EndAllAsync(db, user.Id, except, actor.UserId == Guid.Empty ? null : actor.UserId, reason, ct);
        if (!user.TwoFactorEnabled)
        {
            // An authenticator key shown but never confirmed goes too: whoever saw it must not share the next enrolment.
            db.UserTokens.RemoveRange(await db.UserTokens.Where(t => t.UserId == user.Id && t.Name == "AuthenticatorKey").ToListAsync(ct));
        }
        // A new stamp refuses every credential issued before it, even one whose session was not recorded as open.
        user.SecurityStamp = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    }

    /// <summary>
    /// One account change, in one transaction: the account's row locked and read fresh, the change applied (or refused, and
    /// nothing written), saved once through the gate — one audited event — and committed.
    /// </summary>
    private async Task<AccountResult> ChangeAsync(Actor actor, Guid userId, string operation, Func<ApplicationUser, Task<AccountResult?>> change,
        CancellationToken ct, bool selfService = false)
    {
        if (!selfService)
        {
            EnsureAdministrator(actor);
        }
        else if (actor.UserId != userId)
        {
            throw new UnauthorizedAccessException("Only the account's holder changes their own password.");
        }
        using var audit = AuditScope.Begin(actor, operation);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.FromSql($"SELECT * FROM users WHERE id = {userId} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return AccountResult.Missing();
        }
        if (await change(user) is { } refused)
        {
            db.ChangeTracker.Clear();
            return refused;
        }
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return AccountResult.Ok(user.Id);
    }

    private static void EnsureAdministrator(Actor actor)
    {
        if (!actor.IsAdministrator)
        {
            throw new UnauthorizedAccessException("Only administrators manage accounts.");
        }
    }
}

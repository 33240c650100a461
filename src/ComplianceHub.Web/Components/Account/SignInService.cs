using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using Microsoft.AspNetCore.Identity;

namespace ComplianceHub.Web.Components.Account;

/// <summary>The result the sign-in form may show. Deliberately one failure value: the form never reveals whether an
/// account exists, is locked out or has a wrong password.</summary>
public enum SignInOutcome { Succeeded, Failed }

/// <summary>
/// Password sign-in with the DoD lockout rule: 3 failed attempts within 15 minutes lock the account for 15 minutes.
/// Identity's own counter counts consecutive failures with no time window, so the window is kept here
/// (<see cref="ApplicationUser.RecentFailedSignIns"/>) and the lock set through Identity's lockout end.
/// </summary>
public sealed class SignInService(SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users,
    SignInAttempts attempts, ILogger<SignInService> log)
{
    /// <summary>The sign-in form: checks the password under the lock-out rule, then issues the portal's cookie.</summary>
    public async Task<SignInOutcome> PasswordSignInAsync(string email, string password)
    {
        var user = await CheckPasswordAsync(email, password, "password");
        if (user is null)
        {
            return SignInOutcome.Failed;
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return SignInOutcome.Succeeded;
    }

    /// <summary>
    /// Checks an account's password under the DoD lock-out rule and records the attempt (audited, with the account as the
    /// actor). Returns the account when the password is right and the account may sign in; null for every failure alike.
    /// </summary>
    /// <param name="method">How the caller authenticates ("password" for the form, "bearer" for an API token).</param>
    public async Task<ApplicationUser?> CheckPasswordAsync(string email, string password, string method)
    {
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Spend comparable time on unknown accounts so timing does not reveal which accounts exist.
            users.PasswordHasher.HashPassword(new ApplicationUser(), password ?? "");
            log.LogInformation("Sign-in failed: unknown account");
            return null;
        }

        // Sign-in writes (last sign-in, failure times, lock-out) are audited with the account as the actor.
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        using var audit = AuditScope.Begin(new AuditScope(
            new AuditActor(user.Id, user.DisplayName, role, user.VendorId, method), "account.sign-in", Guid.CreateVersion7().ToString()));

        // A locked-out account fails before its password is checked (Identity returns LockedOut).
        var result = await signIn.CheckPasswordSignInAsync(user, password ?? "", lockoutOnFailure: false);
        if (result.Succeeded)
        {
            var stored = await attempts.SucceededAsync(user.Id);
            user.LastSignInAt = stored.LastSignInAt;
            user.RecentFailedSignIns = stored.RecentFailedSignIns;
            user.ConcurrencyStamp = stored.ConcurrencyStamp;
            log.LogInformation("Sign-in succeeded for account {UserId} ({Method})", user.Id, method);
            return user;
        }
        if (result.IsLockedOut)
        {
            // Identity answers a locked account without hashing: spend the same work, so timing does not tell it apart.
            users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash ?? "", password ?? "");
            log.LogWarning("Sign-in refused: account {UserId} is locked out", user.Id);
            return null;
        }

        var lockedNow = await attempts.FailedAsync(user.Id);
        if (lockedNow)
        {
            log.LogWarning("Account {UserId} locked out after {Failures} failed sign-ins within {Window}",
                user.Id, IdentitySetup.MaxFailedSignIns, IdentitySetup.LockoutWindow);
        }
        else
        {
            log.LogInformation("Sign-in failed for account {UserId}", user.Id);
        }
        return null;
    }
}

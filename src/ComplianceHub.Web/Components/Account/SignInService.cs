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
    TimeProvider clock, ILogger<SignInService> log)
{
    public async Task<SignInOutcome> PasswordSignInAsync(string email, string password)
    {
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Spend comparable time on unknown accounts so timing does not reveal which accounts exist.
            users.PasswordHasher.HashPassword(new ApplicationUser(), password ?? "");
            log.LogInformation("Sign-in failed: unknown account");
            return SignInOutcome.Failed;
        }

        // Sign-in writes (last sign-in, failure times, lock-out) are audited with the account as the actor.
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        using var audit = AuditScope.Begin(new AuditScope(
            new AuditActor(user.Id, user.DisplayName, role, user.VendorId, "password"), "account.sign-in", Guid.CreateVersion7().ToString()));

        // A locked-out account fails before its password is checked (Identity returns LockedOut).
        var result = await signIn.PasswordSignInAsync(user, password ?? "", isPersistent: false, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            await RecordAsync(user, u =>
            {
                u.LastSignInAt = clock.GetUtcNow();
                u.RecentFailedSignIns.Clear();
            });
            log.LogInformation("Sign-in succeeded for account {UserId}", user.Id);
            return SignInOutcome.Succeeded;
        }
        if (result.IsLockedOut)
        {
            log.LogWarning("Sign-in refused: account {UserId} is locked out", user.Id);
            return SignInOutcome.Failed;
        }

        var lockedNow = false;
        await RecordAsync(user, u =>
        {
            var now = clock.GetUtcNow();
            u.RecentFailedSignIns = u.RecentFailedSignIns.Where(t => now - t < IdentitySetup.LockoutWindow).Append(now).ToList();
            if (u.RecentFailedSignIns.Count >= IdentitySetup.MaxFailedSignIns && u.LockoutEnabled)
            {
                u.LockoutEnd = now + IdentitySetup.LockoutWindow;
                u.RecentFailedSignIns.Clear();
                lockedNow = true;
            }
        });
        if (lockedNow)
        {
            log.LogWarning("Account {UserId} locked out after {Failures} failed sign-ins within {Window}",
                user.Id, IdentitySetup.MaxFailedSignIns, IdentitySetup.LockoutWindow);
        }
        else
        {
            log.LogInformation("Sign-in failed for account {UserId}", user.Id);
        }
        return SignInOutcome.Failed;
    }

    private async Task RecordAsync(ApplicationUser user, Action<ApplicationUser> change)
    {
        change(user);
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
        {
            // A concurrent attempt on the same account won the concurrency stamp; its own record stands.
            log.LogWarning("Could not record a sign-in attempt for account {UserId}: {Errors}",
                user.Id, string.Join(", ", updated.Errors.Select(e => e.Code)));
        }
    }
}

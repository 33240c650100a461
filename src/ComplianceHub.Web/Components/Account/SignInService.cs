using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Web.Components.Account;

/// <summary>The result the sign-in form may show. Deliberately one failure value: the form never reveals whether an
/// account exists, is disabled, is locked out or has a wrong password or code. A second factor is asked for only after the
/// right password.</summary>
public enum SignInOutcome { Succeeded, Failed, SecondFactorRequired }

/// <summary>A sign-in check: its outcome, the session when it succeeded, the account when its code is still to come.</summary>
public sealed record SignInCheck(SignInOutcome Outcome, SignedIn? SignedIn = null, Guid? PendingUserId = null)
{
    public static readonly SignInCheck Failed = new(SignInOutcome.Failed);
}

/// <summary>Where a sign-in comes from, stored on its session for the holder and the administrators to see.</summary>
public sealed record ClientInfo(string? Address, string? UserAgent)
{
    public static ClientInfo From(HttpContext http) =>
        new(http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
}

/// <summary>A right password for an account that may sign in, and the server-side session opened for it.</summary>
public sealed record SignedIn(ApplicationUser User, UserSession Session);

/// <summary>
/// Password sign-in with the DoD lockout rule: 3 failed attempts within 15 minutes lock the account for 15 minutes.
/// Identity's own counter counts consecutive failures with no time window, so the window is kept here
/// (<see cref="ApplicationUser.RecentFailedSignIns"/>) and the lock set through Identity's lockout end.
/// </summary>
public sealed class SignInService(SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users,
    SignInAttempts attempts, SecondFactors secondFactors, TimeProvider clock, ILogger<SignInService> log)
{
    /// <summary>
    /// The sign-in form: checks the password under the lock-out rule, opens a server-side session, then issues the portal's
    /// cookie naming it.
    /// </summary>
    public async Task<SignInCheck> PasswordSignInAsync(string email, string password, ClientInfo client)
    {
        var check = await CheckPasswordAsync(email, password, "password", client);
        if (check.SignedIn is { } signedIn)
        {
            await IssueCookieAsync(signedIn.User, signedIn.Session.Id);
        }
        return check;
    }

    /// <summary>
    /// The sign-in form's second step: the one-time or recovery code of an account whose password was right moments ago
    /// (<see cref="SecondFactorChallenge"/>). A wrong code counts as a failed sign-in, towards the lock-out.
    /// </summary>
    public async Task<SignInOutcome> SecondFactorSignInAsync(Guid userId, string code, ClientInfo client)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return SignInOutcome.Failed;
        }
        using var audit = AuditScope.Begin(await AuditScopeForAsync(user, "password"));
        if (user.DisabledAt is not null || await users.IsLockedOutAsync(user) || !user.TwoFactorEnabled)
        {
            log.LogWarning("Second factor refused: account {UserId} is disabled, locked out or has none", user.Id);
            return SignInOutcome.Failed;
        }
        var check = await CompleteAsync(user, code, "password", client);
        if (check.SignedIn is { } signedIn)
        {
            await IssueCookieAsync(signedIn.User, signedIn.Session.Id);
        }
        return check.Outcome;
    }

    /// <summary>
    /// Issues (or re-issues, after a password change renewed the security stamp) the portal cookie for an open session.
    /// </summary>
    public Task IssueCookieAsync(ApplicationUser user, Guid sessionId) =>
        signIn.SignInWithClaimsAsync(user, isPersistent: false, [new System.Security.Claims.Claim(ComplianceClaimTypes.SessionId, sessionId.ToString())]);

    /// <summary>
    /// Checks an account's password under the DoD lock-out rule and records the attempt (audited, with the account as the
    /// actor). Returns the account and its new server-side session when the password is right and the account may sign in
    /// (enabled, not locked out); null for every failure alike.
    /// </summary>
    /// <param name="method">How the caller authenticates ("password" for the form, "bearer" for an API token).</param>
    /// <param name="client">Where the attempt comes from, kept on the session.</param>
    /// <param name="secondFactor">The one-time or recovery code, when the caller sends it with the password (the API).</param>
    public async Task<SignInCheck> CheckPasswordAsync(string email, string password, string method, ClientInfo client, string? secondFactor = null)
    {
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Spend comparable time on unknown accounts so timing does not reveal which accounts exist.
            users.PasswordHasher.HashPassword(new ApplicationUser(), password ?? "");
            log.LogInformation("Sign-in failed: unknown account");
            using (AuditScope.Begin(new AuditScope(new AuditActor(null, "unknown account", "", null, method), "account.sign-in-refused",
                       Guid.CreateVersion7().ToString())))
            {
                await RecordRefusalAsync("sign-in", NameHash(email), "unknown account", method, client);
            }
            return SignInCheck.Failed;
        }

        using var audit = AuditScope.Begin(await AuditScopeForAsync(user, method));

        if (user.DisabledAt is not null || user.IsServiceAccount)
        {
            // The same work as a wrong password, and the same answer: a disabled account is not told apart either, nor a
            // service account (a system's account acts only through its access tokens, never by signing in).
            users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash ?? "", password ?? "");
            var reason = user.IsServiceAccount ? "service account" : "account disabled";
            log.LogWarning("Sign-in refused for account {UserId}: {Reason}", user.Id, reason);
            await RecordRefusalAsync("account", user.Id.ToString(), reason, method, client);
            return SignInCheck.Failed;
        }

        // A locked-out account fails before its password is checked (Identity returns LockedOut).
        var result = await signIn.CheckPasswordSignInAsync(user, password ?? "", lockoutOnFailure: false);
        if (result.Succeeded)
        {
            if (!user.TwoFactorEnabled)
            {
                return await OpenSessionAsync(user, method, client);
            }
            if (!string.IsNullOrWhiteSpace(secondFactor))
            {
                return await CompleteAsync(user, secondFactor, method, client);
            }
            // Asking for the code tells the caller the password was right: not once concurrent guesses have locked the account.
            return await attempts.MaySignInAsync(user.Id)
                ? new SignInCheck(SignInOutcome.SecondFactorRequired, PendingUserId: user.Id)
                : SignInCheck.Failed;
        }
        if (result.IsLockedOut)
        {
            // Identity answers a locked account without hashing: spend the same work, so timing does not tell it apart.
            users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash ?? "", password ?? "");
            log.LogWarning("Sign-in refused: account {UserId} is locked out", user.Id);
            await RecordRefusalAsync("account", user.Id.ToString(), "account locked out", method, client);
            return SignInCheck.Failed;
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
        return SignInCheck.Failed;
    }

    /// <summary>
    /// A smart card sign-in (IA-2(12)): the certificate checked by <see cref="Hosting.SmartCardValidator"/>, the account bound
    /// to the identity it names, and a server-side session recording the certificate. Every refusal is audited with the
    /// certificate's subject, issuer and serial; the problem returned says in words what the holder can do.
    /// </summary>
    /// <param name="method"><see cref="SmartCardMethods.SignIn"/> for the portal, <see cref="SmartCardMethods.Bearer"/> for a token.</param>
    public async Task<(SignInCheck Check, string? Problem)> SmartCardSignInAsync(Hosting.SmartCardCheck card, string method, ClientInfo client)
    {
        var certificate = new Dictionary<string, object?>
        {
            ["certificateSubject"] = card.Subject,
            ["certificateIssuer"] = card.Issuer,
            ["certificateSerial"] = card.Serial,
            ["smartCardIdentity"] = card.Identity,
        };
        if (!card.IsValid || card.Identity is not { } identity)
        {
            log.LogWarning("Smart card sign-in refused: {Verdict} ({Detail}) for certificate {Serial} of {Subject}", card.Verdict, card.Detail,
                card.Serial, card.Subject);
            if (card.Verdict != Hosting.SmartCardVerdict.NoCertificate)
            {
                await RecordAnonymousRefusalAsync("certificate", card.Serial, $"certificate {Hosting.SmartCardCheck.Reason(card.Verdict)}", method,
                    client, certificate);
            }
            return (SignInCheck.Failed, Hosting.SmartCardCheck.Describe(card.Verdict));
        }
        var user = await users.Users.SingleOrDefaultAsync(u => u.SmartCardIdentity == identity);
        if (user is null)
        {
            log.LogWarning("Smart card sign-in refused: no account is bound to {Identity}", identity);
            await RecordAnonymousRefusalAsync("certificate", card.Serial, "no account bound to the smart card", method, client, certificate);
            return (SignInCheck.Failed, SmartCardProblems.Describe(SmartCardProblems.NotUsable)); // one answer: no account, disabled or locked
        }
        using var audit = AuditScope.Begin(await AuditScopeForAsync(user, method));
        if (user.DisabledAt is not null || user.IsServiceAccount || await users.IsLockedOutAsync(user))
        {
            var reason = user.IsServiceAccount ? "service account" : user.DisabledAt is not null ? "account disabled" : "account locked out";
            log.LogWarning("Smart card sign-in refused for account {UserId}: {Reason}", user.Id, reason);
            await RecordRefusalAsync("account", user.Id.ToString(), reason, method, client, certificate);
            return (SignInCheck.Failed, SmartCardProblems.Describe(SmartCardProblems.NotUsable));
        }
        var session = UserSession.Start(user.Id, method, clock.GetUtcNow(), SessionPolicy.AbsoluteLifetime, client.Address, client.UserAgent)
            .WithCertificate(card.Subject, card.Issuer, card.Serial);
        var stored = await attempts.SucceededAsync(user.Id, session);
        if (stored is null)
        {
            log.LogWarning("Smart card sign-in refused: account {UserId} was disabled or locked while signing in", user.Id);
            await RecordRefusalAsync("account", user.Id.ToString(), "account disabled or locked while signing in", method, client, certificate);
            return (SignInCheck.Failed, SmartCardProblems.Describe(SmartCardProblems.NotUsable));
        }
        log.LogInformation("Smart card sign-in succeeded for account {UserId} with certificate {Serial}", user.Id, card.Serial);
        return (new SignInCheck(SignInOutcome.Succeeded, new SignedIn(stored, session)), null);
    }

    private async Task RecordAnonymousRefusalAsync(string subjectType, string subjectId, string reason, string method, ClientInfo client,
        IReadOnlyDictionary<string, object?> details)
    {
        using (AuditScope.Begin(new AuditScope(new AuditActor(null, "smart card holder", "", null, method), "account.sign-in-refused",
                   Guid.CreateVersion7().ToString())))
        {
            await RecordRefusalAsync(subjectType, subjectId, reason, method, client, details);
        }
    }

    /// <summary>A refusal that wrote nothing else, as one audit event of its own (8300) in the current scope.</summary>
    private Task RecordRefusalAsync(string subjectType, string subjectId, string reason, string method, ClientInfo client,
        IReadOnlyDictionary<string, object?>? details = null) =>
        attempts.RefusedAsync(subjectType, subjectId, reason, method, client.Address, client.UserAgent, details: details);

    /// <summary>The name tried, as the trail keeps it: SHA-256 of the trimmed, lower-cased name, never the name itself.</summary>
    internal static string NameHash(string? name) => Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes((name ?? "").Trim().ToLowerInvariant())));

    /// <summary>
    /// Sign-in writes (last sign-in, failure times, lock-out, the session, a spent code) are audited with the account as the
    /// actor. The caller begins the scope: an ambient scope set inside an awaited method would not flow back out of it.
    /// </summary>
    private async Task<AuditScope> AuditScopeForAsync(ApplicationUser user, string method)
    {
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        return new AuditScope(new AuditActor(user.Id, user.DisplayName, role, user.VendorId, method), "account.sign-in", Guid.CreateVersion7().ToString());
    }

    private async Task<SignInCheck> CompleteAsync(ApplicationUser user, string code, string method, ClientInfo client)
    {
        if (await secondFactors.VerifyAsync(user.Id, code))
        {
            return await OpenSessionAsync(user, method + "+otp", client);
        }
        var lockedNow = await attempts.FailedAsync(user.Id);
        log.LogInformation("Second factor failed for account {UserId}{Locked}", user.Id, lockedNow ? "; account locked out" : "");
        return SignInCheck.Failed;
    }

    private async Task<SignInCheck> OpenSessionAsync(ApplicationUser user, string method, ClientInfo client)
    {
        var session = UserSession.Start(user.Id, method, clock.GetUtcNow(), SessionPolicy.AbsoluteLifetime, client.Address, client.UserAgent);
        var stored = await attempts.SucceededAsync(user.Id, session);
        if (stored is null)
        {
            log.LogWarning("Sign-in refused: account {UserId} was disabled or locked while signing in", user.Id);
            return SignInCheck.Failed;
        }
        log.LogInformation("Sign-in succeeded for account {UserId} ({Method})", user.Id, method);
        return new SignInCheck(SignInOutcome.Succeeded, new SignedIn(stored, session));
    }
}

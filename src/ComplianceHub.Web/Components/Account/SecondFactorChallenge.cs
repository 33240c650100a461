using ComplianceHub.Core.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Components.Account;

/// <summary>
/// Carries "this account's password was right" from the sign-in form to its one-time-code step: a data-protected,
/// time-limited (<see cref="SignInPolicyOptions.SecondFactorWindow"/>), HttpOnly, SameSite=Strict cookie naming the account.
/// It opens nothing by itself: only a right code for that account, within the window, opens a session.
/// </summary>
public sealed class SecondFactorChallenge(IDataProtectionProvider protection, IOptionsMonitor<SignInPolicyOptions> policy)
{
    private const string CookieName = "ComplianceHub.SecondFactor";
    private readonly ITimeLimitedDataProtector protector =
        protection.CreateProtector("ComplianceHub.SecondFactorChallenge").ToTimeLimitedDataProtector();

    public void Issue(HttpContext http, Guid userId)
    {
        var window = policy.CurrentValue.SecondFactorWindow;
        http.Response.Cookies.Append(CookieName, protector.Protect(userId.ToString(), window), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/account",
            MaxAge = window,
            IsEssential = true,
        });
    }

    /// <summary>The account waiting for its code, or null when there is none or its window has passed.</summary>
    public Guid? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            return Guid.TryParse(protector.Unprotect(value, out _), out var id) ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // expired, tampered with, or from another key ring
        }
    }

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/account" });
}

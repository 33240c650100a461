using Microsoft.AspNetCore.DataProtection;

namespace ComplianceHub.Web.Components.Account;

/// <summary>
/// The DoD Notice and Consent Banner (DoD CIO memorandum of 9 May 2008, standard text for web sites that
/// allow sign-in). It is acknowledged before every sign-in: the acknowledgement is a short-lived, data-protected
/// cookie that the sign-in form requires and a successful sign-in consumes.
/// </summary>
public sealed class ConsentBanner(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string CookieName = "ComplianceHub.Consent";

    /// <summary>How long an acknowledgement stays valid before sign-in must happen.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(30);

    public const string Heading = "U.S. Government (USG) Information System";

    public static readonly string Introduction =
        "You are accessing a U.S. Government (USG) Information System (IS) that is provided for USG-authorized use only. " +
        "By using this IS (which includes any device attached to this IS), you consent to the following conditions:";

    public static readonly IReadOnlyList<string> Conditions =
    [
        "The USG routinely intercepts and monitors communications on this IS for purposes including, but not limited to, " +
        "penetration testing, COMSEC monitoring, network operations and defense, personnel misconduct (PM), " +
        "law enforcement (LE), and counterintelligence (CI) investigations.",
        "At any time, the USG may inspect and seize data stored on this IS.",
        "Communications using, or data stored on, this IS are not private, are subject to routine monitoring, " +
        "interception, and search, and may be disclosed or used for any USG-authorized purpose.",
        "This IS includes security measures (e.g., authentication and access controls) to protect USG " +
        "interests--not for your personal benefit or privacy.",
        "Notwithstanding the above, using this IS does not constitute consent to PM, LE or CI investigative searching " +
        "or monitoring of the content of privileged communications, or work product, related to personal " +
        "representation or services by attorneys, psychotherapists, or clergy, and their assistants. Such " +
        "communications and work product are private and confidential. See User Agreement for details.",
    ];

    private IDataProtector Protector => protection.CreateProtector("ComplianceHub.ConsentBanner.v1");

    /// <summary>Records the acknowledgement in this browser.</summary>
    public void Acknowledge(HttpContext context)
    {
        var token = Protector.Protect(clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        context.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            MaxAge = Validity,
            Path = "/",
        });
    }

    /// <summary>True when this browser acknowledged the banner within <see cref="Validity"/>.</summary>
    public bool IsAcknowledged(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var token) || string.IsNullOrEmpty(token))
        {
            return false;
        }
        try
        {
            var seconds = long.Parse(Protector.Unprotect(token), System.Globalization.CultureInfo.InvariantCulture);
            var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
            return age >= TimeSpan.Zero && age <= Validity;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A sign-in consumes the acknowledgement: the next sign-in shows the banner again.</summary>
    public static void Consume(HttpContext context) => context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
}

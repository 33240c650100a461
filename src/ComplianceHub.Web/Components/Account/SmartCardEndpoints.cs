using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Components.Account;

/// <summary>
/// <c>GET /auth/smart-card</c>: CAC/PIV sign-in on the smart card listener (its TLS handshake asks for the certificate). After
/// the banner, like the password form: the certificate is checked (<see cref="SmartCardValidator"/>), the bound account's
/// session opened and the portal cookie issued, then the browser goes on to <c>returnUrl</c>. A refusal goes back to the
/// sign-in page, which says why in words (<see cref="SmartCardProblems"/>).
/// </summary>
internal static class SmartCardEndpoints
{
    public const string Path = "/auth/smart-card";

    public static IEndpointRouteBuilder MapSmartCardEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async ([FromQuery] string? returnUrl, [FromServices] SmartCardValidator validator,
            [FromServices] SignInService signIn, [FromServices] ConsentBanner banner, [FromServices] IOptionsMonitor<SmartCardOptions> options,
            HttpContext http) =>
        {
            var next = ReturnUrls.Safe(returnUrl);
            if (!options.CurrentValue.Enabled)
            {
                return Results.LocalRedirect($"/account/login?smartCard={SmartCardProblems.Off}&returnUrl={Uri.EscapeDataString(next)}");
            }
            if (!banner.IsAcknowledged(http))
            {
                var back = $"{Path}?returnUrl={Uri.EscapeDataString(next)}";
                return Results.LocalRedirect($"/consent?returnUrl={Uri.EscapeDataString(back)}");
            }
            var card = validator.Check(await validator.CertificateOfAsync(http));
            var (check, _) = await signIn.SmartCardSignInAsync(card, SmartCardMethods.SignIn, ClientInfo.From(http));
            if (check.SignedIn is not { } signedIn)
            {
                var problem = !card.IsValid ? SmartCardProblems.Of(card.Verdict) : SmartCardProblems.NotUsable;
                return Results.LocalRedirect($"/account/login?smartCard={problem}&returnUrl={Uri.EscapeDataString(next)}");
            }
            await signIn.IssueCookieAsync(signedIn.User, signedIn.Session.Id);
            ConsentBanner.Consume(http);
            return Results.LocalRedirect(next);
        }).AllowAnonymous().ExcludeFromDescription().RequireRateLimiting(RateLimits.SignIn);
        return endpoints;
    }
}

/// <summary>
/// Why a smart card sign-in went back to the sign-in page: the short codes in its address, and the one place they become
/// words. No code says whether an account exists for a card beyond "none can be opened with it".
/// </summary>
public static class SmartCardProblems
{
    public const string Off = "off";
    public const string NotUsable = "not-usable";

    public static string Of(SmartCardVerdict verdict) => verdict switch
    {
        SmartCardVerdict.NoCertificate => "none",
        SmartCardVerdict.Untrusted => "untrusted",
        SmartCardVerdict.Expired => "expired",
        SmartCardVerdict.NotYetValid => "not-yet-valid",
        SmartCardVerdict.Revoked => "revoked",
        SmartCardVerdict.RevocationUnknown => "revocation-unknown",
        SmartCardVerdict.WrongUsage => "wrong-usage",
        SmartCardVerdict.NoIdentity => "no-identity",
        _ => NotUsable,
    };

    /// <summary>The sentence the sign-in page shows for a code; null for a code it does not know.</summary>
    public static string? Describe(string? code) => code switch
    {
        Off => "Smart card sign-in is not offered on this installation. Sign in with your e-mail address and password.",
        NotUsable => "No account can be opened with this smart card: none is bound to it, or it is disabled or locked. " +
                     "Ask an administrator to bind your card (give them your 10-digit DoD ID number) or to check your account.",
        null or "" => null,
        _ => Enum.GetValues<SmartCardVerdict>().FirstOrDefault(v => Of(v) == code) is var verdict && Of(verdict) == code
            ? SmartCardCheck.Describe(verdict)
            : null,
    };
}

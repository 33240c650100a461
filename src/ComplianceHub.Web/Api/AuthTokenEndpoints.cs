using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Account;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Api;

/// <summary>Credentials for a bearer token.</summary>
/// <param name="Email">The account's e-mail address.</param>
/// <param name="Password">The account's password.</param>
/// <param name="Totp">The 6-digit code from the account's authenticator app (or a recovery code), when it has one.</param>
public sealed record TokenRequest(string Email, string Password, string? Totp = null);

/// <summary>A bearer token: send it as <c>Authorization: Bearer &lt;accessToken&gt;</c> until <c>expiresAt</c>.</summary>
public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// <c>POST /api/v1/auth/token</c> (API.md "Authentication"): the same password check and DoD lock-out as the sign-in
/// form, then a data-protected bearer token carrying the account's role and vendor scope, valid for the role's session
/// span (15 minutes; 10 for administrators). Wrong credentials, unknown accounts and locked accounts all get the same
/// 401 body.
/// </summary>
internal static class AuthTokenEndpoints
{
    /// <summary>The authentication scheme of API bearer tokens.</summary>
    public static readonly string BearerScheme = IdentityConstants.BearerScheme;

    public static void MapAuthTokenEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/token", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> (TokenRequest request, SignInService signIn,
                SignInManager<ApplicationUser> manager, IOptionsMonitor<BearerTokenOptions> bearer, UserSessions sessions,
                HttpContext http, IOptionsMonitor<SignInPolicyOptions> policy, TimeProvider clock) =>
            {
                var check = await signIn.CheckPasswordAsync(request.Email ?? "", request.Password ?? "", "bearer", ClientInfo.From(http), request.Totp);
                if (check.SignedIn is not { User: var user, Session: var session })
                {
                    // One answer for every failure, a missing or wrong code included: it tells no one which part was wrong.
                    return TypedResults.Problem("The e-mail address, password or one-time code is not correct, or the account is locked. " +
                        "An account with an authenticator sends its current code as totp.",
                        statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in");
                }
                var principal = await PrincipalAsync(manager, user, session, "bearer-token");
                if (user.MustChangePassword)
                {
                    // The password was set by an administrator: it opens nothing until its holder has chosen their own.
                    await sessions.EndAsync(Actor.FromPrincipal(principal)!, session.Id, SessionEndReasons.PasswordChangeRequired, http.RequestAborted);
                    return TypedResults.Problem("This account's password was set by an administrator and must be changed before it is used: " +
                        "sign in to the portal, choose a new password, then ask for a token again.",
                        statusCode: StatusCodes.Status403Forbidden, title: "Password change required");
                }
                if (!user.TwoFactorEnabled && policy.CurrentValue.RequireSecondFactor)
                {
                    await sessions.EndAsync(Actor.FromPrincipal(principal)!, session.Id, SessionEndReasons.SecondFactorRequired, http.RequestAborted);
                    return TypedResults.Problem("This installation requires a second factor and the account has none: sign in to the portal, " +
                        "set up an authenticator app, then ask for a token again with its code as totp.",
                        statusCode: StatusCodes.Status403Forbidden, title: "Second factor required");
                }
                return TypedResults.Ok(Issue(principal, session, bearer, clock));
            })
            .AllowAnonymous()
            .RequireRateLimiting(Hosting.RateLimits.SignIn)
            .Produces<TokenResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithTags("Authentication")
            .WithName("CreateToken")
            .WithSummary("Exchange e-mail and password for a bearer token")
            .WithDescription("Three failed attempts within 15 minutes lock the account for 15 minutes (the same rule as the sign-in form); " +
                             "a wrong one-time code counts as a failed attempt. An account with an authenticator sends its code as totp. " +
                             "The token carries the account's role and vendor scope and expires with the role's session span. " +
                             "It belongs to a server-side session: it stops working when the account is disabled, changes role or password, " +
                             "or an administrator ends its sessions. An account with a temporary password gets 403 until it is changed in the portal.");

        api.MapPost("/auth/smart-card/token", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> (Hosting.SmartCardValidator validator,
                SignInService signIn, SignInManager<ApplicationUser> manager, IOptionsMonitor<BearerTokenOptions> bearer,
                IOptionsMonitor<Hosting.SmartCardOptions> options, HttpContext http, TimeProvider clock) =>
            {
                if (!options.CurrentValue.Enabled)
                {
                    return TypedResults.Problem("Smart card sign-in is not offered on this installation: ask for a token with e-mail and password.",
                        statusCode: StatusCodes.Status404NotFound, title: "Smart card sign-in is off");
                }
                // Another site's page cannot have a browser (whose card may be chosen without asking) open sessions here.
                if (http.Request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site && site is not ("same-origin" or "none"))
                {
                    return TypedResults.Problem("A smart card token is not given to another site's page. Call this from a script or tool.",
                        statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused");
                }
                var card = validator.Check(await validator.CertificateOfAsync(http));
                var (check, problem) = await signIn.SmartCardSignInAsync(card, SmartCardMethods.Bearer, ClientInfo.From(http));
                if (check.SignedIn is not { User: var user, Session: var session })
                {
                    return TypedResults.Problem(problem, statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in");
                }
                return TypedResults.Ok(Issue(await PrincipalAsync(manager, user, session, SmartCardMethods.Bearer), session, bearer, clock));
            })
            .AllowAnonymous()
            .RequireRateLimiting(Hosting.RateLimits.SignIn)
            .Produces<TokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithTags("Authentication")
            .WithName("CreateTokenWithSmartCard")
            .WithSummary("Exchange a CAC/PIV certificate for a bearer token")
            .WithDescription("Call it on the smart card listener, presenting the card's authentication certificate in the TLS handshake " +
                             "(or through a trusted proxy that forwards it). The certificate must chain to a configured DoD root, be unexpired " +
                             "and unrevoked, and name the EDIPI or UPN an administrator bound to the account. The card counts as two factors. " +
                             "The token is like the password token: the account's role and vendor scope, the role's session span, a server-side session.");
    }

    /// <summary>The account's principal, naming how it authenticated and the server-side session its token belongs to.</summary>
    private static async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(SignInManager<ApplicationUser> manager, ApplicationUser user,
        UserSession session, string method)
    {
        var principal = await manager.CreateUserPrincipalAsync(user);
        var identity = (System.Security.Claims.ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new System.Security.Claims.Claim(ComplianceClaimTypes.AuthenticationMethod, method));
        identity.AddClaim(new System.Security.Claims.Claim(ComplianceClaimTypes.SessionId, session.Id.ToString()));
        return principal;
    }

    /// <summary>A bearer token for a principal and its session, valid for the role's session span within the session's life.</summary>
    private static TokenResponse Issue(System.Security.Claims.ClaimsPrincipal principal, UserSession session, IOptionsMonitor<BearerTokenOptions> bearer,
        TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var expires = Min(now + SessionPolicy.IdleTimeoutFor(Actor.FromPrincipal(principal)?.Role), session.ExpiresAt);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expires }, BearerScheme);
        return new TokenResponse(bearer.Get(BearerScheme).BearerTokenProtector.Protect(ticket), expires);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

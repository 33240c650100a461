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
internal static class TokenEndpoints
{
    /// <summary>The authentication scheme of API bearer tokens.</summary>
    public static readonly string BearerScheme = IdentityConstants.BearerScheme;

    public static void MapTokenEndpoints(this RouteGroupBuilder api)
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
                var principal = await manager.CreateUserPrincipalAsync(user);
                var identity = (System.Security.Claims.ClaimsIdentity)principal.Identity!;
                identity.AddClaim(new System.Security.Claims.Claim(ComplianceClaimTypes.AuthenticationMethod, "bearer-token"));
                identity.AddClaim(new System.Security.Claims.Claim(ComplianceClaimTypes.SessionId, session.Id.ToString()));
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
                var now = clock.GetUtcNow();
                var expires = Min(now + SessionPolicy.IdleTimeoutFor(Actor.FromPrincipal(principal)?.Role), session.ExpiresAt);
                var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expires }, BearerScheme);
                var token = bearer.Get(BearerScheme).BearerTokenProtector.Protect(ticket);
                return TypedResults.Ok(new TokenResponse(token, expires));
            })
            .AllowAnonymous()
            .RequireRateLimiting(Hosting.RateLimits.SignIn)
            .Produces(StatusCodes.Status429TooManyRequests)
            .WithTags("Authentication")
            .WithName("CreateToken")
            .WithSummary("Exchange e-mail and password for a bearer token")
            .WithDescription("Three failed attempts within 15 minutes lock the account for 15 minutes (the same rule as the sign-in form); " +
                             "a wrong one-time code counts as a failed attempt. An account with an authenticator sends its code as totp. " +
                             "The token carries the account's role and vendor scope and expires with the role's session span. " +
                             "It belongs to a server-side session: it stops working when the account is disabled, changes role or password, " +
                             "or an administrator ends its sessions. An account with a temporary password gets 403 until it is changed in the portal.");
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

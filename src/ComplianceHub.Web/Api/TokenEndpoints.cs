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
public sealed record TokenRequest(string Email, string Password);

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
                SignInManager<ApplicationUser> manager, IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider clock) =>
            {
                var user = await signIn.CheckPasswordAsync(request.Email ?? "", request.Password ?? "", "bearer");
                if (user is null)
                {
                    return TypedResults.Problem("The e-mail address or password is not correct, or the account is locked.",
                        statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in");
                }
                var principal = await manager.CreateUserPrincipalAsync(user);
                ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaim(
                    new System.Security.Claims.Claim(ComplianceClaimTypes.AuthenticationMethod, "bearer-token"));
                var now = clock.GetUtcNow();
                var expires = now + SessionPolicy.IdleTimeoutFor(Actor.FromPrincipal(principal)?.Role);
                var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expires }, BearerScheme);
                var token = bearer.Get(BearerScheme).BearerTokenProtector.Protect(ticket);
                return TypedResults.Ok(new TokenResponse(token, expires));
            })
            .AllowAnonymous()
            .WithTags("Authentication")
            .WithName("CreateToken")
            .WithSummary("Exchange e-mail and password for a bearer token")
            .WithDescription("Three failed attempts within 15 minutes lock the account for 15 minutes (the same rule as the sign-in form). " +
                             "The token carries the account's role and vendor scope and expires with the role's session span.");
    }
}

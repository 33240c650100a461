using System.Security.Claims;
using System.Text.Encodings.Web;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Api;

/// <summary>
/// Authenticates <c>Authorization: Bearer chp_…</c> personal access tokens: the request acts as the token's owner account,
/// with its role and vendor scope (the same principal a sign-in would give), plus the token's id.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokenAuthenticator tokens, SignInManager<ApplicationUser> signIn)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer " + ApiToken.Prefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }
        var found = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (found is not { } match)
        {
            return AuthenticateResult.Fail("The access token is unknown, expired or revoked.");
        }
        var principal = await signIn.CreateUserPrincipalAsync(match.User);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(ComplianceClaimTypes.ApiTokenId, match.TokenId.ToString()));
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(ComplianceClaimTypes.ApiTokenScope, match.Scope.ToString()));
        if (match.Scope == ApiTokenScope.Operations)
        {
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(ComplianceClaimTypes.ApiTokenOperations, string.Join(' ', match.Operations)));
        }
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(principal.Claims, SchemeName)), SchemeName));
    }
}


using System.Security.Claims;
using System.Text.Encodings.Web;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
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

/// <summary>A personal access token request: a name, the service account it acts as, its expiry (at most 90 days) and what it
/// may do (<c>ReadOnly</c> when left out, <c>ReadWrite</c>, or <c>Operations</c> with the operations named in <c>operations</c>,
/// e.g. <c>["import-roster"]</c>: see <c>GET /api/v1/tokens/operations</c>).</summary>
public sealed record ApiTokenBody(string Name, Guid OwnerUserId, DateOnly ExpiresOn, ApiTokenScope? Scope = null, IReadOnlyList<string>? Operations = null);

/// <summary>An operation a token of scope <c>Operations</c> may name, with the roles whose service accounts may perform it.</summary>
public sealed record ApiTokenOperation(string Operation, IReadOnlyList<string> Roles);

/// <summary>Administrators manage personal access tokens for service accounts.</summary>
internal static class ApiTokenEndpoints
{
    public static void MapApiTokenEndpoints(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Authentication");
        tokens.MapGet("", async (HttpContext http, ApiTokenAuthenticator authenticator) =>
                Actor.FromPrincipal(http.User) is not { } actor ? ApiResults.NoActor()
                : !(actor.IsAdministrator || actor.IsAuditor) ? ApiResults.Forbidden("Personal access tokens are listed to administrators and auditors.")
                : TypedResults.Ok(await authenticator.ListAsync(actor, http.RequestAborted)))
            .ForRoles(ComplianceHub.Core.Authorization.Roles.Administrator, ComplianceHub.Core.Authorization.Roles.Auditor).WithName("ListApiTokens").WithSummary("Personal access tokens, never their secrets (administrators and auditors)").Produces<IReadOnlyList<ApiTokenView>>();
        tokens.MapPost("", (ApiTokenBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new CreateApiToken(body.Name ?? "", body.OwnerUserId, body.ExpiresOn, body.Scope ?? ApiTokenScope.ReadOnly, body.Operations),
                    t => TypedResults.Created($"/api/v1/tokens/{t.Token.Id}", t)))
            .Sends<CreateApiToken>().WithName("CreateApiToken").WithSummary("Create a personal access token for a service account; the secret is shown once")
            .Produces<CreatedApiToken>(StatusCodes.Status201Created).ProducesValidationProblem();
        tokens.MapGet("/operations", (HttpContext http) =>
                Actor.FromPrincipal(http.User) is not { } actor ? ApiResults.NoActor()
                : !(actor.IsAdministrator || actor.IsAuditor) ? ApiResults.Forbidden("The operations tokens may name are listed to administrators and auditors.")
                : TypedResults.Ok(CommandCatalogue.Operations
                    .Where(o => o.Value.Any(NewAccount.ServiceAccountRoles.Contains))
                    .Select(o => new ApiTokenOperation(o.Key, o.Value.Where(NewAccount.ServiceAccountRoles.Contains).ToList())).ToList()))
            .ForRoles(ComplianceHub.Core.Authorization.Roles.Administrator, ComplianceHub.Core.Authorization.Roles.Auditor).WithName("ListApiTokenOperations")
            .WithSummary("The operations a token of scope Operations may name, with the service-account roles that may perform each")
            .Produces<IReadOnlyList<ApiTokenOperation>>();
        tokens.MapPost("/{id:guid}/revoke", (Guid id, HttpContext http) =>
                ApiResults.SendAsync(http, new RevokeApiToken(id), t => TypedResults.Ok(t)))
            .Sends<RevokeApiToken>().WithName("RevokeApiToken").WithSummary("Revoke a personal access token; it stops working at once").Produces<ApiTokenView>();
    }
}

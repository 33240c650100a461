using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Web.Api;

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
        tokens.MapGet("", async Task<IResult> (ApiCaller caller, HttpContext http, ApiTokenAuthenticator authenticator) =>
                TypedResults.Ok(await authenticator.ListAsync(caller.Actor, http.RequestAborted)))
            .RequireRoles("Personal access tokens are listed to administrators and auditors.", Roles.Administrator, Roles.Auditor).WithName("ListApiTokens").WithSummary("Personal access tokens, never their secrets (administrators and auditors)").Produces<IReadOnlyList<ApiTokenView>>();
        tokens.MapPost("", (ApiTokenBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new CreateApiToken(body.Name ?? "", body.OwnerUserId, body.ExpiresOn, body.Scope ?? ApiTokenScope.ReadOnly, body.Operations),
                    t => TypedResults.Created($"/api/v1/tokens/{t.Token.Id}", t)))
            .Sends<CreateApiToken>().WithName("CreateApiToken").WithSummary("Create a personal access token for a service account; the secret is shown once")
            .Produces<CreatedApiToken>(StatusCodes.Status201Created).ProducesValidationProblem();
        tokens.MapGet("/operations", IResult () =>
                TypedResults.Ok(CommandCatalogue.Operations
                    .Where(o => o.Value.Any(NewAccount.ServiceAccountRoles.Contains))
                    .Select(o => new ApiTokenOperation(o.Key, o.Value.Where(NewAccount.ServiceAccountRoles.Contains).ToList())).ToList()))
            .RequireRoles("The operations tokens may name are listed to administrators and auditors.", Roles.Administrator, Roles.Auditor)
            .WithName("ListApiTokenOperations")
            .WithSummary("The operations a token of scope Operations may name, with the service-account roles that may perform each")
            .Produces<IReadOnlyList<ApiTokenOperation>>();
        tokens.MapPost("/{id:guid}/revoke", (Guid id, HttpContext http) =>
                ApiResults.SendAsync(http, new RevokeApiToken(id), t => TypedResults.Ok(t)))
            .Sends<RevokeApiToken>().WithName("RevokeApiToken").WithSummary("Revoke a personal access token; it stops working at once").Produces<ApiTokenView>();
    }
}

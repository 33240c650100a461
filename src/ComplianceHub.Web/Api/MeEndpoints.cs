using ComplianceHub.Core.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplianceHub.Web.Api;

/// <summary>Who the caller is, as the API sees them: the role and vendor scope every request is checked against.</summary>
/// <param name="UserId">The account id.</param>
/// <param name="DisplayName">Shown in the portal and written to the audit trail.</param>
/// <param name="Role">One of Administrator, ContractingOfficer, VendorRepresentative, Auditor.</param>
/// <param name="VendorId">For a vendor representative, the one vendor they act for; otherwise null.</param>
/// <param name="VendorName">The vendor's legal name, when there is one.</param>
public sealed record MeResponse(Guid UserId, string DisplayName, string Role, Guid? VendorId, string? VendorName);

/// <summary>The signed-in account as the API sees it (<c>GET /api/v1/me</c>).</summary>
internal static class MeEndpoints
{
    public static void MapMeEndpoints(this RouteGroupBuilder v1)
    {
        var api = v1.MapGroup("").WithTags("Account");
        api.MapGet("/me", Results<Ok<MeResponse>, ProblemHttpResult> (HttpContext http) =>
            Actor.FromPrincipal(http.User) is { } actor
                ? TypedResults.Ok(new MeResponse(actor.UserId, actor.DisplayName, actor.Role, actor.VendorId, actor.VendorName))
                : TypedResults.Problem("The account has no single valid role or vendor binding.", statusCode: StatusCodes.Status403Forbidden))
            .WithName("GetMe")
            .WithSummary("The signed-in account: role and vendor scope")
            .WithDescription("Returns the caller's account id, role and, for a vendor representative, the one vendor they act for.")
            .Produces(StatusCodes.Status401Unauthorized);
    }
}

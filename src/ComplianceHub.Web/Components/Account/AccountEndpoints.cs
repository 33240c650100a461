using ComplianceHub.Core.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ComplianceHub.Web.Components.Account;

internal static class AccountEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token (a GET link could sign people out from another site).</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async ([FromServices] SignInManager<ApplicationUser> signIn, HttpContext context) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/consent?signedOut=true");
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}

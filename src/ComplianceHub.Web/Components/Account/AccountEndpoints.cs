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

        // Where an idle circuit sends the browser (a GET, since the circuit cannot post a form). Signing someone out
        // is the only effect, so a forged link can do no more than that.
        endpoints.MapGet("/account/timed-out", async ([FromServices] SignInManager<ApplicationUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/consent?timedOut=true");
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}

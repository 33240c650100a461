using ComplianceHub.Core.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ComplianceHub.Web.Components.Account;

internal static class AccountEndpoints
{
    /// <summary>
    /// Sign-out is a POST with an antiforgery token (a GET link or a forged form could sign people out from another site), and
    /// ends the session on the server.
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async ([FromServices] SignInManager<ApplicationUser> signIn, [FromServices] UserSessions sessions, HttpContext context) =>
        {
            // Minimal APIs only record a failed antiforgery check (form binding would throw): refuse a forged sign-out here.
            if (context.Features.Get<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>() is { IsValid: false })
            {
                return Results.Text("Sign-out was refused: the request did not come from the portal's own Sign out button. " +
                    "Go back to the portal and use Sign out there.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }
            await EndSessionAsync(sessions, context, SessionEndReasons.SignedOut);
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/consent?signedOut=true");
        }).AllowAnonymous().ExcludeFromDescription().WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());

        // Where an idle circuit sends the browser (a GET, since the circuit cannot post a form). Signing someone out
        // is the only effect, so a forged link can do no more than that.
        endpoints.MapGet("/account/timed-out", async ([FromServices] SignInManager<ApplicationUser> signIn, [FromServices] UserSessions sessions, HttpContext context) =>
        {
            await EndSessionAsync(sessions, context, SessionEndReasons.TimedOut);
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/consent?timedOut=true");
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Ends the request's server-side session, so the cookie is refused even if a copy of it is replayed.</summary>
    private static async Task EndSessionAsync(UserSessions sessions, HttpContext context, string reason)
    {
        if (Actor.FromPrincipal(context.User) is { } actor
            && Guid.TryParse(context.User.FindFirst(ComplianceClaimTypes.SessionId)?.Value, out var sessionId))
        {
            await sessions.EndAsync(actor, sessionId, reason, context.RequestAborted);
        }
    }
}

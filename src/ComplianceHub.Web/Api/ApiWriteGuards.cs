using Microsoft.AspNetCore.Antiforgery;

namespace ComplianceHub.Web.Api;

/// <summary>
/// The guards every API write passes before its handler. An API write authenticated by the portal's cookie (a browser, not an API client) must carry the antiforgery token in the
/// <c>RequestVerificationToken</c> header, as the portal's own forms do: another site cannot make a signed-in browser post to
/// the API (ASVS V3.5.1), even where a browser would send the SameSite=Strict cookie. Bearer and personal access tokens are
/// not sent by browsers on their own, so their callers are exempt. A read-only personal access token is refused any write (403).
/// </summary>
internal static class ApiWriteGuards
{
    public static IApplicationBuilder UseApiWriteGuards(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api")
            && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            && context.User.Identity?.IsAuthenticated == true
            // Exempt only what the portal's scheme selector authenticates as a token ("Bearer …"); anything else is the cookie.
            && !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            await Results.Problem("An API write from a signed-in browser needs the portal's antiforgery token in the RequestVerificationToken " +
                    "header. API clients authenticate with a bearer token instead (POST /api/v1/auth/token).",
                    statusCode: StatusCodes.Status400BadRequest, title: "Antiforgery token missing")
                .ExecuteAsync(context);
            return;
        }
        // A read-only personal access token reads; any write is refused before it is handled.
        if (request.Path.StartsWithSegments("/api")
            && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            && context.User.FindFirst(ComplianceHub.Core.Authorization.ComplianceClaimTypes.ApiTokenScope)?.Value == nameof(ComplianceHub.Core.Authorization.ApiTokenScope.ReadOnly))
        {
            await Results.Problem("This personal access token is read-only; an administrator can issue a read-write token for this service account.",
                    statusCode: StatusCodes.Status403Forbidden, title: "Read-only token")
                .ExecuteAsync(context);
            return;
        }
        await next(context);
    });
}

using Microsoft.AspNetCore.Mvc;

namespace ComplianceHub.Web.Api;

/// <summary>
/// An API response that leaves with an error status and no body — the authentication handlers' 401 challenge, a forbid's
/// 403, an unmatched route's 404 — gets a problem body (<c>application/problem+json</c>, with its <c>traceId</c>) like every
/// other API error, so a generated client reads one error shape. A 401 also says how to authenticate (<c>WWW-Authenticate: Bearer</c>).
/// </summary>
internal static class ApiStatusProblems
{
    public static IApplicationBuilder UseApiStatusProblems(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        var response = context.Response;
        if (!context.Request.Path.StartsWithSegments("/api") || response.HasStarted || response.StatusCode < StatusCodes.Status400BadRequest
            || response.ContentLength is not null || !string.IsNullOrEmpty(response.ContentType) || HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        var (title, detail) = response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => ("Not signed in",
                "Send Authorization: Bearer <accessToken> from POST /api/v1/auth/token, or a personal access token; this one is missing, expired or revoked."),
            StatusCodes.Status403Forbidden => ("Forbidden", "The caller may not do this."),
            StatusCodes.Status404NotFound => ("Not found", "Not found."),
            _ => (null, null),
        };
        if (response.StatusCode == StatusCodes.Status401Unauthorized && !response.Headers.ContainsKey("WWW-Authenticate"))
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = response.StatusCode, Title = title, Detail = detail },
        });
    });

    /// <summary>Every problem the API writes names its request's trace id (<c>traceId</c>), the one the log has.</summary>
    public static void AddTraceId(ProblemDetailsContext context) =>
        context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
}

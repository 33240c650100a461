using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// What an API caller gets when a request fails unexpectedly, in every environment: a problem with the trace id to quote
/// and nothing of the exception (no type, message, stack trace or request headers — the developer exception page would
/// echo the caller's bearer token). The exception itself goes to the log. A value PostgreSQL cannot store is the caller's
/// mistake, not ours: 400. Pages are left to the portal's error page.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (!context.Request.Path.StartsWithSegments("/api") || context.Response.HasStarted)
        {
            return false;
        }
        // A save wraps PostgreSQL's refusal in EF's DbUpdateException; a query throws it as it is.
        var unstorable = (exception as Npgsql.PostgresException ?? exception.InnerException as Npgsql.PostgresException) is { SqlState: "22021" or "22P05" };
        if (!unstorable)
        {
            log.LogError(exception, "Unhandled failure of {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        context.Response.StatusCode = unstorable ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = null, // never written out
            ProblemDetails = unstorable
                ? new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The input is not valid.",
                    Detail = "A value holds a character that cannot be stored (such as a NUL character). Remove it and send the request again; nothing was changed.",
                }
                : new ProblemDetails
                {
                    Status = StatusCodes.Status500InternalServerError,
                    Title = "Something went wrong on our side.",
                    Detail = "Nothing was changed. Try again; if it keeps failing, give the trace id to your administrator.",
                },
        });
    }
}

using ComplianceHub.Core.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// What an API caller gets when a request fails unexpectedly, in every environment: a problem with the trace id to quote
/// and nothing of the exception (no type, message, stack trace or request headers — the developer exception page would
/// echo the caller's bearer token). The exception itself goes to the log. A database that cannot be reached is 503 with
/// Retry-After, for the API and for a page alike (ADR 0042). A value PostgreSQL cannot store is the caller's
/// mistake, not ours: 400. Pages are left to the portal's error page.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }
        // By now the middleware has pointed the request at the error page: the path asked for is the feature's.
        var asked = context.Features.Get<IExceptionHandlerFeature>()?.Path is { } path ? new PathString(path) : context.Request.Path;
        var api = asked.StartsWithSegments("/api");
        if (DatabaseFaults.IsConnectionFailure(exception))
        {
            return api ? await DatabaseUnavailableAsync(context, asked, exception, ct) : await DatabaseUnavailablePageAsync(context, asked, exception, ct);
        }
        if (!api)
        {
            return false;
        }
        // A save wraps PostgreSQL's refusal in EF's DbUpdateException; a query throws it as it is.
        var unstorable = (exception as Npgsql.PostgresException ?? exception.InnerException as Npgsql.PostgresException) is { SqlState: "22021" or "22P05" };
        if (!unstorable)
        {
            log.LogError(exception, "Unhandled failure of {Method} {Path}", context.Request.Method, asked);
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

    /// <summary>
    /// A page whose request found the database unreachable: a page of its own in words (503), not the error page, whose
    /// re-run of the pipeline would read the database again (the session check) and fail the same way.
    /// </summary>
    private async ValueTask<bool> DatabaseUnavailablePageAsync(HttpContext context, PathString asked, Exception exception, CancellationToken ct)
    {
        var unknown = exception is DatabaseUnavailableException { OutcomeUnknown: true };
        log.LogWarning("The database was not reachable for {Method} {Path} (outcome unknown: {OutcomeUnknown}): {Reason}",
            context.Request.Method, asked, unknown, exception.GetBaseException().Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = ((int)DatabaseUnavailableException.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/html; charset=utf-8";
        var words = System.Net.WebUtility.HtmlEncode(unknown
            ? "The connection to the database was lost while your change was being saved, so it may or may not have been saved. Check the record before you try again."
            : Components.Layout.PageProblem.DatabaseRestarting);
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Try again in a moment · ComplianceHub</title></head>
            <body><main><h1>Try again in a moment</h1><p>{words}</p><p><a href="{System.Net.WebUtility.HtmlEncode(asked + context.Request.QueryString)}">Try again</a></p></main></body></html>
            """, ct);
        return true;
    }

    /// <summary>
    /// The database could not be reached (a restart, a failover: ADR 0042): 503 with Retry-After, and in words whether anything
    /// was changed — nothing, or, when the connection was lost during the commit, perhaps.
    /// </summary>
    private async ValueTask<bool> DatabaseUnavailableAsync(HttpContext context, PathString asked, Exception exception, CancellationToken ct)
    {
        var unknown = exception is DatabaseUnavailableException { OutcomeUnknown: true };
        var seconds = (int)DatabaseUnavailableException.RetryAfter.TotalSeconds;
        log.LogWarning("The database was not reachable for {Method} {Path} (outcome unknown: {OutcomeUnknown}): {Reason}",
            context.Request.Method, asked, unknown, exception.GetBaseException().Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The database is not reachable right now.",
            Detail = unknown
                ? $"{DatabaseUnavailableException.UnknownOutcomeMessage} Look at the record (or the audit trail) in {seconds} seconds, then send the request again only if the change is not there."
                : $"{DatabaseUnavailableException.NothingChangedMessage} Try again in {seconds} seconds.",
        };
        problem.Extensions["outcomeUnknown"] = unknown;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = null, ProblemDetails = problem });
    }
}

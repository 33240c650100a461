namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Security headers on every response (OWASP ASVS 5.0, V3), no caching of anything but static files (V14.2.2), and the
/// circuit's connection refused to another site's page (V4.4.2).
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    // Blazor Server and MudBlazor need inline styles; scripts come only from this origin. The API reference
    // (Scalar) is the one page that needs inline scripts. base-uri is 'self', not 'none': Blazor's router resolves every
    // link against the page's <base href="/">, which 'none' would refuse.
    private const string AppPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

    private const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    /// <summary>Where Blazor's circuits connect (negotiation and the WebSocket itself).</summary>
    private static readonly PathString CircuitHub = "/_blazor";

    public Task InvokeAsync(HttpContext context)
    {
        // A browser names the page that opens a connection (Origin). A circuit acts with the signed-in user's rights, so only
        // the portal's own pages may open one: another site's script gets 403 before SignalR sees the request, whatever
        // cookies the browser would send (cross-site WebSocket hijacking). A client that sends no Origin is not a browser
        // page acting for someone else.
        if (context.Request.Path.StartsWithSegments(CircuitHub) && context.Request.Headers.Origin is [{ } origin] && !IsSameOrigin(origin, context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            // Said here, so the status-code pages do not re-run the request (a POST) against the not-found page.
            return context.Response.WriteAsync("A page of another site may not connect to the portal.");
        }
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar") ? ApiReferencePolicy : AppPolicy;
            // Pages and API answers hold vendor people's data: never stored by the browser or a proxy. Static files set their own
            // caching (fingerprinted, immutable) and keep it.
            if (context.Request.Path.StartsWithSegments("/account") || context.Request.Path.StartsWithSegments("/api") || headers.CacheControl.Count == 0)
            {
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>Whether an Origin header names this request's own scheme, host and port.</summary>
    internal static bool IsSameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", request.Host.Value, StringComparison.OrdinalIgnoreCase);
}

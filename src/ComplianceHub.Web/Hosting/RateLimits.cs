using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Hosting;

/// <summary>Request-rate limits (configuration section <c>RateLimits</c>). Every limit is per minute.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in attempts (the form, its code step, <c>POST /api/v1/auth/token</c>) from one client address.</summary>
    public int SignInPerAddress { get; set; } = 20;

    /// <summary>Roster imports (dry runs included) by one account.</summary>
    public int ImportsPerAccount { get; set; } = 10;

    /// <summary>Exports and evidence packages by one account.</summary>
    public int ExportsPerAccount { get; set; } = 20;

    /// <summary>
    /// Any API request (searches and lists included) by one account, or from one address when not signed in. A fixed window,
    /// not a token bucket: a bucket refills continuously (10 a second at 600 a minute), so its "per minute" is not one.
    /// </summary>
    public int ApiPerCaller { get; set; } = 600;
}

/// <summary>
/// Rate limits against brute force and abuse (NIST 800-53 AC-7, SC-5; ASVS V2.2): sign-in per client address (the lock-out
/// already limits each account), imports, exports and every API request per account. A refused request gets 429 with
/// Retry-After: a problem for API callers, a plain sentence for a browser. Limits are per instance and configuration.
/// </summary>
internal static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Import = "import";
    public const string Export = "export";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = OnRejectedAsync;
            // Only the posts count: reading the sign-in page is not an attempt. A smart card sign-in is a GET, and counts.
            o.AddPolicy(SignIn, http => HttpMethods.IsPost(http.Request.Method)
                                        || http.Request.Path.StartsWithSegments(Components.Account.SmartCardEndpoints.Path)
                ? PerMinute("address:" + Address(http), Limits(http).SignInPerAddress)
                : RateLimitPartition.GetNoLimiter("read"));
            o.AddPolicy(Import, http => PerMinute("account:" + Caller(http), Limits(http).ImportsPerAccount));
            o.AddPolicy(Export, http => PerMinute("account:" + Caller(http), Limits(http).ExportsPerAccount));
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/api")
                    ? PerMinute("api:" + Caller(http), Limits(http).ApiPerCaller)
                    : RateLimitPartition.GetNoLimiter("pages"));
        });
        return services;
    }

    private static RateLimitPartition<string> PerMinute(string key, int limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, limit),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            // The partitioned limiter's heartbeat renews the windows (no timer per partition).
            AutoReplenishment = false,
        });

    private static RateLimitOptions Limits(HttpContext http) => http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The signed-in account, or the address of an anonymous caller.</summary>
    private static string Caller(HttpContext http) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } id ? id : "address:" + Address(http);

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = $"Too many requests: wait {seconds} second{(seconds == 1 ? "" : "s")} and try again.";
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(detail, ct);
    }
}

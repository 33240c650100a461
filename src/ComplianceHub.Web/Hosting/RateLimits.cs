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
        });
        // The API-wide limiter is a service so that each response can say how much of it is left (RateLimitHeaders).
        services.AddSingleton<ApiCallerLimiter>();
        services.AddOptions<RateLimiterOptions>().Configure<ApiCallerLimiter>((o, api) => o.GlobalLimiter = api.Limiter);
        return services;
    }

    /// <summary>
    /// Tells an API caller its limit on every response it is let through: <c>RateLimit-Limit</c> (requests a minute),
    /// <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> (seconds until the window renews, at most). Runs after the limiter.
    /// </summary>
    public static IApplicationBuilder UseRateLimitHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            http.RequestServices.GetRequiredService<ApiCallerLimiter>().WriteHeaders(http);
        }
        await next(http);
    });

    internal static RateLimitPartition<string> PerMinute(string key, int limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, limit),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            // The partitioned limiter's heartbeat renews the windows (no timer per partition).
            AutoReplenishment = false,
        });

    internal static RateLimitOptions Limits(HttpContext http) => http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The signed-in account, or the address of an anonymous caller.</summary>
    internal static string Caller(HttpContext http) =>
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

/// <summary>
/// Every API request by one account (or anonymous address) within a fixed minute (<see cref="RateLimitOptions.ApiPerCaller"/>),
/// and what is left of it. The limiter does not say when a window began: it is taken as the first request that found the
/// window full, so <c>RateLimit-Reset</c> is never earlier than the renewal (a caller that waits it out finds permits again).
/// </summary>
internal sealed class ApiCallerLimiter(TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int TrackedCallers = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> windows = new();

    public PartitionedRateLimiter<HttpContext> Limiter { get; } = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        http.Request.Path.StartsWithSegments("/api")
            ? RateLimits.PerMinute(Key(http), RateLimits.Limits(http).ApiPerCaller)
            : RateLimitPartition.GetNoLimiter("pages"));

    private static string Key(HttpContext http) => "api:" + RateLimits.Caller(http);

    public void WriteHeaders(HttpContext http)
    {
        var limit = Math.Max(1, RateLimits.Limits(http).ApiPerCaller);
        if (Limiter.GetStatistics(http) is not { } statistics)
        {
            return;
        }
        var remaining = Math.Clamp(statistics.CurrentAvailablePermits, 0, limit);
        var now = clock.GetUtcNow();
        var key = Key(http);
        if (windows.Count > TrackedCallers)
        {
            foreach (var (stale, _) in windows.Where(w => now - w.Value > Window))
            {
                windows.TryRemove(stale, out _);
            }
            if (windows.Count > TrackedCallers)
            {
                windows.Clear(); // a flood of callers: forget them all rather than scan on every request (their windows restart)
            }
        }
        // The first permit of a window starts it; otherwise the window runs on from where it began, renewed each minute.
        var start = remaining == limit - 1 ? windows[key] = now : windows.GetOrAdd(key, now);
        var elapsed = (now - start).Ticks % Window.Ticks;
        var reset = (int)Math.Ceiling((Window.Ticks - elapsed) / (double)TimeSpan.TicksPerSecond);
        http.Response.Headers["RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
    }
}

using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Over HTTPS, every cookie the portal sets is a <c>__Host-</c> cookie: Secure, <c>Path=/</c> and no Domain. A browser then
/// accepts it only from this host over HTTPS, so a sibling subdomain or a plain-HTTP response cannot plant or overwrite it
/// (cookie tossing; ASVS 5.0 V3.3.1). This applies in every environment that is served over HTTPS. Over plain HTTP (the
/// local demo of <c>scripts/run.sh</c>) the names stay as they are, because browsers refuse a <c>__Host-</c> cookie that is
/// not Secure.
/// <para>
/// The portal keeps one name for each cookie: the sign-in cookie, its chunks, the antiforgery cookie, the second-factor
/// challenge and the notice acknowledgement. This middleware adds the prefix to every <c>Set-Cookie</c> on the way out. On
/// the way in it takes the prefix off, and it drops any cookie that arrives without the prefix, so a cookie planted under
/// the bare name is never read.
/// </para>
/// </summary>
public sealed class HostCookiesMiddleware(RequestDelegate next, ILogger<HostCookiesMiddleware> log)
{
    public const string Prefix = "__Host-";

    private static readonly object Done = new();

    public Task InvokeAsync(HttpContext context)
    {
        // Once per request: a second pass (a re-executed pipeline) would find the names already unprefixed and drop them all.
        if (!context.Request.IsHttps || !context.Items.TryAdd(Done, true))
        {
            return next(context);
        }
        var sent = context.Request.Headers.Cookie;
        if (sent.Count > 0)
        {
            context.Request.Headers.Cookie = Incoming(sent);
        }
        context.Response.OnStarting(() =>
        {
            var set = context.Response.Headers.SetCookie;
            if (set.Count > 0)
            {
                context.Response.Headers.SetCookie = Outgoing(set, log);
            }
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>
    /// The portal's cookies by their own names: prefixed ones unprefixed, any other dropped. Read pair by pair, so one
    /// malformed cookie of another application on the host does not cost the portal its own.
    /// </summary>
    internal static StringValues Incoming(StringValues header)
    {
        var kept = new List<string>();
        foreach (var line in header)
        {
            foreach (var pair in (line ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > Prefix.Length && pair.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    kept.Add(pair[Prefix.Length..]);
                }
            }
        }
        return string.Join("; ", kept);
    }

    /// <summary>Each <c>Set-Cookie</c> as a <c>__Host-</c> cookie: the prefix, Secure, <c>Path=/</c>, no Domain.</summary>
    internal static StringValues Outgoing(StringValues header, ILogger log)
    {
        var rewritten = new List<string>(header.Count);
        foreach (var value in header)
        {
            if (!SetCookieHeaderValue.TryParse(value, out var cookie))
            {
                // Not a cookie the portal's own code writes; sent as it is, it would be read back without the prefix and
                // dropped, so it is not sent at all — and said, so that whoever added it finds out.
                log.LogWarning("A Set-Cookie header that does not parse was not sent over HTTPS: {Length} characters", value?.Length ?? 0);
                continue;
            }
            if (!cookie.Name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                cookie.Name = Prefix + cookie.Name.Value;
            }
            cookie.Secure = true;
            cookie.Path = "/";
            cookie.Domain = null;
            rewritten.Add(cookie.ToString());
        }
        return new StringValues(rewritten.ToArray());
    }
}

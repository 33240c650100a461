using System.Net;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from the trusted proxies only (<see cref="ReverseProxyOptions"/>),
/// one hop: the client's address for the audit trail, sessions and rate limits, and HTTPS for the <c>__Host-</c> cookies
/// and HSTS behind a proxy that ends TLS. With no proxy configured nothing is taken from the headers, loopback included
/// (ASP.NET Core's own default would trust loopback).
/// </summary>
internal sealed class TrustedProxyHeadersMiddleware(RequestDelegate next, IOptionsMonitor<ReverseProxyOptions> proxies, ILoggerFactory logs)
{
    private static readonly object ConnectionAddressKey = new();
    private (string Key, Microsoft.AspNetCore.HttpOverrides.ForwardedHeadersMiddleware Middleware)? built;

    /// <summary>The address of the connection itself (the proxy's, behind one), whatever the forwarded headers said.</summary>
    public static IPAddress? ConnectionAddress(HttpContext http) =>
        http.Items.TryGetValue(ConnectionAddressKey, out var address) ? address as IPAddress : http.Connection.RemoteIpAddress;

    public Task InvokeAsync(HttpContext http)
    {
        http.Items[ConnectionAddressKey] = http.Connection.RemoteIpAddress;
        var addresses = proxies.CurrentValue.Addresses;
        if (addresses.Count == 0)
        {
            return next(http);
        }
        var key = string.Join(",", addresses);
        var current = built;
        if (current is null || current.Value.Key != key)
        {
            var options = new ForwardedHeadersOptions
            {
                ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
                                   | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
                ForwardLimit = 1,
            };
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var address in addresses)
            {
                options.KnownProxies.Add(address);
            }
            current = (key, new Microsoft.AspNetCore.HttpOverrides.ForwardedHeadersMiddleware(next, logs, Options.Create(options)));
            built = current;
        }
        return current.Value.Middleware.Invoke(http);
    }
}

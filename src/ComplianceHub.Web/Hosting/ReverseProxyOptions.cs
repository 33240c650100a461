using System.Net;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Section <c>ReverseProxy</c>: the proxies in front of the portal whose word it takes for the client's address and scheme
/// (<c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>) and for a smart card certificate. Nobody else's: with none configured,
/// forwarded headers are ignored, loopback included.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    /// <summary>IP addresses of the trusted proxies.</summary>
    public string[] TrustedProxies { get; set; } = [];

    public IReadOnlyList<IPAddress> Addresses => Parse(TrustedProxies);

    public bool Trusts(IPAddress? address) => IsAmong(address, Addresses);

    internal static IReadOnlyList<IPAddress> Parse(IEnumerable<string> addresses) =>
        addresses.Select(p => IPAddress.TryParse(p.Trim(), out var a) ? a : null).OfType<IPAddress>().ToList();

    internal static bool IsAmong(IPAddress? address, IReadOnlyList<IPAddress> list)
    {
        if (address is null)
        {
            return false;
        }
        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return list.Any(p => p.Equals(normalized));
    }
}

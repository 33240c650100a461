using System.Net;
using System.Net.Sockets;
using ComplianceHub.Core.Domain.AccessLogs;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// Addresses that are not on the public internet, classified before any database is asked (so that they never get a country,
/// whatever a database says): loopback, private (RFC 1918, shared address space, unique local IPv6), link-local, and
/// reserved (documentation, benchmarking, multicast, unspecified, broadcast, "this network", future use). An IPv4-mapped IPv6
/// address is classified (and looked up) as its IPv4 address.
/// </summary>
public static class SpecialAddresses
{
    private static readonly (IPNetwork Network, LocationUnknown Kind)[] Ranges =
    [
        // IPv4
        (IPNetwork.Parse("0.0.0.0/8"), LocationUnknown.Reserved),          // "this network"
        (IPNetwork.Parse("10.0.0.0/8"), LocationUnknown.Private),
        (IPNetwork.Parse("100.64.0.0/10"), LocationUnknown.Private),       // shared address space (carrier-grade NAT)
        (IPNetwork.Parse("127.0.0.0/8"), LocationUnknown.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), LocationUnknown.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), LocationUnknown.Private),
        (IPNetwork.Parse("192.0.0.0/24"), LocationUnknown.Reserved),       // IETF protocol assignments
        (IPNetwork.Parse("192.0.2.0/24"), LocationUnknown.Reserved),       // documentation (TEST-NET-1)
        (IPNetwork.Parse("192.168.0.0/16"), LocationUnknown.Private),
        (IPNetwork.Parse("198.18.0.0/15"), LocationUnknown.Reserved),      // benchmarking
        (IPNetwork.Parse("198.51.100.0/24"), LocationUnknown.Reserved),    // documentation (TEST-NET-2)
        (IPNetwork.Parse("203.0.113.0/24"), LocationUnknown.Reserved),     // documentation (TEST-NET-3)
        (IPNetwork.Parse("224.0.0.0/4"), LocationUnknown.Reserved),        // multicast
        (IPNetwork.Parse("240.0.0.0/4"), LocationUnknown.Reserved),        // future use, and 255.255.255.255 (broadcast)
        // IPv6
        (IPNetwork.Parse("::1/128"), LocationUnknown.Loopback),
        (IPNetwork.Parse("::/96"), LocationUnknown.Reserved),              // unspecified (::) and the deprecated IPv4-compatible addresses
        (IPNetwork.Parse("100::/64"), LocationUnknown.Reserved),           // discard-only
        (IPNetwork.Parse("2001:2::/48"), LocationUnknown.Reserved),        // benchmarking
        (IPNetwork.Parse("2001:db8::/32"), LocationUnknown.Reserved),      // documentation
        (IPNetwork.Parse("3fff::/20"), LocationUnknown.Reserved),          // documentation (RFC 9637)
        (IPNetwork.Parse("fc00::/7"), LocationUnknown.Private),            // unique local
        (IPNetwork.Parse("fe80::/10"), LocationUnknown.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), LocationUnknown.Private),           // site-local (deprecated)
        (IPNetwork.Parse("ff00::/8"), LocationUnknown.Reserved),           // multicast
    ];

    /// <summary>The address a database is asked about: an IPv4-mapped IPv6 address as its IPv4 address, the zone dropped.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            return new IPAddress(address.GetAddressBytes());
        }
        return address;
    }

    /// <summary>Why <paramref name="address"/> has no country whatever a database says, or <see cref="LocationUnknown.None"/> for a public address.</summary>
    public static LocationUnknown Classify(IPAddress address)
    {
        var normalized = Normalize(address);
        foreach (var (network, kind) in Ranges)
        {
            if (network.BaseAddress.AddressFamily == normalized.AddressFamily && network.Contains(normalized))
            {
                return kind;
            }
        }
        return LocationUnknown.None;
    }
}

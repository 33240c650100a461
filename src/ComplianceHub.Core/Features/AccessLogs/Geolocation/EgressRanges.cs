using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// Reads an address range as an officer types it (ADR 0047): CIDR notation (<c>203.0.113.0/24</c>, <c>2001:db8:1::/48</c>) or
/// a single address (a /32 or /128). A range wider than a /8 (IPv4) or a /32 (IPv6) is refused: a known egress names a VPN
/// concentrator's or a cloud provider's block, not a continent.
/// </summary>
public static class EgressRanges
{
    public const int WidestIPv4 = 8;
    public const int WidestIPv6 = 32;

    /// <summary>The range, or null and why not in words.</summary>
    public static IPNetwork? Parse(string? text, out string? error)
    {
        error = null;
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            error = "Enter the address range, e.g. 203.0.113.0/24, or a single address.";
            return null;
        }
        var slash = value.IndexOf('/');
        var addressPart = slash < 0 ? value : value[..slash];
        if (!IPAddress.TryParse(addressPart, out var address) || addressPart.Contains('%'))
        {
            error = $"{value} is not an IP address range: write it as an address, a slash and a prefix length, e.g. 203.0.113.0/24.";
            return null;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        var max = v4 ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max))
        {
            error = $"The prefix length after the slash must be a number from 0 to {max} for an {(v4 ? "IPv4" : "IPv6")} range.";
            return null;
        }
        var widest = v4 ? WidestIPv4 : WidestIPv6;
        if (prefix < widest)
        {
            error = $"{value} is wider than a /{widest}: a known egress is a VPN's, a proxy's or a cloud provider's block, not a " +
                    $"large part of the internet. Enter a range of /{widest} or narrower.";
            return null;
        }
        var start = Start(address, prefix);
        if (!start.Equals(address))
        {
            error = $"{value} is not the start of a range: the /{prefix} that contains {addressPart} is {start}/{prefix}.";
            return null;
        }
        return new IPNetwork(start, prefix);
    }

    /// <summary>The first address of the /<paramref name="prefix"/> that contains <paramref name="address"/>.</summary>
    private static IPAddress Start(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }
        return new IPAddress(bytes);
    }
}

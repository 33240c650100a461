using System.Net;
using ComplianceHub.Core.Domain.AccessLogs;
using ComplianceHub.Core.Features.AccessLogs;

namespace ComplianceHub.Core.Tests.Features.AccessLogs;

/// <summary>
/// Addresses that are not on the public internet are classified before any database is asked, so they never get a country
/// (ADR 0047) — no database is needed for these.
/// </summary>
public sealed class SpecialAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", LocationUnknown.Loopback)]
    [InlineData("127.255.255.254", LocationUnknown.Loopback)]
    [InlineData("::1", LocationUnknown.Loopback)]
    [InlineData("10.1.2.3", LocationUnknown.Private)]
    [InlineData("172.16.0.1", LocationUnknown.Private)]
    [InlineData("172.31.255.255", LocationUnknown.Private)]
    [InlineData("192.168.1.10", LocationUnknown.Private)]
    [InlineData("100.64.0.1", LocationUnknown.Private)]
    [InlineData("100.127.255.255", LocationUnknown.Private)]
    [InlineData("fc00::1", LocationUnknown.Private)]
    [InlineData("fd12:3456:789a::1", LocationUnknown.Private)]
    [InlineData("169.254.169.254", LocationUnknown.LinkLocal)]
    [InlineData("fe80::1", LocationUnknown.LinkLocal)]
    [InlineData("fe80::1%2", LocationUnknown.LinkLocal)]
    [InlineData("192.0.2.1", LocationUnknown.Reserved)]
    [InlineData("198.51.100.7", LocationUnknown.Reserved)]
    [InlineData("203.0.113.200", LocationUnknown.Reserved)]
    [InlineData("2001:db8::1", LocationUnknown.Reserved)]
    [InlineData("3fff::1", LocationUnknown.Reserved)]
    [InlineData("224.0.0.1", LocationUnknown.Reserved)]
    [InlineData("239.255.255.250", LocationUnknown.Reserved)]
    [InlineData("ff02::1", LocationUnknown.Reserved)]
    [InlineData("240.0.0.1", LocationUnknown.Reserved)]
    [InlineData("255.255.255.255", LocationUnknown.Reserved)]
    [InlineData("0.0.0.0", LocationUnknown.Reserved)]
    [InlineData("0.1.2.3", LocationUnknown.Reserved)]
    [InlineData("::", LocationUnknown.Reserved)]
    [InlineData("198.18.0.1", LocationUnknown.Reserved)]
    [InlineData("198.19.255.255", LocationUnknown.Reserved)]
    [InlineData("192.0.0.8", LocationUnknown.Reserved)]
    [InlineData("2001:2::1", LocationUnknown.Reserved)]
    [InlineData("100::1", LocationUnknown.Reserved)]
    public void NotOnThePublicInternet_IsClassifiedWithoutADatabase(string address, LocationUnknown expected) =>
        Assert.Equal(expected, SpecialAddresses.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::ffff:10.1.2.3", LocationUnknown.Private)]
    [InlineData("::ffff:127.0.0.1", LocationUnknown.Loopback)]
    [InlineData("::ffff:192.0.2.1", LocationUnknown.Reserved)]
    [InlineData("::ffff:169.254.1.1", LocationUnknown.LinkLocal)]
    [InlineData("::ffff:8.8.8.8", LocationUnknown.None)]
    public void AnIPv4MappedIPv6Address_IsClassifiedAsItsIPv4Address(string address, LocationUnknown expected)
    {
        var parsed = IPAddress.Parse(address);
        Assert.Equal(expected, SpecialAddresses.Classify(parsed));
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, SpecialAddresses.Normalize(parsed).AddressFamily);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("9.255.255.255")]   // the last address before 10/8
    [InlineData("11.0.0.0")]        // the first after it
    [InlineData("100.63.255.255")]  // just before the shared address space
    [InlineData("100.128.0.0")]     // just after it
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.0.3.1")]
    [InlineData("192.169.0.1")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")] // the last unicast address before multicast
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2001:db9::1")]
    [InlineData("2a02:6b8::1")]
    [InlineData("fbff:ffff::1")]
    public void APublicAddress_IsLeftToTheDatabase(string address) =>
        Assert.Equal(LocationUnknown.None, SpecialAddresses.Classify(IPAddress.Parse(address)));

    [Fact]
    public void TheLabel_NamesTheDatabaseItsVersionAndItsBuildDate()
    {
        var info = new GeolocationInfo("geo-whois-asn-country", "2.3.2026061719", new DateTimeOffset(2026, 6, 17, 19, 51, 40, TimeSpan.Zero),
            new string('a', 64), "CC BY 4.0", GeolocationInfo.Installed);
        Assert.Equal("geo-whois-asn-country 2.3.2026061719, built 17 Jun 2026", info.Label);
        Assert.Equal("loaded by Avery Admin on 8 Dec 2026", GeolocationInfo.LoadedBy("Avery Admin", new DateTimeOffset(2026, 12, 7, 23, 0, 0, TimeSpan.FromHours(-5))));
    }
}

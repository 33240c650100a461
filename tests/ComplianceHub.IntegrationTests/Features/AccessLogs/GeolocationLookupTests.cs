using System.Net;
using ComplianceHub.Core.Domain.AccessLogs;
using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.AccessLogs;

/// <summary>
/// The installed geolocation database (scripts/lib/geolocation.sh, ADR 0047) looked up through MaxMind.Db by the portal's
/// geolocator: documentation, private and loopback addresses are unknown (never a country), and public addresses whose
/// registration the regional internet registries have kept for years get their country. Fails, never skips, when the file is
/// not installed.
/// </summary>
public sealed class GeolocationLookupTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private IGeolocator Geolocator => fixture.Portal.Services.GetRequiredService<IGeolocator>();

    [Fact]
    public void TheInstalledDatabase_IsInForce_WithItsVersionBuildDateAndLicence()
    {
        var path = GeolocationFiles.Installed();
        var database = Geolocator.Database;
        Assert.NotNull(database);
        Assert.Equal("geo-whois-asn-country", database.Name);
        Assert.Equal("2.3.2026061719", database.Version);
        Assert.Equal(new DateTimeOffset(2026, 6, 17, 19, 51, 40, TimeSpan.Zero), database.BuiltAt);
        Assert.Equal("geo-whois-asn-country 2.3.2026061719, built 17 Jun 2026", database.Label);
        Assert.Equal(GeolocationInfo.Installed, database.Origin);
        Assert.Contains("nro.net", database.Licence, StringComparison.Ordinal);
        Assert.Contains("CC BY 4.0", database.Licence, StringComparison.Ordinal);
        using var stream = File.OpenRead(path);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)), database.Sha256);
    }

    [Theory]
    [InlineData("192.0.2.1", LocationUnknown.Reserved)]
    [InlineData("198.51.100.20", LocationUnknown.Reserved)]
    [InlineData("203.0.113.9", LocationUnknown.Reserved)]
    [InlineData("2001:db8::1", LocationUnknown.Reserved)]
    [InlineData("224.0.0.251", LocationUnknown.Reserved)]
    [InlineData("10.1.2.3", LocationUnknown.Private)]
    [InlineData("192.168.0.1", LocationUnknown.Private)]
    [InlineData("100.64.1.1", LocationUnknown.Private)]
    [InlineData("fd00::1", LocationUnknown.Private)]
    [InlineData("127.0.0.1", LocationUnknown.Loopback)]
    [InlineData("::1", LocationUnknown.Loopback)]
    [InlineData("169.254.169.254", LocationUnknown.LinkLocal)]
    [InlineData("::ffff:10.0.0.1", LocationUnknown.Private)]
    public void AnAddressNotOnThePublicInternet_HasNoCountry(string address, LocationUnknown why)
    {
        GeolocationFiles.Installed();
        Assert.Equal(new GeoLocation(null, why), Geolocator.Locate(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8", "US")]              // Google Public DNS (ARIN)
    [InlineData("9.9.9.9", "US")]              // Quad9 (ARIN)
    [InlineData("114.114.114.114", "CN")]      // 114DNS, Nanjing (APNIC)
    [InlineData("202.106.0.20", "CN")]         // China Unicom Beijing (APNIC)
    [InlineData("223.5.5.5", "CN")]            // AliDNS (APNIC)
    [InlineData("77.88.8.8", "RU")]            // Yandex DNS (RIPE NCC)
    [InlineData("5.160.0.1", "IR")]            // an Iranian operator's block (RIPE NCC)
    [InlineData("193.0.6.139", "NL")]          // the RIPE NCC's own web site, Amsterdam
    [InlineData("217.160.0.1", "DE")]          // IONOS, Germany (RIPE NCC)
    [InlineData("2001:4860:4860::8888", "US")] // Google Public DNS over IPv6
    [InlineData("2400:3200::1", "CN")]         // AliDNS over IPv6
    [InlineData("2a02:6b8::1", "RU")]          // Yandex over IPv6
    [InlineData("::ffff:8.8.8.8", "US")]       // IPv4-mapped: looked up as 8.8.8.8 (the file has no country for the mapped form)
    public void APublicAddress_GetsItsRegistrationCountry(string address, string country)
    {
        GeolocationFiles.Installed();
        Assert.Equal(new GeoLocation(country, LocationUnknown.None), Geolocator.Locate(IPAddress.Parse(address)));
    }

    [Fact]
    public void NoAddress_IsNotAnAddress() => Assert.Equal(new GeoLocation(null, LocationUnknown.NotAnAddress), Geolocator.Locate(null));

    [Fact]
    public void TheClassificationComesBeforeTheDatabase_WhichItselfGivesADocumentationAddressACountry()
    {
        // The pinned npm data has known bugs (its README says so): it gives 2001:db8::/32, the IPv6 documentation prefix, a
        // country. Read directly, the file says so; through the geolocator the address is reserved, never a country.
        using var file = GeolocationFile.Open(GeolocationFiles.Installed());
        Assert.NotNull(file.Find(IPAddress.Parse("2001:db8::1")).Country);
        Assert.Equal(LocationUnknown.Reserved, Geolocator.Locate(IPAddress.Parse("2001:db8::1")).Unknown);
        Assert.True(file.AnswersCountries());
    }
}

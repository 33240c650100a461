using System.Net;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessLogs;
using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.AccessLogs;

/// <summary>
/// Known egress ranges (officers only, audited, the removal's reason in the trail) and loading a newer geolocation database
/// (administrators only; a bad file is a field error; every instance's refresh puts a newer one in force) — ADR 0047.
/// </summary>
public sealed class GeolocationCommandTests() : CommandPortalTest("geo")
{
    private static readonly Actor Admin = new(Guid.NewGuid(), "Avery Admin", Roles.Administrator, null, null);

    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    [Fact]
    public async Task AnOfficer_AddsARange_Audited_AndASingleAddressIsAHost()
    {
        var added = await SendAsync(Co1, new AddKnownEgressRange(" 203.0.113.0/24 ", "Acme's corporate VPN, Ashburn"));
        Assert.True(added.IsOk, string.Join("; ", added.Errors?.SelectMany(e => e.Value) ?? []));
        Assert.Equal(("203.0.113.0/24", "Acme's corporate VPN, Ashburn", "Casey Officer"), (added.Value!.Range, added.Value.Reason, added.Value.AddedBy));
        var created = await SingleEventAsync(e => e.SubjectType == "known-egress-range" && e.SubjectId == added.Value.Id.ToString());
        Assert.Equal(7500, created.EventType);
        Assert.Equal("add-known-egress-range", created.Operation);
        Assert.Contains("203.0.113.0/24", created.Changes, StringComparison.Ordinal);

        Assert.Equal("198.51.100.7/32", (await SendAsync(Co1, new AddKnownEgressRange("198.51.100.7", "NAT gateway of the build farm"))).Value!.Range);
        Assert.Equal("2001:db8:5::1/128", (await SendAsync(Co2, new AddKnownEgressRange("2001:db8:5::1", "IPv6 proxy of the Reston office"))).Value!.Range);
        Assert.Equal("192.0.2.0/28", (await SendAsync(Co2, new AddKnownEgressRange("::ffff:192.0.2.0/28", "Mapped form of a small block"))).Value!.Range);

        // Found by an address in it, and shown by the lookup.
        var listed = await AskAsync<KnownEgressRangesQuery, PagedResult<KnownEgressRangeView>>(q => q.ListAsync(Auditor, "203.0.113.77", new PageRequest()));
        Assert.Equal("203.0.113.0/24", Assert.Single(listed.Items).Range);
        var lookup = await AskAsync<GeolocationQuery, AddressLookup?>(q => q.LookupAsync(Auditor, "203.0.113.77"));
        Assert.Equal(("203.0.113.0/24", LocationUnknown.Reserved), (lookup!.KnownEgress?.Range, lookup.Unknown));
        Assert.Equal(4, (await AskAsync<KnownEgressRangesQuery, PagedResult<KnownEgressRangeView>>(q => q.ListAsync(Co1, null, new PageRequest()))).Total);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AskAsync<KnownEgressRangesQuery, PagedResult<KnownEgressRangeView>>(
            q => q.ListAsync(AcmeRep, null, new PageRequest())));
    }

    [Theory]
    [InlineData("", "Enter the address range")]
    [InlineData("not a range", "is not an IP address range")]
    [InlineData("10.0.0.0/7", "wider than a /8")]
    [InlineData("2001:db8::/31", "wider than a /32")]
    [InlineData("203.0.113.5/24", "the /24 that contains 203.0.113.5 is 203.0.113.0/24")]
    [InlineData("203.0.113.0/33", "from 0 to 32")]
    [InlineData("203.0.113.0/x", "from 0 to 32")]
    [InlineData("fe80::1%2", "is not an IP address range")]
    public async Task ARangeThatIsNotOne_IsRefusedInWords(string range, string message)
    {
        var outcome = await SendAsync(Co1, new AddKnownEgressRange(range, "A reason long enough"));
        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Contains(message, Assert.Single(outcome.Errors!["Range"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShortReason_AndAnOverlappingRange_AreRefused_NamingTheOtherRange()
    {
        var shortReason = await SendAsync(Co1, new AddKnownEgressRange("203.0.113.0/24", " vpn "));
        Assert.Contains("at least 5 characters", Assert.Single(shortReason.Errors!["Reason"]), StringComparison.Ordinal);

        Assert.True((await SendAsync(Co1, new AddKnownEgressRange("203.0.113.0/24", "Corporate VPN concentrator"))).IsOk);
        var same = await SendAsync(Co2, new AddKnownEgressRange("203.0.113.0/24", "The same range again"));
        Assert.Contains("203.0.113.0/24 is already a known egress (\"Corporate VPN concentrator\", added by Casey Officer", Assert.Single(same.Errors!["Range"]), StringComparison.Ordinal);
        var inside = await SendAsync(Co2, new AddKnownEgressRange("203.0.113.128/25", "Half of it"));
        Assert.Contains("overlaps the known egress 203.0.113.0/24", Assert.Single(inside.Errors!["Range"]), StringComparison.Ordinal);
        var around = await SendAsync(Co2, new AddKnownEgressRange("203.0.0.0/16", "All of it"));
        Assert.Contains("overlaps the known egress 203.0.113.0/24", Assert.Single(around.Errors!["Range"]), StringComparison.Ordinal);
        Assert.True((await SendAsync(Co2, new AddKnownEgressRange("203.0.114.0/24", "The next block"))).IsOk);
    }

    [Fact]
    public async Task OnlyOfficers_MarkOrRemoveRanges()
    {
        foreach (var actor in new[] { AcmeRep, Auditor, Admin })
        {
            Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(actor, new AddKnownEgressRange("203.0.113.0/24", "Corporate VPN"))).Kind);
            Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(actor, new RemoveKnownEgressRange(Guid.NewGuid(), "Not theirs to remove"))).Kind);
        }
        await using var db = await ContextAsync();
        Assert.False(await db.KnownEgressRanges.AnyAsync());
    }

    [Fact]
    public async Task Removing_PutsTheReasonInTheTrail_ThenDeletes()
    {
        var added = (await SendAsync(Co1, new AddKnownEgressRange("198.51.100.0/24", "Cloud NAT of the build system"))).Value!;
        var tooShort = await SendAsync(Co2, new RemoveKnownEgressRange(added.Id, "no"));
        Assert.Contains("stands in the audit trail", Assert.Single(tooShort.Errors!["Reason"]), StringComparison.Ordinal);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Co2, new RemoveKnownEgressRange(Guid.NewGuid(), "The VPN was decommissioned"))).Kind);

        var removed = await SendAsync(Co2, new RemoveKnownEgressRange(added.Id, "The NAT gateway was decommissioned in November"));
        Assert.True(removed.IsOk);
        await using var db = await ContextAsync();
        Assert.False(await db.KnownEgressRanges.AnyAsync());
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == "known-egress-range" && e.SubjectId == added.Id.ToString())
            .OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([7500, 7501, 7502], events.Select(e => e.EventType));
        Assert.Single(events.Skip(1).Select(e => e.CorrelationId).Distinct()); // one operation, one transaction
        var reason = JsonDocument.Parse(events[1].Changes).RootElement.GetProperty("reason");
        Assert.Equal("Cloud NAT of the build system", reason.GetProperty("before").GetString());
        Assert.StartsWith("Removed by Morgan Officer on ", reason.GetProperty("after").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(": The NAT gateway was decommissioned in November", reason.GetProperty("after").GetString(), StringComparison.Ordinal);
        Assert.Contains("The NAT gateway was decommissioned in November", events[2].Changes, StringComparison.Ordinal);
        Assert.True((await VerifyChainAsync()).Valid);

        // The tables replayed from the trail: ranges (cidr) compare as PostgreSQL prints them, IPv4 and IPv6, one removed.
        Assert.True((await SendAsync(Co1, new AddKnownEgressRange("2001:db8:5::/48", "IPv6 block of the Reston office"))).IsOk);
        Assert.True((await SendAsync(Co1, new AddKnownEgressRange("192.0.2.9", "One NAT address of the lab"))).IsOk);
        await using var scope = Portal.Services.CreateAsyncScope();
        var verification = await scope.ServiceProvider.GetRequiredService<StateVerifier>().VerifyAsync(Auditor);
        Assert.True(verification.Clean, string.Join("; ", verification.Listed.Select(d => $"{d.Table} {d.RowId} {d.Field}: trail {d.TrailValue}, table {d.TableValue}")));
    }

    [Fact]
    public async Task LoadingADatabase_IsForAdministrators_AndABadFileIsAFieldError()
    {
        var installed = await File.ReadAllBytesAsync(GeolocationFiles.Installed());
        foreach (var actor in new[] { Co1, Auditor, AcmeRep })
        {
            Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(actor, new LoadGeolocationDatabase("newer.mmdb", installed, null))).Kind);
        }
        var notAnMmdb = await SendAsync(Admin, new LoadGeolocationDatabase("countries.mmdb", Encoding.UTF8.GetBytes("ip,country\n8.8.8.8,US\n"), null));
        Assert.Contains("is not a MaxMind-format (.mmdb) database", Assert.Single(notAnMmdb.Errors!["Content"]), StringComparison.Ordinal);
        var truncated = await SendAsync(Admin, new LoadGeolocationDatabase("countries.mmdb", installed[..(installed.Length / 2)], null));
        Assert.Contains("is not a MaxMind-format (.mmdb) database", Assert.Single(truncated.Errors!["Content"]), StringComparison.Ordinal);
        var csvName = await SendAsync(Admin, new LoadGeolocationDatabase("countries.csv", installed, null));
        Assert.Contains("ends in .mmdb", Assert.Single(csvName.Errors!["FileName"]), StringComparison.Ordinal);
        var empty = await SendAsync(Admin, new LoadGeolocationDatabase("countries.mmdb", Array.Empty<byte>(), null));
        Assert.Contains("The file is empty.", empty.Errors!["Content"]);
        var same = await SendAsync(Admin, new LoadGeolocationDatabase("geo-whois-asn-country.mmdb", installed, null));
        Assert.Contains("This is the database installed with the portal (geo-whois-asn-country 2.3.2026061719", Assert.Single(same.Errors!["Content"]), StringComparison.Ordinal);
        var notNewer = await SendAsync(Admin, new LoadGeolocationDatabase("geo-whois-asn-country.mmdb", WithBuildEpoch(installed, -86_400), null));
        Assert.Contains("not after the one in force", Assert.Single(notNewer.Errors!["Content"]), StringComparison.Ordinal);
        await using var db = await ContextAsync();
        Assert.False(await db.GeolocationDatabases.AnyAsync());
    }

    [Fact]
    public async Task ANewerDatabase_IsKept_AndEveryInstancesRefreshPutsItInForce()
    {
        var geolocator = Portal.Services.GetRequiredService<IGeolocator>();
        Assert.Equal(GeolocationInfo.Installed, geolocator.Database!.Origin);
        var newer = WithBuildEpoch(await File.ReadAllBytesAsync(GeolocationFiles.Installed()), 30 * 86_400);
        var loaded = await SendAsync(Admin, new LoadGeolocationDatabase("geo-whois-asn-country.mmdb", newer, "2.3.2026071719"));
        Assert.True(loaded.IsOk, string.Join("; ", loaded.Errors?.SelectMany(e => e.Value) ?? []));
        var view = loaded.Value!;
        Assert.Equal(("geo-whois-asn-country", "2.3.2026071719", new DateTimeOffset(2026, 7, 17, 19, 51, 40, TimeSpan.Zero)), (view.Name, view.Version, view.BuiltAt));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(newer)), view.Sha256);
        Assert.Contains("nro.net", view.Licence, StringComparison.Ordinal);
        var created = await SingleEventAsync(e => e.SubjectType == "geolocation-database");
        Assert.Equal(7600, created.EventType);
        Assert.Contains(view.Sha256, created.Changes, StringComparison.Ordinal);

        // Another instance (same database, its own geolocator) and this one pick it up at their refresh.
        await using var other = Portal.WithWebHostBuilder(_ => { });
        var otherGeolocator = other.Services.GetRequiredService<IGeolocator>();
        Assert.NotSame(geolocator, otherGeolocator);
        foreach (var g in new[] { geolocator, otherGeolocator })
        {
            await g.RefreshAsync(CancellationToken.None);
            Assert.Equal("geo-whois-asn-country 2.3.2026071719, built 17 Jul 2026", g.Database!.Label);
            Assert.Equal("loaded by Avery Admin on " + Clock.GetUtcNow().UtcDateTime.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture), g.Database.Origin);
            Assert.Equal(new GeoLocation("CN", LocationUnknown.None), g.Locate(IPAddress.Parse("114.114.114.114")));
            Assert.Equal(LocationUnknown.Private, g.Locate(IPAddress.Parse("10.0.0.1")).Unknown);
        }
        var status = await AskAsync<GeolocationQuery, GeolocationStatus>(q => q.StatusAsync(Auditor));
        Assert.Equal(view.Id, Assert.Single(status.Loaded).Id);

        // The same bytes again: a clear message, nothing added.
        var again = await SendAsync(Admin, new LoadGeolocationDatabase("copy.mmdb", newer, null));
        Assert.Contains("This file was loaded before, by Avery Admin", Assert.Single(again.Errors!["Content"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnInstalledDatabase_AddressesHaveNoCountry_UntilOneIsLoaded()
    {
        await using var bare = Portal.WithWebHostBuilder(b => b.UseSetting("Geolocation:DatabasePath", ""));
        var geolocator = bare.Services.GetRequiredService<IGeolocator>();
        await geolocator.RefreshAsync(CancellationToken.None);
        Assert.Null(geolocator.Database);
        Assert.Equal(LocationUnknown.NoDatabase, geolocator.Locate(IPAddress.Parse("8.8.8.8")).Unknown);
        Assert.Equal(LocationUnknown.Loopback, geolocator.Locate(IPAddress.Loopback).Unknown);

        await using var scope = bare.Services.CreateAsyncScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<CommandExecutor>().SendAsync(Admin,
            new LoadGeolocationDatabase("geo-whois-asn-country.mmdb", await File.ReadAllBytesAsync(GeolocationFiles.Installed()), null));
        Assert.True(loaded.IsOk, string.Join("; ", loaded.Errors?.SelectMany(e => e.Value) ?? []));
        Assert.Equal("2026-06-17", loaded.Value!.Version); // no version given: the build date
        await geolocator.RefreshAsync(CancellationToken.None);
        Assert.Equal(new GeoLocation("US", LocationUnknown.None), geolocator.Locate(IPAddress.Parse("8.8.8.8")));
    }

    /// <summary>
    /// The same database with its build time moved by <paramref name="seconds"/>: the metadata's <c>build_epoch</c> (an unsigned
    /// integer after the "\xAB\xCD\xEFMaxMind.com" marker) rewritten in place, so the file is a real, different, newer (or older) one.
    /// </summary>
    private static byte[] WithBuildEpoch(byte[] database, long seconds)
    {
        var copy = (byte[])database.Clone();
        byte[] marker = [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];
        var metadata = copy.AsSpan().LastIndexOf(marker);
        Assert.True(metadata > 0, "no metadata marker");
        byte[] key = [0x40 | 11, .. "build_epoch"u8];
        var at = copy.AsSpan(metadata).IndexOf(key);
        Assert.True(at > 0, "no build_epoch in the metadata");
        var value = metadata + at + key.Length;
        Assert.Equal(0x02, copy[value + 1]); // an extended type: uint64 (9 − 7)
        var size = copy[value] & 0x1F;
        ulong epoch = 0;
        for (var i = 0; i < size; i++)
        {
            epoch = (epoch << 8) | copy[value + 2 + i];
        }
        epoch = (ulong)((long)epoch + seconds);
        for (var i = size - 1; i >= 0; i--)
        {
            copy[value + 2 + i] = (byte)epoch;
            epoch >>= 8;
        }
        Assert.Equal(0UL, epoch); // it still fits
        return copy;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>The geolocation API (ADR 0047): the database in force, lookups, loading a database, and known egress ranges.</summary>
public sealed class ApiGeolocationTests() : ApiTestBase("apigeo")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    [Fact]
    public async Task TheDatabaseInForce_AndALookup_AreReadByOfficersAuditorsAndAdministrators_NotRepresentatives()
    {
        GeolocationFiles.Installed();
        using var auditor = await AsAsync(AuditorEmail);
        var status = await BodyAsync(await auditor.GetAsync("/api/v1/geolocation"));
        Assert.Equal("geo-whois-asn-country", status.GetProperty("inForce").GetProperty("name").GetString());
        Assert.Equal("installed with the portal", status.GetProperty("inForce").GetProperty("origin").GetString());

        var china = await BodyAsync(await auditor.GetAsync("/api/v1/geolocation/lookup?address=114.114.114.114"));
        Assert.Equal(("CN", "China (CN)"), (china.GetProperty("country").GetString(), china.GetProperty("location").GetString()));
        var documentation = await BodyAsync(await auditor.GetAsync("/api/v1/geolocation/lookup?address=2001:db8::1"));
        Assert.Equal(JsonValueKindNull, documentation.GetProperty("country").ValueKind);
        Assert.Equal("Reserved", documentation.GetProperty("unknown").GetString());
        Assert.StartsWith("Unknown: reserved address", documentation.GetProperty("location").GetString(), StringComparison.Ordinal);

        var bad = await auditor.GetAsync("/api/v1/geolocation/lookup?address=not-an-address");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await BodyAsync(bad)).GetProperty("errors").TryGetProperty("address", out _));

        using var rep = await AsAsync(AcmeEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/geolocation")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/geolocation/lookup?address=8.8.8.8")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/egress-ranges")).StatusCode);
    }

    [Fact]
    public async Task AnOfficer_AddsAndRemovesARange_WithProblemsInWords()
    {
        using var co = await AsAsync(Co1Email);
        var created = await co.PostAsJsonAsync("/api/v1/egress-ranges", new { range = "198.51.100.0/24", reason = "Cloud NAT of the build farm" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var range = await BodyAsync(created);
        var id = range.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/egress-ranges/{id}", created.Headers.Location?.OriginalString);

        var wide = await co.PostAsJsonAsync("/api/v1/egress-ranges", new { range = "10.0.0.0/6", reason = "Far too wide a range" });
        Assert.Equal(HttpStatusCode.BadRequest, wide.StatusCode);
        Assert.Contains("wider than a /8", (await BodyAsync(wide)).GetProperty("errors").GetProperty("range")[0].GetString(), StringComparison.Ordinal);

        using var auditor = await AsAsync(AuditorEmail);
        var listed = await BodyAsync(await auditor.GetAsync("/api/v1/egress-ranges?q=198.51.100.9"));
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.DeleteAsync($"/api/v1/egress-ranges/{id}?reason=Not+an+auditor%27s+to+remove")).StatusCode);

        var noReason = await co.DeleteAsync($"/api/v1/egress-ranges/{id}");
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var removed = await co.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/egress-ranges/{id}")
        {
            Content = JsonContent.Create(new { reason = "The NAT gateway was decommissioned" }),
        });
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await co.DeleteAsync($"/api/v1/egress-ranges/{id}?reason=Already+gone+anyway")).StatusCode);
    }

    [Fact]
    public async Task AnAdministrator_LoadsADatabase_AsMultipart_AndABadFileIs400()
    {
        using var admin = await AsAsync(AdminEmail);
        var bad = await admin.PostAsync("/api/v1/geolocation/databases", Upload(Encoding.UTF8.GetBytes("not a database"), "countries.mmdb"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("not a MaxMind-format (.mmdb) database", (await BodyAsync(bad)).GetProperty("errors").GetProperty("content")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await admin.PostAsJsonAsync("/api/v1/geolocation/databases", new { })).StatusCode);

        using var co = await AsAsync(Co1Email);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await co.PostAsync("/api/v1/geolocation/databases", Upload(await File.ReadAllBytesAsync(GeolocationFiles.Installed()), "x.mmdb"))).StatusCode);

        // Without an installed database (a portal configured with none), the installed file loads, and this instance uses it at once.
        await using var bare = Portal.WithWebHostBuilder(b => b.UseSetting("Geolocation:DatabasePath", ""));
        using var bareAdmin = bare.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        bareAdmin.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization; // the same database: the same token
        var loaded = await bareAdmin.PostAsync("/api/v1/geolocation/databases",
            Upload(await File.ReadAllBytesAsync(GeolocationFiles.Installed()), "geo-whois-asn-country.mmdb", ("version", "2.3.2026061719")));
        Assert.Equal(HttpStatusCode.Created, loaded.StatusCode);
        Assert.Equal("2.3.2026061719", (await BodyAsync(loaded)).GetProperty("version").GetString());
        var geolocator = bare.Services.GetRequiredService<IGeolocator>();
        Assert.StartsWith("loaded by ", geolocator.Database!.Origin, StringComparison.Ordinal);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private static MultipartFormDataContent Upload(byte[] content, string name, params (string Name, string Value)[] fields)
    {
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var form = new MultipartFormDataContent { { part, "file", name } };
        foreach (var (field, value) in fields)
        {
            form.Add(new StringContent(value), field);
        }
        return form;
    }
}

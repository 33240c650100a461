using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Features.AccessLogs;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// <c>GET /api/v1/personnel/{id}/access-evidence</c> (issue 25): where a person's access came from, read by the person's own vendor's
/// representative and an auditor, 404 to another vendor's representative, 400 for a period out of bounds, and nothing to write;
/// the person's evidence as an export file.
/// </summary>
public sealed class ApiAccessEvidenceTests() : ApiTestBase("apievid")
{
    private Guid alice;

    protected override async Task ArrangePeopleAsync()
    {
        alice = await AddPersonAsync("US", email: "alice@acme.example", name: "Alice Archer");
        var at = Clock.GetUtcNow().AddDays(-2);
        var log = "user,time,address,system,id,result\n" +
                  $"alice@acme.example,{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},114.114.114.114,milCloud Public Portal,e-1,success\n" +
                  $"alice@acme.example,{at.AddHours(1).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},8.8.8.8,milCloud Public Portal,e-2,success\n";
        var imported = await SendAsync(AcmeRep, new ImportAccessLog(DemoSeeder.AcmeId, null, "signins.csv", Encoding.UTF8.GetBytes(log), AccessLogFormat.PlainCsv));
        Assert.True(imported.IsOk && imported.Value!.Applied, imported.Message);
    }

    [Theory]
    [InlineData(AcmeEmail)]
    [InlineData(AuditorEmail)]
    [InlineData(Co1Email)]
    public async Task TheOwnRepresentative_AnOfficerAndAnAuditor_ReadThePersonsCountries(string email)
    {
        using var client = await AsAsync(email);
        var response = await client.GetAsync($"/api/v1/personnel/{alice}/access-evidence?days=90");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(90, body.GetProperty("days").GetInt32());
        Assert.Equal("US", body.GetProperty("workCountry").GetString());
        Assert.True(body.GetProperty("fromCoveredNation").GetBoolean());
        var countries = body.GetProperty("countries").EnumerateArray().ToDictionary(c => c.GetProperty("country").GetString()!, c => c);
        Assert.Equal("Covered", countries["CN"].GetProperty("agreement").GetString()); // enums as their names (API.md)
        Assert.Equal("Agrees", countries["US"].GetProperty("agreement").GetString());
        Assert.Equal("None", countries["CN"].GetProperty("unknown").GetString());
        Assert.Equal(1, countries["CN"].GetProperty("signIns").GetInt32());
        Assert.Contains(body.GetProperty("databases").EnumerateArray(), d => d.GetString()!.Contains("geo-whois-asn-country", StringComparison.Ordinal));

        var defaulted = await client.GetFromJsonAsync<JsonElement>($"/api/v1/personnel/{alice}/access-evidence");
        Assert.Equal(AccessEvidenceQuery.DefaultDays, defaulted.GetProperty("days").GetInt32());
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_Gets404_AsForAPersonThatDoesNotExist()
    {
        using var globex = await AsAsync(GlobexEmail);
        var response = await globex.GetAsync($"/api/v1/personnel/{alice}/access-evidence");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var auditor = await AsAsync(AuditorEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync($"/api/v1/personnel/{Guid.NewGuid()}/access-evidence")).StatusCode);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3651")]
    [InlineData("many")]
    public async Task APeriodOutOfBounds_Is400_InWords(string days)
    {
        using var client = await AsAsync(Co1Email);
        var response = await client.GetAsync($"/api/v1/personnel/{alice}/access-evidence?days={days}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task NothingWritesTheEvidence(string method)
    {
        using var client = await AsAsync(Co1Email);
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/v1/personnel/{alice}/access-evidence")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task ThePersonsEvidence_ExportsAsAFile_AndNeedsThePerson()
    {
        using var auditor = await AsAsync(AuditorEmail);
        var csv = await auditor.GetAsync($"/api/v1/exports/accessevidence?format=csv&person={alice}&days=90");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Contains("China (CN)", text, StringComparison.Ordinal);
        Assert.Contains("United States (US)", text, StringComparison.Ordinal);

        var missing = await auditor.GetAsync("/api/v1/exports/accessevidence?format=csv");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("person", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var globex = await AsAsync(GlobexEmail);
        var other = await globex.GetAsync($"/api/v1/exports/accessevidence?format=csv&person={alice}");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.DoesNotContain("China", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal); // no row of another vendor's person
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplianceHub.Core.Data.Seeding;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// Input an attacker or a broken client sends — a NUL character, a date at the end of the calendar, a page number at the
/// end of the integers — gets a clear answer and never a 500 or a stack trace, to every role (issue 18). The portal runs
/// in Development here, where the framework would show its developer exception page.
/// </summary>
public sealed class ApiHostileInputTests() : ApiTestBase("apihostile")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask; // the demo data is enough

    private static async Task AssertProblemWithoutStackTraceAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", text, StringComparison.Ordinal);
        if (field is not null)
        {
            using var body = JsonDocument.Parse(text);
            var errors = body.RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), $"no message for {field}: {text}");
            Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        }
    }

    [Theory]
    [InlineData(AcmeEmail)]
    [InlineData(Co1Email)]
    [InlineData(AuditorEmail)]
    public async Task NulInASearch_IsA400NamingTheField(string email)
    {
        using var client = await AsAsync(email);
        var response = await client.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel?search=%00");
        await AssertProblemWithoutStackTraceAsync(response, HttpStatusCode.BadRequest, "search");
        // A NUL anywhere in the query, for any parameter of any endpoint.
        response = await client.GetAsync($"/api/v1/grant-requests?search=a%00b");
        await AssertProblemWithoutStackTraceAsync(response, HttpStatusCode.BadRequest, "search");
    }

    [Fact]
    public async Task NulInABodyString_IsA400_AndNothingIsWritten()
    {
        using var acme = await AsAsync(AcmeEmail);
        var before = await BodyAsync(await acme.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel?pageSize=1"));
        var response = await acme.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", new
        {
            employeeId = "NUL-1", fullName = "Null\u0000Byte", email = "nul@acme.example", employerType = "VendorEmployee",
            citizenships = new[] { "US" }, countryOfBirth = "US", usLawfulPermanentResident = false,
            workLocation = new { country = "US", city = "Austin" },
        });
        await AssertProblemWithoutStackTraceAsync(response, HttpStatusCode.BadRequest);
        using (var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.True(problem.RootElement.TryGetProperty("traceId", out _));
        }
        var after = await BodyAsync(await acme.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel?pageSize=1"));
        Assert.Equal(before.GetProperty("total").GetInt32(), after.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    public async Task ADayAtTheEndsOfTheCalendar_IsA400NamingTheField(string day)
    {
        using var auditor = await AsAsync(AuditorEmail);
        var response = await auditor.GetAsync($"/api/v1/systems/{Il2}/access?asOf={day}");
        await AssertProblemWithoutStackTraceAsync(response, HttpStatusCode.BadRequest, "asOf");
    }

    [Theory]
    [InlineData(AcmeEmail, "/api/v1/vendors/{acme}/personnel?page=2147483647")]
    [InlineData(Co1Email, "/api/v1/vendors/{acme}/personnel?page=2147483647&pageSize=500")]
    [InlineData(Co1Email, "/api/v1/grant-requests?page=2147483647")]
    [InlineData(AuditorEmail, "/api/v1/audit/events?page=2147483647&pageSize=500")]
    [InlineData(AuditorEmail, "/api/v1/findings?page=2147483647")]
    public async Task APageBeyondTheEnd_IsEmpty_WithTheTotal(string email, string path)
    {
        using var client = await AsAsync(email);
        path = path.Replace("{acme}", DemoSeeder.AcmeId.ToString(), StringComparison.Ordinal);
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {text}");
        using var body = JsonDocument.Parse(text);
        Assert.Equal(0, body.RootElement.GetProperty("items").GetArrayLength());
        // The same total as the first page's: the list is all there, the page is past its end.
        using var first = JsonDocument.Parse(await client.GetStringAsync(path.Replace("page=2147483647", "page=1", StringComparison.Ordinal)));
        Assert.Equal(first.RootElement.GetProperty("total").GetInt32(), body.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(2147483647, body.RootElement.GetProperty("page").GetInt32());
    }
}

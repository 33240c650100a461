using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using ComplianceHub.Core.Data.Seeding;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>The demo installation driven over HTTP with bearer tokens, as a vendor HR system or a script would.</summary>
public abstract class ApiTestBase(string prefix) : CommandPortalTest(prefix)
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    protected const string Co1Email = "co1@demo.local";
    protected const string Co2Email = "co2@demo.local";
    protected const string AuditorEmail = "auditor@demo.local";
    protected const string AdminEmail = "admin@demo.local";
    protected const string AcmeEmail = "rep@acme.demo.local";
    protected const string GlobexEmail = "rep@globex.demo.local";

    private readonly Dictionary<string, string> tokens = [];

    /// <summary>A client with no credentials.</summary>
    protected HttpClient Anonymous() => Portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A client that sends the account's bearer token (one token per account per test).</summary>
    protected async Task<HttpClient> AsAsync(string email)
    {
        if (!tokens.TryGetValue(email, out var token))
        {
            using var anonymous = Anonymous();
            var response = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email, password = DemoSeeder.DemoPassword });
            response.EnsureSuccessStatusCode();
            token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
            tokens[email] = token;
        }
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Json);
}

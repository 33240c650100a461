using System.Net;
using System.Text.Json;
using ComplianceHub.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// <c>/openapi/v1.json</c> as client generators read it (issue 22): public, linted by the pinned Redocly CLI with zero
/// errors, bearer and personal-access-token security, integers as integers, the real error bodies and the upload bodies.
/// </summary>
public sealed class OpenApiDocumentTests() : ApiTestBase("apidoc")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private static readonly string Personnel = $"/api/v1/vendors/{Core.Data.Seeding.DemoSeeder.AcmeId}/personnel";

    private async Task<(string Text, JsonElement Root)> DocumentAsync()
    {
        using var client = Anonymous();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        return (text, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement root) =>
        root.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()
            .Where(m => m.Name is "get" or "post" or "put" or "patch" or "delete")
            .Select(m => (p.Name, m.Name, m.Value)));

    [Fact]
    public async Task TheDocument_IsPublic_AndRedoclyLintsItWithoutErrors()
    {
        var (text, _) = await DocumentAsync();
        var file = Path.Combine(Path.GetTempPath(), $"compliancehub-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, text);
        try
        {
            var (exit, output) = await ApiClientTools.RunAsync(ApiClientTools.Tool("redocly"),
                ["lint", file, "--config", Path.Combine(ApiClientTools.Folder, "redocly.yaml"), "--format", "stylish"]);
            Assert.True(exit == 0, "Redocly lint found errors:\n" + output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task SecurityIsDeclared_PerOperation_FromTheEndpointMetadata()
    {
        var (_, root) = await DocumentAsync();
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearerToken").GetProperty("scheme").GetString());
        Assert.Equal("bearer", schemes.GetProperty("personalAccessToken").GetProperty("scheme").GetString());
        foreach (var (path, method, operation) in Operations(root))
        {
            var security = operation.GetProperty("security");
            if (path.StartsWith("/api/v1/auth/", StringComparison.Ordinal) && path.EndsWith("/token", StringComparison.Ordinal))
            {
                Assert.Equal(0, security.GetArrayLength()); // anonymous: security: []
                Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{method} {path}: a wrong password is a 401");
            }
            else
            {
                Assert.True(security.GetArrayLength() == 2, $"{method} {path} declares {security}");
                Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{method} {path} declares no 401");
            }
        }
    }

    [Fact]
    public async Task Integers_AreIntegers_AndPagingIsBounded()
    {
        var (text, root) = await DocumentAsync();
        Assert.DoesNotContain("\"pattern\": \"^-?(?:0|[1-9]\\\\d*)$\"", text, StringComparison.Ordinal);
        foreach (var schema in Descendants(root).Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out _)))
        {
            var type = schema.GetProperty("type");
            if (type.ValueKind == JsonValueKind.Array)
            {
                var names = type.EnumerateArray().Select(t => t.GetString()).ToList();
                Assert.False(names.Contains("string") && (names.Contains("integer") || names.Contains("number")), $"A number typed as a string too: {schema}");
            }
        }
        var (_, _, list) = Operations(root).Single(o => o.Path == "/api/v1/vendors/{vendorId}/personnel" && o.Method == "get");
        var pageSize = list.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "pageSize").GetProperty("schema");
        Assert.Equal(1, pageSize.GetProperty("minimum").GetInt32());
        Assert.Equal(Core.Common.PageRequest.MaxPageSize, pageSize.GetProperty("maximum").GetInt32());
        var page = root.GetProperty("components").GetProperty("schemas").GetProperty("PagedResultOfPersonView");
        Assert.Equal(Core.Common.PageRequest.MaxPageSize, page.GetProperty("properties").GetProperty("items").GetProperty("maxItems").GetInt32());
        Assert.Equal("integer", page.GetProperty("properties").GetProperty("page").GetProperty("type").GetString());
    }

    [Fact]
    public async Task EveryOperationWithAnId_Declares404_AndRefusalsCarryTheirViolations()
    {
        var (_, root) = await DocumentAsync();
        foreach (var (path, method, operation) in Operations(root).Where(o => o.Path.Contains('{')))
        {
            Assert.True(operation.GetProperty("responses").TryGetProperty("404", out _), $"{method} {path} declares no 404");
        }
        var schemas = root.GetProperty("components").GetProperty("schemas");
        var refusal = schemas.GetProperty("PolicyRefusal").GetProperty("properties");
        var violation = schemas.GetProperty("Violation").GetProperty("properties");
        Assert.True(refusal.TryGetProperty("violations", out _));
        Assert.True(refusal.TryGetProperty("refused", out _));
        foreach (var field in new[] { "ruleId", "severity", "message", "facts", "citation", "title", "sentence" })
        {
            Assert.True(violation.TryGetProperty(field, out _), field);
        }
        Assert.True(schemas.GetProperty("Problem").GetProperty("properties").TryGetProperty("traceId", out _));
        Assert.True(schemas.GetProperty("ValidationProblem").GetProperty("properties").TryGetProperty("errors", out _));
        var (_, _, grant) = Operations(root).Single(o => o.Path == "/api/v1/personnel/{personId}/grants" && o.Method == "post");
        Assert.Equal("#/components/schemas/PolicyRefusal",
            grant.GetProperty("responses").GetProperty("422").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task TheRosterImport_DeclaresAMultipartBody_WithABinaryFile()
    {
        var (_, root) = await DocumentAsync();
        var (_, _, import) = Operations(root).Single(o => o.Path == "/api/v1/vendors/{vendorId}/roster-imports" && o.Method == "post");
        var schema = import.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        Assert.Equal("binary", schema.GetProperty("properties").GetProperty("file").GetProperty("format").GetString());
        Assert.Contains("file", schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(import.GetProperty("responses").GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _));

        // The contribution imports (API.md's address and the deprecated one): the file with the system and repository beside it.
        foreach (var path in new[] { "/api/v1/vendors/{vendorId}/contributions/imports", "/api/v1/vendors/{vendorId}/contribution-imports" })
        {
            var (_, _, contributions) = Operations(root).Single(o => o.Path == path && o.Method == "post");
            var form = contributions.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
            Assert.Equal("binary", form.GetProperty("properties").GetProperty("file").GetProperty("format").GetString());
            Assert.Equal("uuid", form.GetProperty("properties").GetProperty("systemId").GetProperty("format").GetString());
            Assert.True(form.GetProperty("properties").TryGetProperty("repository", out _));
        }
    }

    [Fact]
    public async Task BadPaging_Is400_AndA401HasAProblemBodyWithItsTraceId()
    {
        using var co = await AsAsync(Co1Email);
        var negative = await co.GetAsync($"{Personnel}?pageSize=-5");
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.True((await BodyAsync(negative)).GetProperty("errors").TryGetProperty("pageSize", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await co.GetAsync($"{Personnel}?pageSize={Core.Common.PageRequest.MaxPageSize + 1}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await co.GetAsync($"{Personnel}?page=0")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await co.GetAsync($"{Personnel}?page=1&pageSize={Core.Common.PageRequest.MaxPageSize}")).StatusCode);

        using var anonymous = Anonymous();
        var unauthorized = await anonymous.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("application/problem+json", unauthorized.Content.Headers.ContentType?.MediaType);
        var body = await BodyAsync(unauthorized);
        Assert.Equal(401, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("traceId").GetString()));
        var missing = await co.GetAsync($"/api/v1/grants/{Guid.NewGuid()}");
        Assert.False(string.IsNullOrEmpty((await BodyAsync(missing)).GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task NumbersAreStrict_AndOverlongTextIs400()
    {
        // No request body takes a number today; the strict reading is what types every integer as an integer in the document.
        var json = Portal.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value;
        Assert.Equal(System.Text.Json.Serialization.JsonNumberHandling.Strict, json.SerializerOptions.NumberHandling);

        using var co = await AsAsync(Co1Email);
        var text = new string('x', Web.Api.ApiBounds.MaxText + 1);
        var response = await co.PostAsync($"/api/v1/grants/{Guid.NewGuid()}/suspend",
            new StringContent(JsonSerializer.Serialize(new { reason = text }), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await BodyAsync(response)).GetProperty("errors").TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task ApiResponses_CarryTheRateLimitHeaders()
    {
        using var co = await AsAsync(Co1Email);
        var response = await co.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var limit = int.Parse(response.Headers.GetValues("RateLimit-Limit").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var remaining = int.Parse(response.Headers.GetValues("RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var reset = int.Parse(response.Headers.GetValues("RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(limit > 0 && remaining >= 0 && remaining < limit, $"{limit} {remaining}");
        Assert.InRange(reset, 0, 60);
    }

    private static IEnumerable<JsonElement> Descendants(JsonElement element)
    {
        yield return element;
        var children = element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Select(p => p.Value),
            JsonValueKind.Array => element.EnumerateArray(),
            _ => [],
        };
        foreach (var child in children.SelectMany(Descendants))
        {
            yield return child;
        }
    }
}

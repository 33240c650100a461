using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// The role boundary of every API endpoint, generated from the endpoint list itself: a new endpoint is in this matrix the
/// moment it is mapped. Anonymous callers get 401 everywhere but the sign-in (token) endpoints; an auditor reads everything (never
/// 403 on a GET) and writes nothing (403 on every POST, PUT or DELETE, before the body or the resource is looked at).
/// </summary>
public sealed class ApiRoleMatrixTests() : ApiTestBase("apimatrix")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private List<(string Method, string Path)> Endpoints()
    {
        using var client = Anonymous(); // starts the server, so the endpoints are built
        var source = Portal.Services.GetRequiredService<EndpointDataSource>();
        var endpoints = source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, Concrete(e.RoutePattern.RawText!))))
            .Distinct().OrderBy(e => e.Item2).ThenBy(e => e.m).ToList();
        Assert.True(endpoints.Count >= 20, $"Only {endpoints.Count} API endpoints were found.");
        return endpoints;
    }

    /// <summary>
    /// The sign-in endpoints, anonymous by design: <c>/auth/token</c> (password) and <c>/auth/smart-card/token</c> (a card).
    /// Each has its own tests (<c>ApiAuthAndGrantsTests</c>, <c>SecondFactorTests</c>, <c>SmartCardSignInTests</c>).
    /// </summary>
    private static bool IsSignIn(string path) =>
        path.StartsWith("/api/v1/auth/", StringComparison.Ordinal) && path.EndsWith("/token", StringComparison.Ordinal);

    /// <summary>Route parameters filled with ids that exist nowhere.</summary>
    private static string Concrete(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", Guid.NewGuid().ToString());

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method == "GET" ? null : new StringContent("{}", Encoding.UTF8, "application/json") };

    [Fact]
    public async Task EveryEndpoint_ButTheTokenEndpoints_Is401ForAnonymousCallers()
    {
        using var anonymous = Anonymous();
        var wrong = new List<string>();
        foreach (var (method, path) in Endpoints().Where(e => !IsSignIn(e.Path)))
        {
            var response = await anonymous.SendAsync(Request(method, path));
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                wrong.Add($"{method} {path} → {(int)response.StatusCode}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task AnAuditor_ReadsEverything_AndWritesNothing_ButTheirOwnReviewWork()
    {
        using var auditor = await AsAsync(AuditorEmail);
        var wrong = new List<string>();
        var ownWorkSeen = 0;
        // The writes an auditor makes (AuditorWork.Commands, API.md): a verdict on a code contribution (one, at /verdict or the
        // deprecated /review, or many at /contributions/review) and importing contributions (an outside audit brings the
        // repository's history, at /contributions/imports or the deprecated /contribution-imports). Let through the role check,
        // then refused for the empty body (no upload: 415) or an id that exists nowhere. Every other write is 403.
        foreach (var (method, path) in Endpoints().Where(e => !IsSignIn(e.Path)))
        {
            var response = await auditor.SendAsync(Request(method, path));
            var ownWork = method == "POST" && (
                (path.StartsWith("/api/v1/contributions/", StringComparison.Ordinal)
                    && (path.EndsWith("/review", StringComparison.Ordinal) || path.EndsWith("/verdict", StringComparison.Ordinal)))
                || (path.StartsWith("/api/v1/vendors/", StringComparison.Ordinal)
                    && (path.EndsWith("/contributions/imports", StringComparison.Ordinal) || path.EndsWith("/contribution-imports", StringComparison.Ordinal))));
            ownWorkSeen += ownWork ? 1 : 0;
            var ok = method == "GET" || ownWork
                ? response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized) && (int)response.StatusCode < 500
                : response.StatusCode == HttpStatusCode.Forbidden;
            if (!ok)
            {
                wrong.Add($"{method} {path} → {(int)response.StatusCode}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(5, ownWorkSeen); // two verdict addresses, the bulk verdict, two import addresses
    }

    /// <summary>The roles an endpoint declares (the command it sends, or its own), or every role when it declares none.</summary>
    private Dictionary<(string Method, string Pattern), IReadOnlyList<string>?> DeclaredRoles()
    {
        using var client = Anonymous();
        return Portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Key: (m, e.RoutePattern.RawText!), Roles: e.Metadata.GetMetadata<Core.Common.AllowedRolesAttribute>()?.Roles)))
            .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().Roles);
    }

    [Fact]
    public async Task EveryWriteEndpoint_DeclaresWhoMayCallIt()
    {
        var undeclared = DeclaredRoles().Where(e => e.Key.Method != "GET" && e.Value is null && !IsSignIn(e.Key.Pattern))
            .Select(e => $"{e.Key.Method} {e.Key.Pattern}").ToList();
        Assert.True(undeclared.Count == 0, "Write endpoints without roles (.Sends<TCommand>() or .ForRoles(...)):\n" + string.Join("\n", undeclared));
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(AdminEmail, "Administrator")]
    [InlineData(Co1Email, "ContractingOfficer")]
    [InlineData(AcmeEmail, "VendorRepresentative")]
    [InlineData(AuditorEmail, "Auditor")]
    public async Task EachRole_IsAllowedOrRefused_AsEachEndpointDeclares(string email, string role)
    {
        using var caller = await AsAsync(email);
        var wrong = new List<string>();
        foreach (var ((method, pattern), roles) in DeclaredRoles().Where(e => !IsSignIn(e.Key.Pattern)))
        {
            var allowed = roles is null || roles.Contains(role);
            var response = await caller.SendAsync(Request(method, Concrete(pattern)));
            var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;
            if (allowed == refused || (int)response.StatusCode >= 500)
            {
                wrong.Add($"{method} {pattern} as {role}: {(int)response.StatusCode} (expected {(allowed ? "allowed" : "403")})");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task EveryEndpoint_IsInTheOpenApiDocument()
    {
        using var client = Anonymous();
        var patterns = Portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? "").Where(p => p.StartsWith("/api/v1", StringComparison.Ordinal))
            .Select(p => System.Text.RegularExpressions.Regex.Replace(p, @"\{(\w+)(:[^}]*)?\}", "{$1}").TrimEnd('/'))
            .Distinct().ToList();
        using var admin = await AsAsync(AdminEmail);
        var document = await admin.GetStringAsync("/openapi/v1.json");
        var missing = patterns.Where(p => !document.Contains($"\"{p}\"", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "Not in the OpenAPI document:\n" + string.Join("\n", missing));
        Assert.Contains("jane@vendor.example", document, StringComparison.Ordinal); // request bodies carry examples
        Assert.Contains("Patch management for the public portal", document, StringComparison.Ordinal);
    }
}

using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.E2ETests;

/// <summary>
/// A vendor's script generated from the running portal's OpenAPI document (issue 22): openapi-typescript writes the types
/// from <c>/openapi/v1.json</c>, tsc type-checks the committed client (<c>tests/api-client/src/client.ts</c>, strict) and
/// compiles it, and node runs it against the portal over real HTTP: a token, a paged list (<c>page + 1</c>), one person,
/// a multipart roster import dry run and a 400's per-field errors.
/// </summary>
public sealed class ApiClientJourneyTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private PortalFactory portal = null!;
    private string baseUrl = "";

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("e2eapi");
        portal = new PortalFactory(database);
        portal.UseKestrel(0);
        portal.StartServer();
        await portal.SeedDemoAsync();
        baseUrl = portal.ClientOptions.BaseAddress.ToString().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        await portal.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task AGeneratedTypeScriptClient_TypeChecks_AndDrivesTheApi()
    {
        var folder = ApiClientTools.Folder;
        var generated = Path.Combine(folder, "src", "generated", "schema.d.ts");
        Directory.CreateDirectory(Path.GetDirectoryName(generated)!);
        await Step("openapi-typescript", ApiClientTools.Tool("openapi-typescript"), [baseUrl + "/openapi/v1.json", "--output", generated]);
        await Step("tsc --noEmit", ApiClientTools.Tool("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
        await Step("tsc", ApiClientTools.Tool("tsc"), ["-p", "tsconfig.json"]);

        var roster = Path.Combine(Path.GetTempPath(), $"compliancehub-roster-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(roster, RosterFile.CsvExample);
        try
        {
            var output = await Step("node", "node", [Path.Combine("dist", "client.js")], new Dictionary<string, string>
            {
                ["PORTAL_URL"] = baseUrl, ["API_EMAIL"] = "rep@acme.demo.local", ["API_PASSWORD"] = DemoSeeder.DemoPassword,
                ["VENDOR_ID"] = DemoSeeder.AcmeId.ToString(), ["ROSTER_CSV"] = roster,
            });
            Assert.Contains("next page 2", output, StringComparison.Ordinal);
            Assert.Matches(@"read: .+ \(version .+\)", output);
            Assert.Contains("dry run: 1 rows, 1 accepted, dryRun true, applied false", output, StringComparison.Ordinal);
            Assert.Matches(@"400: pageSize: \S.+ \(trace \S+\)", output);
            Assert.Contains("client: ok", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(roster);
        }
    }

    /// <summary>Runs a step in tests/api-client; fails with everything it printed when it exits non-zero.</summary>
    private static async Task<string> Step(string name, string file, string[] args, Dictionary<string, string>? environment = null)
    {
        var (exit, output) = await ApiClientTools.RunAsync(file, args, environment: environment);
        Assert.True(exit == 0, $"{name} exited {exit}:\n{output}");
        return output;
    }
}

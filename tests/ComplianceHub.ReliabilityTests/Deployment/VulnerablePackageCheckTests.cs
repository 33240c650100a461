using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ComplianceHub.ReliabilityTests.Infrastructure;

namespace ComplianceHub.ReliabilityTests.Deployment;

/// <summary>
/// scripts/check-vulnerable-packages.sh against a project of its own and an advisory source of its own on loopback (NuGet's
/// VulnerabilityInfo resource, named in nuget.config's auditSources): it fails on a package an advisory names, passes when none
/// does, and says NOT CHECKED (failing only when asked to) when the source publishes no vulnerability data — the case of the
/// package mirror this suite runs against, where "no vulnerable packages" would be a false assurance.
/// </summary>
public sealed partial class VulnerablePackageCheckTests(ITestOutputHelper output)
{
    /// <summary>A package the solution already restores (no download), with no dependencies.</summary>
    private const string Package = "Microsoft.CodeAnalysis.BannedApiAnalyzers";

    [Fact]
    public async Task The_check_fails_on_an_advised_package_passes_without_one_and_says_when_it_could_not_check()
    {
        var version = PackageVersion().Match(File.ReadAllText(Path.Combine(Repository.Root, "Directory.Packages.props"))).Groups[1].Value;
        Assert.NotEmpty(version);
        var folder = Repository.NewTempFolder("vulnerable");
        var advisories = new Dictionary<string, string>();
        var port = Shell.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = ServeAsync(listener, advisories);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "probe.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
                  <ItemGroup><PackageReference Include="{Package}" Version="{version}" /></ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <auditSources><clear /><add key="advisories" value="http://127.0.0.1:{port}/index.json" allowInsecureConnections="true" /></auditSources>
                </configuration>
                """);
            // Empty folders above it would not do: Directory.Build.props and a central package file are only found in the repository.
            await File.WriteAllTextAsync(Path.Combine(folder, "Directory.Build.props"), "<Project />");
            await File.WriteAllTextAsync(Path.Combine(folder, "Directory.Packages.props"), "<Project />");
            var project = Path.Combine(folder, "probe.csproj");

            // An advisory names the package's version: the check fails and prints it.
            Publish(advisories, port, withData: true, $$"""{"{{Package.ToLowerInvariant()}}":[{"url":"https://github.com/advisories/GHSA-test-0000-0000","severity":2,"versions":"(, 999.0.0)"}]}""");
            var found = await CheckAsync(project);
            Assert.Equal(1, found.ExitCode);
            Assert.Contains(Package, found.Output, StringComparison.Ordinal);
            Assert.Contains("GHSA-test-0000-0000", found.Output, StringComparison.Ordinal);
            Assert.Contains("vulnerable packages: 1 package reference(s) with known vulnerabilities", found.Output, StringComparison.Ordinal);

            // No advisory for it: the check passes and says where the advisories came from.
            Publish(advisories, port, withData: true, "{}");
            var clean = await CheckAsync(project);
            Assert.Equal(0, clean.ExitCode);
            Assert.Contains("vulnerable packages: none known (advisories from 1 source(s)", clean.Output, StringComparison.Ordinal);

            // A source without vulnerability data: not checked, said so; a failure only when the data is required.
            Publish(advisories, port, withData: false, "{}");
            var unknown = await CheckAsync(project);
            Assert.Equal(0, unknown.ExitCode);
            Assert.Contains("vulnerable packages: NOT CHECKED", unknown.Output, StringComparison.Ordinal);
            var required = await CheckAsync(project, ("CH_REQUIRE_VULNERABILITY_DATA", "1"));
            Assert.Equal(1, required.ExitCode);
            output.WriteLine(unknown.Output);
        }
        finally
        {
            listener.Stop();
            await serving;
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs the script on <paramref name="project"/> with an HTTP cache of its own: NuGet keeps what a source answered for 30 minutes.</summary>
    private static Task<CommandResult> CheckAsync(string project, params (string Key, string Value)[] environment)
    {
        var settings = environment.ToDictionary(e => e.Key, e => (string?)e.Value);
        settings["NUGET_HTTP_CACHE_PATH"] = Path.Combine(Path.GetDirectoryName(project)!, "http-cache-" + Guid.NewGuid().ToString("N"));
        return Shell.RunAsync("bash", [Path.Combine(Repository.Scripts, "check-vulnerable-packages.sh"), project], settings, timeout: TimeSpan.FromMinutes(3));
    }

    /// <summary>The service index (with or without the VulnerabilityInfo resource) and the advisory pages, as nuget.org lays them out.</summary>
    private static void Publish(Dictionary<string, string> files, int port, bool withData, string advisories)
    {
        lock (files)
        {
            var root = $"http://127.0.0.1:{port}";
            files["/index.json"] = withData
                ? $$"""{"version":"3.0.0","resources":[{"@id":"{{root}}/vulnerability/index.json","@type":"VulnerabilityInfo/6.7.0"}]}"""
                : """{"version":"3.0.0","resources":[]}""";
            // A new page name per publication: NuGet caches the pages it read by their address and update time.
            var stamp = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
            var page = Guid.NewGuid().ToString("N");
            files["/vulnerability/index.json"] =
                $$"""[{"@name":"base","@id":"{{root}}/vulnerability/{{page}}.json","@updated":"{{stamp}}"},{"@name":"update","@id":"{{root}}/vulnerability/{{page}}-update.json","@updated":"{{stamp}}"}]""";
            files[$"/vulnerability/{page}.json"] = advisories;
            files[$"/vulnerability/{page}-update.json"] = "{}";
        }
    }

    private static async Task ServeAsync(HttpListener listener, Dictionary<string, string> files)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            string? body;
            lock (files)
            {
                files.TryGetValue(context.Request.Url!.AbsolutePath, out body);
            }
            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body ?? "{}");
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    [GeneratedRegex("""Include="Microsoft.CodeAnalysis.BannedApiAnalyzers" Version="([^"]+)""")]
    private static partial Regex PackageVersion();
}

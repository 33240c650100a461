using System.Text.RegularExpressions;
using ComplianceHub.Cli.Scale;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ComplianceHub.ScaleTests;

/// <summary>
/// The measuring instrument works: a 1/100 scale population seeds through the bulk paths (receipts accepted, the chain still
/// verifies, the trail explains every seeded row), and the bench prints a portal time, a baseline and a ratio — or a clear "no answer" — for every measure. No timing is
/// asserted: the figures belong to docs/performance.md, not to a test on a busy machine.
/// </summary>
public sealed class ScaleBenchSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Seed_at_a_hundredth_then_bench_prints_every_measure()
    {
        await using var database = await TestDatabase.CreateAsync("scale");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration["ConnectionStrings:ComplianceHub"] = database.AppConnectionString;
        builder.Configuration["ConnectionStrings:ComplianceHubOwner"] = database.OwnerConnectionString;
        // This database's own append-only checkpoint file (the seed signs a checkpoint every 10,000 events).
        var checkpointFile = Path.Combine(Path.GetTempPath(), "compliancehub-tests", "checkpoints", $"{database.Name}.jsonl");
        builder.Configuration["Audit:CheckpointLogPath"] = checkpointFile;
        builder.Logging.ClearProviders(); // the bench's own lines go to the test output; EF's SQL would drown them
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddComplianceHubCore(builder.Configuration, development: true);
        builder.Services.AddComplianceHubIdentityCore();
        using var host = builder.Build();

        var log = new StringWriter();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync("Development");
        }
        var size = ScaleSize.Fraction(0.01) with { AuditEvents = 30_000 };
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var result = await new ScaleSeeder(scope.ServiceProvider.GetRequiredService<ComplianceDbContext>(), TimeProvider.System,
                database.AppConnectionString, log, scope.ServiceProvider.GetRequiredService<Core.Security.AuditKeyRing>(),
                scope.ServiceProvider.GetRequiredService<CheckpointLog>()).SeedAsync(size);
            Assert.False(result.Skipped);
            Assert.Equal(size.People, result.People);
            Assert.True(result.AuditEvents >= size.AuditEvents);
            Assert.True(result.FactHistoryRows >= size.People); // one row per person when added, one per later change
        }
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // Safe to run twice: the second run adds nothing and says why.
            var again = await new ScaleSeeder(scope.ServiceProvider.GetRequiredService<ComplianceDbContext>(), TimeProvider.System,
                database.AppConnectionString, log).SeedAsync(size);
            Assert.True(again.Skipped);
            var db = scope.ServiceProvider.GetRequiredService<ComplianceDbContext>();
            Assert.Equal(size.People + 60, await db.People.CountAsync());
            var chain = await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(Actor.ServerOperator);
            Assert.True(chain.Valid, chain.Problem);
            // A checkpoint at each multiple of 10,000, in the table and the file, each checked.
            var checkpoints = await db.ChainCheckpoints.Select(c => c.Sequence).OrderBy(c => c).ToListAsync();
            Assert.Equal(Enumerable.Range(1, (int)(chain.Events / ScaleSeeder.CheckpointEvery)).Select(i => (long)i * ScaleSeeder.CheckpointEvery), checkpoints);
            Assert.Equal(checkpoints.Count, chain.Checkpoints.Checked);
            Assert.Equal(CheckpointFileState.Compared, chain.Checkpoints.File.State);
            Assert.Equal(checkpoints.Count, File.ReadAllLines(checkpointFile).Length);
            // The seeded trail explains every seeded row, as the portal's own would (ADR 0031).
            var state = await scope.ServiceProvider.GetRequiredService<StateVerifier>().VerifyAsync(Actor.ServerOperator);
            Assert.True(state.Clean, string.Join("\n", state.Listed.Take(20).Select(d => d.Explanation)));
        }
        Assert.Contains("already there", log.ToString(), StringComparison.Ordinal);
        File.Delete(checkpointFile);

        var bench = new Bench(host.Services, database.AppConnectionString, database.OwnerConnectionString, TimeProvider.System, log);
        // The circuit measure starts the portal's own build (a project reference builds it) with a few circuits for a few seconds.
        var options = BenchOptions.ForScale(0.01, TimeSpan.FromSeconds(60)) with { WebApp = WebBuild(), Circuits = 5, CircuitInteraction = TimeSpan.FromSeconds(5) };
        var rows = await bench.RunAsync(options, "1/100");
        output.WriteLine(log.ToString());

        Assert.Equal(20, rows.Count);
        var figure = new Regex(@"^\d+(\.\d+)? (ms|s|KB|MB)$");
        foreach (var row in rows)
        {
            Assert.True(figure.IsMatch(row.Portal) || row.Portal.StartsWith("no answer in", StringComparison.Ordinal) || row.Portal == "(see above)",
                $"{row.Measure}: portal '{row.Portal}'");
            Assert.True(figure.IsMatch(row.Baseline) || row.Baseline.StartsWith("no answer in", StringComparison.Ordinal) || row.Baseline == "not run",
                $"{row.Measure}: baseline '{row.Baseline}'");
            Assert.True(row.Ratio.EndsWith('×') || row.Ratio == "n/a (no answer)", $"{row.Measure}: ratio '{row.Ratio}'");
            Assert.NotEmpty(row.Goal);
        }
        var printed = log.ToString();
        Assert.Contains("| measure", printed, StringComparison.Ordinal);
        Assert.Contains("peak working set", printed, StringComparison.Ordinal);
        Assert.Contains("bench done in", printed, StringComparison.Ordinal);
        Assert.Contains(rows, r => r.Measure.StartsWith("Memory per circuit, roster page", StringComparison.Ordinal) && r.Portal.EndsWith('B'));
        // Access reviews (issue 23): a campaign over the two largest scale systems, its grid, and a bulk revoke of the smaller one's items.
        Assert.Contains(rows, r => r.Measure.StartsWith("Access review start: ", StringComparison.Ordinal) && !r.Measure.StartsWith("Access review start: 0 ", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Measure.StartsWith("Access review items page p95", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Measure.StartsWith("Access review bulk revoke: ", StringComparison.Ordinal) && r.Note!.Contains("grants revoked", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Measure.Contains("one interaction every 10 s", StringComparison.Ordinal) && r.Portal.EndsWith('s'));
        // Access logs (issue 25): a generated plain CSV imported through the executor, every line added.
        Assert.Contains(rows, r => r.Measure.StartsWith("Access-log import, 2,000 lines", StringComparison.Ordinal) && r.Note!.StartsWith("2,000 events added", StringComparison.Ordinal));
    }

    /// <summary>The portal's build beside this test's (same configuration): src/ComplianceHub.Web/bin/&lt;cfg&gt;/net10.0.</summary>
    private static string WebBuild()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // tests/ComplianceHub.ScaleTests/bin/<cfg>/net10.0
        var (framework, configuration, root) = (here.Name, here.Parent!.Name, here.Parent.Parent!.Parent!.Parent!.Parent!.FullName);
        var dll = Path.Combine(root, "src", "ComplianceHub.Web", "bin", configuration, framework, "ComplianceHub.Web.dll");
        Assert.True(File.Exists(dll), $"the portal's build is missing: {dll}");
        return dll;
    }
}

using Bunit;
using ComplianceHub.Core.Domain.AccessLogs;
using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Core.Gate;
using ComplianceHub.Web.Components.Pages.AccessLogs;

namespace ComplianceHub.Web.Tests.AccessLogs;

/// <summary>The access-log import wizard's report: totals in words, problems by line, countries by name (never a bare code), unmatched identities, consequences, the same file.</summary>
public sealed class AccessLogImportReportViewTests : MudComponentTest
{
    private static readonly Guid Vendor = Guid.Parse("0199a000-0000-7000-8000-000000000a01");
    private static readonly Guid Grant = Guid.Parse("0199b000-0000-7000-8000-000000000002");
    private static readonly DateTimeOffset At = new(2026, 12, 3, 8, 14, 2, TimeSpan.Zero);

    private static AccessLogImportReport Report(bool dryRun = true, IReadOnlyList<AccessLogProblem>? problems = null) => new(
        dryRun ? null : Guid.Parse("0199b000-0000-7000-8000-000000000001"), AccessLogFormat.PlainCsv, 4, 3, 0, 3, 0, 1, 2, 1, 1, 1,
        problems ?? [], problems?.Count ?? 0,
        [new UnmatchedAccessIdentity("mallory@contractor.example", 1, 4, At, At)], 1,
        [new AccessLogCountryCount("CN", LocationUnknown.None, 1, 1), new AccessLogCountryCount(null, LocationUnknown.Private, 1, 0)],
        "geo-whois-asn-country 2.3.2026061719",
        new ConsequencesView([Grant], [], [Guid.NewGuid()], [], []), dryRun, !dryRun && (problems?.Count ?? 0) == 0);

    [Fact]
    public void ACheck_SaysWhatImportingWouldDo_InWords_WithCountryNames()
    {
        var cut = Render<AccessLogImportReportView>(p => p.Add(x => x.Report, Report()).Add(x => x.VendorId, Vendor).Add(x => x.CanName, true));

        var summary = cut.Find("[data-testid=access-import-checked]");
        Assert.Contains("nothing was written", summary.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 grant would be suspended.", summary.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 finding would open.", summary.TextContent, StringComparison.Ordinal);
        var totals = cut.Find("[data-testid=access-import-totals]").TextContent;
        Assert.Contains("Read 4 lines: 3 sign-in or access events", totals, StringComparison.Ordinal);
        Assert.Contains("Would add 3", totals, StringComparison.Ordinal);
        var countries = cut.FindAll("[data-testid=access-import-country]").Select(r => r.TextContent).ToList();
        Assert.Contains(countries, c => c.Contains("China (CN)", StringComparison.Ordinal));
        Assert.Contains(countries, c => c.Contains("Unknown: private network address", StringComparison.Ordinal));
        Assert.Contains("mallory@contractor.example", cut.Find("[data-testid=access-import-unmatched]").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("[data-testid=access-import-name]"));
        Assert.Contains("geo-whois-asn-country", cut.Find("[data-testid=access-import-database]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_AreListedByLineAndField_AndNothingCanBeImported()
    {
        var cut = Render<AccessLogImportReportView>(p => p.Add(x => x.Report, Report(problems: [new AccessLogProblem(2, "time", "Write the time as ISO 8601.")]))
            .Add(x => x.VendorId, Vendor));

        Assert.Contains("The file has 1 problem", cut.Find("[data-testid=access-import-problems-summary]").TextContent, StringComparison.Ordinal);
        var row = cut.Find("[data-testid=access-import-problems] tbody tr").TextContent;
        Assert.Contains("2", row, StringComparison.Ordinal);
        Assert.Contains("time", row, StringComparison.Ordinal);
        Assert.Contains("Write the time as ISO 8601.", row, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=access-import-name]")); // an auditor's view: no naming
    }

    [Fact]
    public void TheSameFileAgain_SaysWhenAndByWhom_AndLinksThatImport()
    {
        var earlier = new EarlierAccessLogImport(Guid.Parse("0199b000-0000-7000-8000-000000000009"), "signins.csv", At, "Riley Acme", 3);
        var cut = Render<AccessLogImportReportView>(p => p.Add(x => x.Report, Report(dryRun: false) with { SameFile = earlier }).Add(x => x.VendorId, Vendor));

        var alert = cut.Find("[data-testid=access-import-same-file]").TextContent;
        Assert.Contains("imported on 2026-12-03 at 08:14 UTC by Riley Acme", alert, StringComparison.Ordinal);
        Assert.Contains("3 events added", alert, StringComparison.Ordinal);
        Assert.Equal($"/access-logs/imports/{earlier.ImportId}", cut.Find("[data-testid=access-import-same-file-link]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=access-import-totals]"));
    }
}

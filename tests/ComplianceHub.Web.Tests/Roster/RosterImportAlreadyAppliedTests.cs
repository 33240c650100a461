using Bunit;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Web.Components.Pages.Roster;

namespace ComplianceHub.Web.Tests.Roster;

/// <summary>The import wizard's answer to a file applied before (ADR 0041): when, by whom, a link to that import, and how to apply it again.</summary>
public sealed class RosterImportAlreadyAppliedTests : MudComponentTest
{
    private static readonly RosterImportPointer Earlier = new(Guid.Parse("0199b000-0000-7000-8000-000000000001"), Guid.Parse("0199a000-0000-7000-8000-000000000a01"),
        "acme-roster.csv", new DateTimeOffset(2026, 12, 1, 14, 30, 0, TimeSpan.Zero), "Riley Acme", 1);

    [Fact]
    public void ARefusedApply_SaysNothingChanged_WhenAndByWhom_AndLinksTheEarlierImport()
    {
        var cut = Render<RosterImportAlreadyApplied>(p => p.Add(x => x.Earlier, Earlier).Add(x => x.DryRun, false));

        var alert = cut.Find("[data-testid=import-already-applied]");
        Assert.Equal("Error", alert.GetAttribute("data-severity"));
        Assert.Contains("This file was already applied on 2026-12-01 14:30 UTC by Riley Acme", alert.TextContent, StringComparison.Ordinal);
        Assert.Contains("nothing was changed.", alert.TextContent, StringComparison.Ordinal);
        Assert.Contains("To apply it again anyway, run the dry run again, tick \"Apply this file again\" and apply.", alert.TextContent, StringComparison.Ordinal);
        var link = cut.Find("[data-testid=import-earlier-link]");
        Assert.Equal($"/api/v1/vendors/{Earlier.VendorId}/roster-imports/{Earlier.ImportId}", link.GetAttribute("href"));
        Assert.Contains("acme-roster.csv", link.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ADryRun_WarnsBeforeTheApply_ThatApplyingWouldBeRefused()
    {
        var cut = Render<RosterImportAlreadyApplied>(p => p.Add(x => x.Earlier, Earlier with { TimesApplied = 2 }).Add(x => x.DryRun, true));

        var alert = cut.Find("[data-testid=import-already-applied]");
        Assert.Equal("Warning", alert.GetAttribute("data-severity"));
        Assert.Contains("applied 2 times", alert.TextContent, StringComparison.Ordinal);
        Assert.Contains("applying it would be refused and change nothing.", alert.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing was changed", alert.TextContent, StringComparison.Ordinal);
    }
}

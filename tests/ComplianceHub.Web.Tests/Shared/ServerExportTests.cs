using Bunit;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Web.Api;
using ComplianceHub.Web.Components.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using MudBlazor;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>
/// The Export menu: four download links to the export API carrying the screen's current filters (and sort), with
/// accessible names; and the API reads those links back into the very filter the screen had.
/// </summary>
public sealed class ServerExportTests : MudComponentTest
{
    private static readonly FindingsWorkspaceFilter Findings = new()
    {
        VendorId = Guid.Parse("0199a000-0000-7000-8000-00000000ac01"), RuleId = "LOC-COVERED", Severity = Core.Domain.Findings.Severity.Block, Open = true,
        Search = "Jane & Co",
    };

    [Fact]
    public void EachFormat_IsADownloadLink_WithTheScreensFilters()
    {
        var popovers = Render<MudPopoverProvider>();
        var cut = Render<ServerExport>(p => p
            .Add(e => e.Kind, ExportKind.Findings)
            .Add(e => e.Query, ExportQuery.Findings(Findings))
            .Add(e => e.Sort, "dueOn")
            .Add(e => e.Desc, true)
            .Add(e => e.What, "the findings")
            .Add(e => e.TestId, "export-findings"));
        var button = cut.Find("[data-testid=export-findings] button");
        Assert.Equal("Export the findings as a file", button.GetAttribute("aria-label"));
        button.Click();

        popovers.WaitForAssertion(() =>
        {
            foreach (var (format, name) in new[] { ("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("pdf", "PDF report"), ("json", "JSON") })
            {
                var item = popovers.Find($"[data-testid=export-findings-{format}]");
                var link = item.TagName == "A" ? item : item.QuerySelector("a") ?? item.Closest("a")!;
                var href = link.GetAttribute("href")!;
                Assert.StartsWith($"/api/v1/exports/findings?format={format}&", href);
                Assert.True(link.HasAttribute("download"), $"The {format} link downloads.");
                Assert.Equal($"Download the findings as {name}", item.GetAttribute("aria-label") ?? link.GetAttribute("aria-label"));
                var query = QueryHelpers.ParseQuery(href[href.IndexOf('?')..]);
                Assert.Equal("LOC-COVERED", query["rule"]);
                Assert.Equal("Block", query["severity"]);
                Assert.Equal("true", query["open"]);
                Assert.Equal("Jane & Co", query["q"]);
                Assert.Equal("dueOn", query["sort"]);
                Assert.Equal("true", query["desc"]);
            }
        });
    }

    [Fact]
    public void TheFindingsMenu_OffersTheOscalPoam_ForTheGridsVendor()
    {
        var popovers = Render<MudPopoverProvider>();
        var cut = Render<ServerExport>(p => p
            .Add(e => e.Kind, ExportKind.Findings)
            .Add(e => e.Query, ExportQuery.Findings(Findings))
            .Add(e => e.What, "the findings")
            .Add(e => e.TestId, "export-findings")
            .Add(e => e.OscalPoam, ExportQuery.OscalPoam(Findings)));
        cut.Find("[data-testid=export-findings] button").Click();

        popovers.WaitForAssertion(() =>
        {
            var item = popovers.Find("[data-testid=export-findings-oscal-poam]");
            var link = item.TagName == "A" ? item : item.QuerySelector("a") ?? item.Closest("a")!;
            Assert.Equal($"/api/v1/oscal/poam?vendorId={Findings.VendorId}", link.GetAttribute("href"));
            Assert.True(link.HasAttribute("download"));
            Assert.Contains("Plan of action and milestones (OSCAL)", item.TextContent, StringComparison.Ordinal);
            Assert.Equal("Download the findings as a plan of action and milestones (OSCAL POA&M, JSON)",
                item.GetAttribute("aria-label") ?? link.GetAttribute("aria-label"));
        });
        // The closed statuses of the grid ask for the closed findings too; no vendor is the portfolio the reader may see.
        Assert.Equal("/api/v1/oscal/poam?includeClosed=true",
            ExportQuery.OscalPoam(new FindingsWorkspaceFilter { Status = Core.Domain.Findings.FindingStatus.Closed }));
        Assert.Equal("/api/v1/oscal/poam", ExportQuery.OscalPoam(new FindingsWorkspaceFilter()));
    }

    [Fact]
    public void OtherScreens_HaveNoOscalItem()
    {
        var popovers = Render<MudPopoverProvider>();
        var cut = Render<ServerExport>(p => p.Add(e => e.Kind, ExportKind.Roster).Add(e => e.TestId, "export-roster"));
        cut.Find("[data-testid=export-roster] button").Click();
        popovers.WaitForAssertion(() => Assert.NotNull(popovers.Find("[data-testid=export-roster-csv]")));
        Assert.Empty(popovers.FindAll("[data-testid=export-roster-oscal-poam]"));
    }

    [Fact]
    public void TheLinks_BindBackToTheScreensFilter_ForEveryKind()
    {
        var roster = new RosterFilter
        {
            VendorId = Guid.NewGuid(), Groups = [CitizenshipGroup.CoveredNation, CitizenshipGroup.OtherForeign], Citizenships = ["CN", "RU"],
            Escorted = false, Attestation = [AttestationState.Overdue], Search = "O'Brien",
        };
        var grants = new GrantsExportFilter(Core.Features.Requests.GrantRequestState.Pending, "smith", Guid.NewGuid());
        var escorts = new Core.Features.Escorts.EscortBoardFilter("lee", Guid.NewGuid(), Core.Domain.EscortQualification.Engineer, true, false);
        var attestations = new AttestationsExportFilter(Guid.NewGuid());
        var audit = new Core.Auditing.AuditFilter("person", "abc", Guid.NewGuid(), 3001,
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 28, 12, 30, 0, TimeSpan.Zero), "corr-1",
            "Casey", Guid.NewGuid(), "request-grant", "LOC-COVERED");

        Assert.Equal(Findings, Bind(ExportKind.Findings, ExportQuery.Findings(Findings)));
        var boundRoster = (RosterFilter)Bind(ExportKind.Roster, ExportQuery.Roster(roster));
        Assert.Equal(roster.VendorId, boundRoster.VendorId);
        Assert.Equal(roster.Groups, boundRoster.Groups);
        Assert.Equal(roster.Citizenships, boundRoster.Citizenships);
        Assert.Equal(roster.Attestation, boundRoster.Attestation);
        Assert.Equal(roster.Escorted, boundRoster.Escorted);
        Assert.Equal(roster.Search, boundRoster.Search);
        Assert.Equal(grants, Bind(ExportKind.Grants, ExportQuery.Grants(grants)));
        Assert.Equal(escorts, Bind(ExportKind.Escorts, ExportQuery.Escorts(escorts)));
        Assert.Equal(attestations, Bind(ExportKind.Attestations, ExportQuery.Attestations(attestations)));
        Assert.Equal(audit, Bind(ExportKind.Audit, ExportQuery.Audit(audit)));
        var evidence = new AccessEvidenceExportFilter(Guid.NewGuid(), 365);
        Assert.Equal(evidence, Bind(ExportKind.AccessEvidence, ExportQuery.AccessEvidence(evidence)));
    }

    private static object Bind(ExportKind kind, string query)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = ExportQuery.Bind(kind, new QueryCollection(QueryHelpers.ParseQuery("?" + query)), errors);
        Assert.Empty(errors);
        return filter;
    }
}

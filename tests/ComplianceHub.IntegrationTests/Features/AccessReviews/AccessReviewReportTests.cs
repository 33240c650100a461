using System.Net;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.IntegrationTests.Api;
using ComplianceHub.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>
/// The campaign report's content (header in words, a table per vendor, system and reviewer, the decisions, a representative's
/// counting only their vendor's items) and the access reviews in the evidence package: both files listed in the manifest,
/// the campaign and every item with its decision and snapshot, and the package still verifying with the signing key.
/// </summary>
public sealed class AccessReviewReportTests() : ApiTestBase("arreport")
{
    private Guid campaign;
    private List<Guid> items = [];

    protected override async Task ArrangePeopleAsync()
    {
        var (casey, _) = await DemoOfficersAsync();
        var acme = await AddPersonAsync("US", name: "Alice Acme", email: "alice@acme.example");
        var globex = await AddPersonAsync("US", name: "Dan Globex", email: "dan@globex.example", vendorId: DemoSeeder.GlobexId);
        var g1 = (await SendAsync(Co1, new RequestGrant(acme, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"))).Value!.Id;
        var g2 = (await SendAsync(Co1, new RequestGrant(globex, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"))).Value!.Id;
        await using var db = await ContextAsync();
        var definition = await AccessReviewTestData.DefinitionAsync(db, "Annual review", casey.UserId, Clock.GetUtcNow());
        (campaign, items) = await AccessReviewTestData.CampaignAsync(db, definition, Clock.GetUtcNow(),
        [
            new(acme, g1, DemoSeeder.AcmeId, Il2, 2, [casey.UserId], Decision: AccessReviewDecision.Keep, DecidedBy: casey.UserId),
            new(globex, g2, DemoSeeder.GlobexId, Il2, 2, [casey.UserId], Decision: AccessReviewDecision.Revoke, DecidedBy: casey.UserId),
        ]);
    }

    [Fact]
    public async Task ThePdfReport_SaysWhatTheCampaignWas_AndCountsPerVendorSystemAndReviewer()
    {
        var (casey, _) = await DemoOfficersAsync();
        await using var scope = Portal.Services.CreateAsyncScope();
        var report = scope.ServiceProvider.GetRequiredService<AccessReviewReport>();
        var model = (await report.PdfModelAsync(casey, campaign))!;
        var header = model.Header.Filters.ToDictionary(f => f.Key, f => f.Value);
        Assert.StartsWith("Annual review — ", header["campaign"]);
        Assert.Equal("Vendors: Acme Cloud Services, Globex Federal", header["scope"]);
        Assert.StartsWith("Every item decided", header["closed"].Split(": ", 2)[1]);
        Assert.Contains("2 items, 2 decided", header["totals"]);
        Assert.Equal(2, model.TotalRows);
        var vendors = model.Summaries[0];
        Assert.Equal(["Kept", "Revoked", "Reduced", "Ended", "Pending", "Stale"], vendors.Columns);
        Assert.Equal([1L, 0, 0, 0, 0, 0], vendors.Lines.Single(l => l.Key == "Acme Cloud Services").Counts);
        Assert.Equal([0L, 1, 0, 0, 0, 0], vendors.Lines.Single(l => l.Key == "Globex Federal").Counts);
        Assert.Equal(2, model.Summaries[1].Lines.Single().Total);
        Assert.Equal(2, model.Summaries[2].Lines.Single(l => l.Key == "Casey Officer").Counts[1]);
        Assert.Contains(model.DetailRows, r => r[0] == "Dan Globex" && r[6] == "Revoke" && r[9] == "Not needed");
        using var pdf = new MemoryStream();
        Assert.True(Core.Exports.PdfReport.Render(model, pdf) >= 1);

        // The auditor's and the representative's report: the representative sees nothing of a campaign without stage-one items.
        using var auditor = await AsAsync(AuditorEmail);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/access-reviews/campaigns/{campaign}/report?format=pdf")).StatusCode);
        using var acme = await AsAsync(AcmeEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"/api/v1/access-reviews/campaigns/{campaign}/report?format=pdf")).StatusCode);
    }

    [Fact]
    public async Task TheEvidencePackage_HoldsTheCampaignsAndTheirItems_AndStillVerifies()
    {
        using var auditor = await AsAsync(AuditorEmail);
        var response = await auditor.GetAsync($"/api/v1/exports/evidence?from={Today.AddDays(-1):yyyy-MM-dd}&to={Today:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var zip = await response.Content.ReadAsByteArrayAsync();
        var result = EvidenceZip.Verify(zip, PortalFactory.TestKeys.PublicKey);
        Assert.True(result.Valid, string.Join("\n", result.Problems.Select(p => $"{p.File}: {p.Message}")));

        var manifest = JsonNode.Parse(EvidenceZip.File(zip, EvidencePackage.Manifest))!;
        var listed = manifest["files"]!.AsArray().Select(f => (string)f!["name"]!).ToList();
        Assert.Contains(EvidencePackage.AccessReviewCampaigns, listed);
        Assert.Contains(EvidencePackage.AccessReviewItems, listed);
        Assert.Contains(EvidencePackage.AccessReviewCampaigns, EvidenceZip.Text(zip, EvidencePackage.Readme));

        var campaigns = JsonNode.Parse(EvidenceZip.File(zip, EvidencePackage.AccessReviewCampaigns))!.AsArray();
        var only = Assert.Single(campaigns)!;
        Assert.Equal(campaign.ToString(), (string?)only["id"]);
        Assert.Equal(("Closed", "AllDecided", 2), ((string?)only["status"], (string?)only["closeReason"], (int?)only["itemCount"]));
        var lines = EvidenceZip.Text(zip, EvidencePackage.AccessReviewItems).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(items.Order(), lines.Select(l => Guid.Parse((string)l["id"]!)).Order());
        Assert.Contains(lines, l => (string?)l["decision"] == "Revoke" && (string?)l["comment"] == "Not needed" && l["decisionSnapshot"] is JsonObject);

        // A package of a day before the campaign holds none, and verifies as well.
        var before = await auditor.GetAsync($"/api/v1/exports/evidence?from={Today.AddDays(-3):yyyy-MM-dd}&to={Today.AddDays(-2):yyyy-MM-dd}");
        var earlier = await before.Content.ReadAsByteArrayAsync();
        Assert.True(EvidenceZip.Verify(earlier, PortalFactory.TestKeys.PublicKey).Valid);
        Assert.Empty(JsonNode.Parse(EvidenceZip.File(earlier, EvidencePackage.AccessReviewCampaigns))!.AsArray());
    }
}

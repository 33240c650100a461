using Bunit;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Web.Components.Pages.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Web.Tests.Audit;

/// <summary>The result of "Verify the tables against the trail" on the audit page: the verdict, what was compared, and the rows in words.</summary>
public sealed class StateVerificationViewTests : MudComponentTest
{
    public StateVerificationViewTests()
    {
        Services.AddSingleton(TimeProvider.System);
        Services.AddLogging();
    }

    private static readonly StateTableResult[] Tables =
    [
        new("people", "people", 200_000, 2), new("access_grants", "grants", 1_000_000, 1), new("vendors", "vendors", 40, 0),
    ];

    private static StateDiscrepancy Changed(string id) => new("people", id, StateDiscrepancyKind.Changed, "person Jane Doe (Acme Cloud Services)", "workCountry",
        "Work country", "United States (US)", "China (CN)",
        "Person Jane Doe (Acme Cloud Services): work country changed outside the portal — the trail says United States (US), the table holds China (CN).",
        null, "\"US\"", "\"CN\"");

    [Fact]
    public void ACleanResult_SaysSo_AndWhatWasCompared()
    {
        var cut = Render<StateVerificationView>(p => p.Add(c => c.Result,
            new StateVerification(Guid.NewGuid(), DateTimeOffset.UtcNow, 10_000_000, [.. Tables.Select(t => t with { Discrepancies = 0 })], 0, [], "ab")));

        Assert.Equal("true", cut.Find("[data-testid=state-result]").GetAttribute("data-clean"));
        Assert.Equal("The trail explains every row.", cut.Find("[data-testid=state-verdict]").TextContent.Trim());
        var summary = cut.Find("[data-testid=state-summary]").TextContent;
        Assert.Contains("1,200,040 rows with audit events 1 to 10,000,000", summary, StringComparison.Ordinal);
        Assert.Contains("1,000,000 grants", summary, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=state-grid]"));
    }

    [Fact]
    public void Discrepancies_AreListedInWords_WithTheirCounts_AndCanBeExported()
    {
        var grantId = Guid.NewGuid().ToString();
        var person = Guid.NewGuid().ToString();
        StateDiscrepancy[] listed =
        [
            Changed(person),
            new("access_grants", grantId, StateDiscrepancyKind.Gone, "grant of Jane Doe (Acme Cloud Services) on IL5 Mission", null, null, null, null,
                "Grant of Jane Doe (Acme Cloud Services) on IL5 Mission is in the trail, but no longer in the table: it was deleted outside the portal.", null, null, null),
        ];
        var cut = Render<StateVerificationView>(p => p.Add(c => c.Result, new StateVerification(Guid.NewGuid(), DateTimeOffset.UtcNow, 123, Tables, 3, listed, "ab")));

        Assert.Equal("false", cut.Find("[data-testid=state-result]").GetAttribute("data-clean"));
        Assert.Equal("3", cut.Find("[data-testid=state-count]").TextContent);
        Assert.Contains("200,000 people (2 unexplained)", cut.Find("[data-testid=state-summary]").TextContent, StringComparison.Ordinal);
        Assert.Contains("The first 2 are listed here", cut.Find("[data-testid=state-truncated]").TextContent, StringComparison.Ordinal);
        var rows = cut.FindAll("[data-testid=state-grid] tbody tr");
        Assert.Equal(2, rows.Count);
        var cells = rows[0].QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["Changed outside the portal", "person Jane Doe (Acme Cloud Services)", "Work country", "United States (US)", "China (CN)"], cells);
        Assert.Equal($"/people/{person}", rows[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Deleted outside the portal", rows[1].QuerySelector("td")!.TextContent.Trim());
        Assert.Null(rows[1].QuerySelector("a")); // nothing to open: the row is gone
        // Words only: no ids or the trail's field names on the screen.
        Assert.DoesNotContain(grantId, cut.Find("[data-testid=state-grid]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("workCountry", cut.Find("[data-testid=state-grid]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=state-export]"));
        Assert.Equal(["What happened", "Table", "Row", "Field", "The trail says", "The table holds", "Explanation"],
            StateVerificationView.Columns.Select(c => c.Header));
    }
}

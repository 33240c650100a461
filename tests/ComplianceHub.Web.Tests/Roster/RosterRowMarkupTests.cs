using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Components.Pages.Roster;

namespace ComplianceHub.Web.Tests.Roster;

/// <summary>A roster row written as markup: every value encoded, the links and chips the grid showed, the vendor column when asked.</summary>
public sealed class RosterRowMarkupTests
{
    private static readonly Guid Id = Guid.Parse("0199a000-0000-7000-8000-0000000000f1");

    private static RosterGridRow Row(string name = "Tatum Li", int findings = 0, ScreeningStatus screening = ScreeningStatus.Clear) => new(
        Id, Guid.Parse("0199a000-0000-7000-8000-00000000ac01"), "Acme <Cloud> & Co", "ACME-1001", name, EmployerType.Subcontractor,
        ["US", "CN"], false, CitizenshipGroup.CoveredNation, "CN", "Beijing", EmploymentStatus.Active, screening,
        new DateOnly(2026, 6, 1), AttestationState.Overdue, new DateOnly(2026, 9, 1), 2, 1, 0, Escorted: true, OpenFindings: findings);

    [Fact]
    public void Values_AreEncoded_SoANameIsNeverMarkup()
    {
        var html = RosterRowMarkup.Row(Row(name: "<script>alert(1)</script> \"Bob\""), showVendor: true).Value;

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;Bob&quot;", html, StringComparison.Ordinal);
        Assert.Contains("Acme &lt;Cloud&gt; &amp; Co", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRow_LinksThePerson_AndShowsWhatTheGridShowed()
    {
        var html = RosterRowMarkup.Row(Row(findings: 3, screening: ScreeningStatus.PotentialMatch), showVendor: true).Value;

        Assert.StartsWith("<tr class=\"mud-table-row\">", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/people/{Id}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"roster-person\">Tatum Li</a>", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/findings?person={Id}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"roster-findings\">3</a>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"country-code\" title=\"United States\">US</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"country-code covered\" title=\"China\">CN</span>", html, StringComparison.Ordinal);
        Assert.Contains("mud-chip-color-error\" tabindex=\"-1\"><span class=\"mud-chip-content\">Covered nation</span>", html, StringComparison.Ordinal);
        Assert.Contains("due 2026-09-01", html, StringComparison.Ordinal);
        Assert.Contains("2 active", html, StringComparison.Ordinal);
        Assert.Contains(">escorted</div>", html, StringComparison.Ordinal);
        Assert.Contains("Screening: Potential match", html, StringComparison.Ordinal);
        Assert.Contains("data-label=\"Employment\">Employed", html, StringComparison.Ordinal);
        Assert.Contains("data-label=\"Vendor\"", html, StringComparison.Ordinal);
        Assert.Equal(10, html.Split("<td ").Length - 1);
    }

    [Fact]
    public void AVendorsOwnRoster_HasNoVendorColumn_AndNoFindingsSaysNone()
    {
        var html = RosterRowMarkup.Row(Row(), showVendor: false).Value;

        Assert.DoesNotContain("data-label=\"Vendor\"", html, StringComparison.Ordinal);
        Assert.Equal(9, html.Split("<td ").Length - 1);
        Assert.Contains("<span aria-label=\"none\">—</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void HiddenColumns_LeaveTheirCellsOut_ButNeverTheName()
    {
        var html = RosterRowMarkup.Row(Row(findings: 2), showVendor: true, [RosterColumns.EmployeeId, RosterColumns.Employer, RosterColumns.Findings]).Value;

        Assert.Equal(7, html.Split("<td ").Length - 1);
        Assert.DoesNotContain("data-label=\"Employee id\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-label=\"Employer\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("roster-findings", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"roster-person\">Tatum Li</a>", html, StringComparison.Ordinal);
        Assert.EndsWith("</td></tr>", html, StringComparison.Ordinal);
    }
}

using Bunit;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Dashboard;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Components.Pages.Dashboard;
using MudBlazor.Services;

namespace ComplianceHub.Web.Tests.Dashboard;

/// <summary>The dashboard renders a given data set: each number with the link behind it, and a table beside each chart.</summary>
public sealed class DashboardPanelsTests : BunitContext, IAsyncLifetime
{
    private static readonly Guid Acme = Guid.Parse("0199a000-0000-7000-8000-00000000ac01");

    public DashboardPanelsTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private static DashboardData Sample(Guid? vendor, int otherCountries = 0) => new()
    {
        VendorId = vendor,
        Today = new DateOnly(2026, 11, 25),
        PolicyVersion = 3,
        CoveredCountries = ["CN", "HK", "IR", "KP", "MO", "RU"],
        Vendors = vendor is null ? 3 : 1,
        ActivePeople = 1234,
        ByCitizenshipGroup = new Dictionary<CitizenshipGroup, int>
        {
            [CitizenshipGroup.UsCitizen] = 1000, [CitizenshipGroup.UsPerson] = 100,
            [CitizenshipGroup.OtherForeign] = 120, [CitizenshipGroup.CoveredNation] = 14,
        },
        TopWorkCountries = [new CountryCount("US", 1100), new CountryCount("CN", 9), new CountryCount("IN", 5)],
        OtherCountriesPeople = otherCountries == 0 ? 0 : 120,
        OtherCountries = otherCountries,
        ForeignEscorted = 100,
        ForeignUnescorted = 34,
        OpenFindings = 21,
        OverdueFindings = 4,
        OpenFindingsBySeverity = new Dictionary<Severity, int> { [Severity.Block] = 12, [Severity.Suspend] = 6, [Severity.Warn] = 3 },
        OpenFindingsByRule = [new RuleCount("LOC-COVERED", "Working from a covered nation", 12), new RuleCount("ATTEST-FRESH", "Attestation overdue", 9)],
        SuspendedGrants = 18,
        PeopleWithSuspendedGrants = 11,
        PendingGrants = 5,
        PeopleWithPendingGrants = 5,
        AttestationOverdue = 7,
        AttestationDueSoon = 8,
        AttestationNever = 2,
        FindingsPerWeek = Enumerable.Range(0, DashboardQuery.Weeks)
            .Select(i => new WeekFindings(new DateOnly(2026, 9, 7).AddDays(7 * i), $"2026-W{37 + i}", i, i / 2)).ToList(),
    };

    private IRenderedComponent<DashboardPanels> Render(DashboardData data) =>
        Render<DashboardPanels>(p => p.Add(c => c.Data, data).Add(c => c.Vendor, data.VendorId));

    private static (string Text, string? Href) Link(IRenderedComponent<DashboardPanels> cut, string testId)
    {
        var link = cut.Find($"[data-testid={testId}]");
        return (link.TextContent.Trim(), link.GetAttribute("href"));
    }

    [Fact]
    public void TheStatNumbers_LinkToTheListsBehindThem()
    {
        var cut = Render(Sample(vendor: null));

        Assert.Equal(("1,234", "/roster?status=Active"), Link(cut, "dash-people"));
        Assert.Equal(("14", "/roster?group=CoveredNation&status=Active"), Link(cut, "dash-covered"));
        Assert.Equal(("34", "/roster?usPerson=false&escorted=false&status=Active"), Link(cut, "dash-foreign-unescorted"));
        Assert.Equal(("100", "/roster?usPerson=false&escorted=true&status=Active"), Link(cut, "dash-foreign-escorted"));
        Assert.Equal(("21", "/findings?open=true"), Link(cut, "dash-open-findings"));
        Assert.Equal(("4", "/findings?overdue=true"), Link(cut, "dash-overdue-findings"));
        Assert.Equal(("18", "/roster?grantStatus=Suspended&status=Active"), Link(cut, "dash-suspended-grants"));
        Assert.Equal(("5", "/roster?grantStatus=PendingApproval&status=Active"), Link(cut, "dash-pending-grants"));
        Assert.Equal(("7", "/roster?attestation=Overdue&status=Active"), Link(cut, "dash-attestation-overdue"));
        Assert.Equal(("8", "/roster?attestation=DueSoon&status=Active"), Link(cut, "dash-attestation-due-soon"));
        Assert.Equal(("2", "/roster?attestation=Never&status=Active"), Link(cut, "dash-attestation-never"));
        Assert.Contains("China (CN), Hong Kong (HK), Iran (IR), North Korea (KP), Macao (MO), Russian Federation (RU)", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenFilteredToAVendor_EveryLinkCarriesIt()
    {
        var cut = Render(Sample(Acme));

        var hrefs = cut.FindAll("a[data-testid^=dash-]").Select(a => a.GetAttribute("href")!).ToList();
        Assert.True(hrefs.Count >= 20, $"only {hrefs.Count} links");
        Assert.All(hrefs, href => Assert.EndsWith($"vendor={Acme}", href, StringComparison.Ordinal));
    }

    [Fact]
    public void AccessReviews_ShowOpenCampaigns_DecisionsDue_ReviewersBehind_AndTheReadersOwnQueue()
    {
        var counts = new AccessReviewCounts(2, 340, 120, 3) { ReaderReviews = true, Mine = 17 };
        var cut = Render(Sample(vendor: null) with { AccessReviews = counts });
        Assert.Equal(("2", "/access-reviews"), Link(cut, "dash-reviews-open"));
        Assert.Equal(("340", "/access-reviews"), Link(cut, "dash-reviews-due"));
        Assert.Contains("120 of them with the deadline less than 7 days away", cut.Find("[data-testid=dash-access-reviews]").TextContent, StringComparison.Ordinal);
        Assert.Equal(("3", "/access-reviews"), Link(cut, "dash-reviews-behind"));
        Assert.Equal(("17", "/access-reviews/queue"), Link(cut, "dash-reviews-mine"));

        // An auditor reviews nothing; a vendor's dashboard is about the vendor, not the reader's queue.
        Assert.Empty(Render(Sample(vendor: null) with { AccessReviews = counts with { ReaderReviews = false } }).FindAll("[data-testid=dash-reviews-mine]"));
        var vendor = Render(Sample(Acme) with { AccessReviews = counts });
        Assert.Empty(vendor.FindAll("[data-testid=dash-reviews-mine]"));
        Assert.Equal(("2", $"/access-reviews?vendor={Acme}"), Link(vendor, "dash-reviews-open"));
    }

    [Fact]
    public void EachChart_HasATableEquivalent_WithLinkedCounts()
    {
        var cut = Render(Sample(vendor: null, otherCountries: 14));

        var groups = cut.Find("[data-testid=dash-groups-table]");
        Assert.Equal(["US citizen", "US person, not a citizen (permanent resident or US national)", "Other foreign national", "Covered nation"],
            groups.QuerySelectorAll("tbody th").Select(th => th.TextContent.Trim()));
        Assert.Equal(("120", "/roster?group=OtherForeign&status=Active"), Link(cut, "dash-group-OtherForeign"));

        Assert.Equal(("9", "/roster?country=CN&status=Active"), Link(cut, "dash-country-CN"));
        Assert.Contains("China (CN)", cut.Find("[data-testid=dash-countries-table]").TextContent, StringComparison.Ordinal);
        var other = cut.Find("[data-testid=dash-country-other]");
        Assert.Contains("14 more countries", other.TextContent, StringComparison.Ordinal);
        Assert.Empty(other.QuerySelectorAll("a")); // "other" is not one list

        Assert.Equal(("12", "/findings?severity=Block&open=true"), Link(cut, "dash-severity-Block"));
        Assert.Equal(("9", "/findings?rule=ATTEST-FRESH&open=true"), Link(cut, "dash-rule-ATTEST-FRESH"));

        var weeks = cut.Find("[data-testid=dash-weeks-table]").QuerySelectorAll("tbody tr");
        Assert.Equal(DashboardQuery.Weeks, weeks.Length);
        Assert.Equal("2026-W48", weeks[0].QuerySelector("th")!.TextContent.Trim()); // newest first
        Assert.Equal(["2026-11-23", "11", "5"], weeks[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));

        // Each chart is one image with a text alternative that names its numbers.
        var charts = cut.FindAll("div[role=img]");
        Assert.Equal(4, charts.Count);
        Assert.Contains("Covered nation 14", charts[0].GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Contains("other countries 120", charts[1].GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void WithNoOpenFindings_TheRuleChartGivesWayToAPlainSentence()
    {
        var cut = Render(Sample(vendor: null) with
        {
            OpenFindings = 0,
            OpenFindingsByRule = [],
            OpenFindingsBySeverity = new Dictionary<Severity, int> { [Severity.Block] = 0, [Severity.Suspend] = 0, [Severity.Warn] = 0 },
        });

        Assert.Contains("No open findings", cut.Find("[data-testid=dash-rules-empty]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=dash-rules-table]"));
        Assert.Equal(3, cut.FindAll("div[role=img]").Count);
    }

    [Fact]
    public void WithNoFindingsInTwelveWeeks_TheWeekChartSaysSo_InsteadOfPlottingZeros()
    {
        var cut = Render(Sample(vendor: null) with
        {
            FindingsPerWeek = Sample(null).FindingsPerWeek.Select(w => w with { Opened = 0, Closed = 0 }).ToList(),
        });

        Assert.Equal("No findings opened or closed in the last 12 weeks.", cut.Find("[data-testid=dash-weeks-empty]").TextContent.Trim());
        Assert.DoesNotContain(cut.FindAll("div[role=img]"), d => d.GetAttribute("aria-label")!.Contains("per week", StringComparison.Ordinal)
            || d.GetAttribute("aria-label")!.Contains("ISO weeks", StringComparison.Ordinal));
        Assert.Equal(DashboardQuery.Weeks, cut.Find("[data-testid=dash-weeks-table]").QuerySelectorAll("tbody tr").Length); // the table stays
    }

    [Fact]
    public void WithNobodyInActiveEmployment_ThePeopleChartsSaySo()
    {
        var cut = Render(Sample(vendor: null) with
        {
            ActivePeople = 0,
            ByCitizenshipGroup = Enum.GetValues<CitizenshipGroup>().ToDictionary(g => g, _ => 0),
            TopWorkCountries = [],
        });

        Assert.Contains("no group to chart", cut.Find("[data-testid=dash-groups-empty]").TextContent, StringComparison.Ordinal);
        Assert.Contains("no work location to chart", cut.Find("[data-testid=dash-countries-empty]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, cut.FindAll("div[role=img]").Count); // findings by rule and per week
    }

    [Fact]
    public void TheCharts_FillTheirCards()
    {
        var cut = Render(Sample(vendor: null));
        Assert.All(cut.FindAll("div[role=img] svg"), svg => Assert.Equal("100%", svg.GetAttribute("width")));
    }
}

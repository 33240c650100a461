using Bunit;
using ComplianceHub.Core.Domain.AccessLogs;
using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Web.Components.Pages.Dashboard;
using ComplianceHub.Web.Components.Pages.People;
using ComplianceHub.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Web.Tests.People;

/// <summary>
/// The person page's "Where access came from" and the dashboard's evidence counts render a given data set: countries in words,
/// each agreement in words with an icon (never colour alone), times in the reader's zone, the databases, the limits of the data,
/// the links to the events and to the explanation, and a clear empty state.
/// </summary>
public sealed class AccessEvidenceViewTests : MudComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Person = Guid.Parse("0199a000-0000-7000-8000-0000000000a1");
    private readonly ReaderClock clock = new();

    public AccessEvidenceViewTests() => Services.AddSingleton(clock);

    private static PersonEvidenceView Evidence(params CountrySeen[] countries) => new(Person, "Alice Archer", Guid.NewGuid(), "US", new DateOnly(2026, 12, 1), 90,
        Now.AddDays(-90), countries, countries.Sum(c => c.SignIns), countries.Sum(c => c.FailedSignIns),
        countries.Where(c => c.Country is null).Sum(c => c.SignIns + c.FailedSignIns), countries.Where(c => c.Egress).Sum(c => c.SignIns + c.FailedSignIns),
        ["geo-whois-asn-country 2.3.2026061719"], countries.Any(c => c.Agreement is EvidenceAgreement.Differs or EvidenceAgreement.Covered),
        countries.Any(c => c.Agreement == EvidenceAgreement.Covered));

    private static CountrySeen Seen(string? country, EvidenceAgreement agreement, int signIns, LocationUnknown unknown = LocationUnknown.None) =>
        new(country, unknown, agreement == EvidenceAgreement.Egress, agreement, signIns, 1, Now.AddDays(-3), Now.AddDays(-1), ["milCloud Public Portal"]);

    private IRenderedComponent<AccessEvidenceView> RenderView(PersonEvidenceView evidence) =>
        Render<AccessEvidenceView>(p => p.Add(c => c.Evidence, evidence).Add(c => c.EventsHref, PersonAccessEvidence.EventsHref(Person)));

    [Fact]
    public void EachCountry_IsNamedInWords_WithItsAgreementInWordsAndAnIcon()
    {
        clock.Use("America/New_York");
        var cut = RenderView(Evidence(Seen("CN", EvidenceAgreement.Covered, 3), Seen("US", EvidenceAgreement.Agrees, 12),
            Seen(null, EvidenceAgreement.Unknown, 2, LocationUnknown.Private), Seen("NL", EvidenceAgreement.Egress, 4)));

        var rows = cut.FindAll("[data-testid=evidence-country]");
        Assert.Equal(4, rows.Count);
        var china = rows.Single(r => r.GetAttribute("data-country") == "CN");
        Assert.Contains("China (CN)", china.TextContent, StringComparison.Ordinal);
        Assert.Contains("A covered nation", china.TextContent, StringComparison.Ordinal);
        Assert.NotNull(china.QuerySelector("[data-testid=evidence-agreement] svg")); // an icon beside the words, not colour alone
        Assert.Contains("2026-12-04 07:00 UTC−5", china.TextContent, StringComparison.Ordinal); // first seen, in the reader's zone
        Assert.Contains("milCloud Public Portal", china.TextContent, StringComparison.Ordinal);
        var unknown = rows.Single(r => r.GetAttribute("data-country") == "unknown");
        Assert.Contains("Unknown location (private network address", unknown.TextContent, StringComparison.Ordinal);
        Assert.Contains("through a known egress range", rows.Single(r => r.GetAttribute("data-country") == "NL").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(">CN<", cut.Markup, StringComparison.Ordinal); // never a bare code

        Assert.Equal("covered", cut.Find("[data-testid=evidence-verdict]").GetAttribute("data-verdict"));
        Assert.Contains("geo-whois-asn-country 2.3.2026061719", cut.Find("[data-testid=evidence-databases]").TextContent, StringComparison.Ordinal);
        Assert.Contains("not where the person sits", cut.Find("[data-testid=evidence-caveat]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find($"[data-testid=evidence-caveat] a[href='{AccessEvidenceView.HelpHref}']"));
        Assert.Equal($"/access-logs/events?personId={Person}", cut.Find("[data-testid=evidence-events-link]").GetAttribute("href"));
        Assert.Contains("Bar chart of sign-ins per country: China 3, United States 12", cut.Find("[data-testid=evidence-chart]").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void ACountryOtherThanTheAttestedOne_IsAWarning_AndAgreementAlone_IsSaid()
    {
        var differs = RenderView(Evidence(Seen("NL", EvidenceAgreement.Differs, 1), Seen("US", EvidenceAgreement.Agrees, 5)));
        Assert.Equal("differs", differs.Find("[data-testid=evidence-verdict]").GetAttribute("data-verdict"));
        Assert.Contains("Differs from the attested location", differs.Markup, StringComparison.Ordinal);

        var agrees = RenderView(Evidence(Seen("US", EvidenceAgreement.Agrees, 5)));
        Assert.Equal("agrees", agrees.Find("[data-testid=evidence-verdict]").GetAttribute("data-verdict"));
    }

    [Fact]
    public void WithoutLogs_TheEmptyStateSaysSo_AndStillExplainsTheData()
    {
        var cut = RenderView(Evidence());
        Assert.Contains("No access logs name this person yet", cut.Find("[data-testid=evidence-empty]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=evidence-countries]"));
        Assert.NotNull(cut.Find("[data-testid=evidence-caveat]"));
    }

    [Fact]
    public void TheDashboardCounts_ListEachVendor_WithLinks_AndAChartSummary()
    {
        var acme = Guid.Parse("0199a000-0000-7000-8000-00000000ac01");
        var cut = Render<AccessEvidenceCounts>(p => p.Add(c => c.Rows, [new VendorEvidenceCount(acme, "Acme Cloud Services", 12, 3, 1)]));

        Assert.Contains("Access-log evidence, last 90 days", cut.Markup, StringComparison.Ordinal);
        var people = cut.Find($"[data-testid=dash-evidence-people-{acme}]");
        Assert.Equal(("12", $"/access-logs/events?vendorId={acme}"), (people.TextContent, people.GetAttribute("href")));
        Assert.Equal(("3", $"/vendors/{acme}"), (cut.Find($"[data-testid=dash-evidence-disagreeing-{acme}]").TextContent,
            cut.Find($"[data-testid=dash-evidence-disagreeing-{acme}]").GetAttribute("href")));
        Assert.Equal("1", cut.Find($"[data-testid=dash-evidence-covered-{acme}]").TextContent);
        Assert.Contains("Acme Cloud Services: 12 with evidence, 3 disagreeing, 1 from a covered nation", cut.Find("[role=img]").GetAttribute("aria-label"), StringComparison.Ordinal);

        var empty = Render<AccessEvidenceCounts>(p => p.Add(c => c.Rows, []).Add(c => c.Vendor, acme));
        Assert.Contains("No access logs in the last 90 days name anyone of this vendor", empty.Find("[data-testid=dash-evidence-empty]").TextContent, StringComparison.Ordinal);
    }
}

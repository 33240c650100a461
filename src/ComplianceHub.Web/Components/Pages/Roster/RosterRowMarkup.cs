using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ComplianceHub.Web.Components.Pages.Roster;

/// <summary>
/// A roster row as one piece of markup: the cells MudBlazor's table renders (its classes, chips and links), every value
/// HTML-encoded. A row rendered element by element was some 80 render-tree frames, and a circuit keeps its page's current and
/// previous render tree for as long as it lives (docs/performance.md, "Circuits"); as markup a row is one frame and one string.
/// Nothing in a row is interactive but its links, which the browser follows (and Blazor's navigation intercepts) as any link.
/// </summary>
public static class RosterRowMarkup
{
    private const string LinkClass = "mud-typography mud-link mud-primary-text mud-link-underline-hover";

    /// <param name="hidden">The columns the reader hid (<see cref="RosterColumns"/> keys); their cells are left out, as their headers are.</param>
    public static MarkupString Row(RosterGridRow r, bool showVendor, IReadOnlyCollection<string>? hidden = null)
    {
        bool Show(string key) => hidden is null || !hidden.Contains(key);
        var html = new StringBuilder(1024).Append("<tr class=\"mud-table-row\">");
        Cell(html, "Name").Append("<a href=\"/people/").Append(r.Id).Append("\" class=\"").Append(LinkClass)
            .Append("\" data-testid=\"roster-person\">").Append(Encode(r.FullName)).Append("</a></td>");
        if (Show(RosterColumns.EmployeeId))
        {
            Cell(html, "Employee id").Append(Encode(r.EmployeeId)).Append("</td>");
        }
        if (showVendor && Show(RosterColumns.Vendor))
        {
            Cell(html, "Vendor").Append(Encode(r.VendorName)).Append("</td>");
        }
        if (Show(RosterColumns.Citizenships))
        {
            Cell(html, "Citizenships");
            foreach (var c in r.Citizenships)
            {
                html.Append("<span class=\"").Append(r.Group == CitizenshipGroup.CoveredNation && c != "US" ? "country-code covered" : "country-code")
                    .Append("\">").Append(Encode(Words.Country(c))).Append("</span>");
            }
            if (r.UsLawfulPermanentResident)
            {
                html.Append("<span class=\"country-code\" title=\"US lawful permanent resident\">LPR</span>");
            }
            // The group in short ("US person, not a citizen"), its full words on hover: the column stays narrow enough for 1280 px.
            var group = RosterUrl.GroupLabel(r.Group);
            var cut = group.IndexOf(" (", StringComparison.Ordinal);
            Chip(html, cut > 0 ? group[..cut] : group, GroupColor(r.Group), title: group).Append("</td>");
        }
        if (Show(RosterColumns.WorksIn))
        {
            Cell(html, "Works in").Append(Encode(r.WorkCity)).Append(", ").Append(Encode(Words.Country(r.WorkCountry))).Append("</td>");
        }
        if (Show(RosterColumns.Employer))
        {
            Cell(html, "Employer").Append(Encode(RosterLabels.Employer(r.EmployerType))).Append("</td>");
        }
        if (Show(RosterColumns.Grants))
        {
            Cell(html, "Grants").Append(Encode(GrantsText(r)));
            if (r.Escorted)
            {
                html.Append("<div class=\"mud-typography mud-typography-caption\">escorted</div>");
            }
            html.Append("</td>");
        }
        if (Show(RosterColumns.Attestation))
        {
            Cell(html, "Attestation");
            Chip(html, RosterUrl.AttestationLabel(r.Attestation), AttestationColor(r.Attestation));
            if (r.AttestationDueOn is { } due)
            {
                html.Append("<span class=\"mud-typography mud-typography-caption\">due ").Append(RosterUrl.FormatDate(due)).Append("</span>");
            }
            html.Append("</td>");
        }
        if (Show(RosterColumns.Findings))
        {
            Cell(html, "Open findings");
            if (r.OpenFindings > 0)
            {
                html.Append("<a href=\"/findings?person=").Append(r.Id).Append("\" class=\"").Append(LinkClass).Append("\" data-testid=\"roster-findings\">")
                    .Append(r.OpenFindings.ToString(CultureInfo.InvariantCulture)).Append("</a>");
            }
            else
            {
                html.Append("<span aria-label=\"none\">—</span>");
            }
            html.Append("</td>");
        }
        if (Show(RosterColumns.Employment))
        {
            Cell(html, "Employment").Append(Encode(Words.Of(r.Status)));
            if (r.Screening != ScreeningStatus.Clear)
            {
                Chip(html, $"Screening: {Words.Of(r.Screening)}", Color.Error, outlined: false);
            }
            html.Append("</td>");
        }
        return new MarkupString(html.Append("</tr>").ToString());
    }

    public static string GrantsText(RosterGridRow r)
    {
        var parts = new List<string>();
        if (r.ActiveGrants > 0) { parts.Add($"{r.ActiveGrants} active"); }
        if (r.SuspendedGrants > 0) { parts.Add($"{r.SuspendedGrants} suspended"); }
        if (r.PendingGrants > 0) { parts.Add($"{r.PendingGrants} pending"); }
        return parts.Count == 0 ? "none" : string.Join(" · ", parts);
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    /// <summary>The cell's opening tag; data-label names the column in MudBlazor's stacked layout on narrow screens.</summary>
    private static StringBuilder Cell(StringBuilder html, string label) =>
        html.Append("<td class=\"mud-table-cell\" data-label=\"").Append(label).Append("\">");

    /// <summary>A small, non-interactive chip: the markup MudChip renders.</summary>
    private static StringBuilder Chip(StringBuilder html, string text, Color color, bool outlined = true, string? title = null) =>
        html.Append("<div class=\"mud-chip-container\"><div class=\"mud-chip ").Append(outlined ? "mud-chip-outlined" : "mud-chip-filled")
            .Append(" mud-chip-size-small mud-chip-color-").Append(color.ToString().ToLowerInvariant())
            .Append(title is null || title == text ? "" : $"\" title=\"{Encode(title)}")
            .Append("\" tabindex=\"-1\"><span class=\"mud-chip-content\">").Append(Encode(text)).Append("</span></div></div>");

    private static Color GroupColor(CitizenshipGroup group) => group switch
    {
        CitizenshipGroup.CoveredNation => Color.Error,
        CitizenshipGroup.OtherForeign => Color.Warning,
        _ => Color.Default,
    };

    private static Color AttestationColor(AttestationState state) => state switch
    {
        AttestationState.Overdue or AttestationState.Never => Color.Error,
        AttestationState.DueSoon => Color.Warning,
        _ => Color.Success,
    };
}

/// <summary>
/// The roster's columns: key (as the address's <c>hide=</c> and a saved view name it), header, and sort key (null when the column
/// does not sort). Every column but the name can be hidden, so the list fits the screen it is read on (1280 pixels and less).
/// </summary>
public static class RosterColumns
{
    public const string Name = "name";
    public const string EmployeeId = "employeeId";
    public const string Vendor = "vendor";
    public const string Citizenships = "citizenships";
    public const string WorksIn = "worksIn";
    public const string Employer = "employer";
    public const string Grants = "grants";
    public const string Attestation = "attestation";
    public const string Findings = "findings";
    public const string Employment = "employment";

    public static IReadOnlyList<(string Key, string Title, string? Sort)> All { get; } =
    [
        (Name, "Name", "fullName"), (EmployeeId, "Employee id", "employeeId"), (Vendor, "Vendor", "vendorName"), (Citizenships, "Citizenships", null),
        (WorksIn, "Works in", "workCountry"), (Employer, "Employer", "employerType"), (Grants, "Grants", null), (Attestation, "Attestation", "locationAttestedOn"),
        (Findings, "Open findings", null), (Employment, "Employment", "status"),
    ];

    /// <summary>The columns a reader may hide: all but the name, which links to the person.</summary>
    public static IReadOnlyList<string> Hideable { get; } = [.. All.Select(c => c.Key).Where(k => k != Name)];

    /// <summary>The sort keys the roster offers.</summary>
    public static IReadOnlyList<string> SortKeys { get; } = [.. All.Select(c => c.Sort).OfType<string>()];
}

using System.Net;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Pages;

/// <summary>
/// The pages people read, as the server renders them over the demo data, show words: no enum name that has words of its own
/// ("NonPrivileged", "PendingApproval", "TopSecret", "VendorEmployee"), and no country code standing alone ("CN" rather
/// than "China (CN)").
/// </summary>
public sealed partial class PlainLanguagePagesTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private const string Il2 = "0199a000-0000-7000-8000-000000005201";

    /// <summary>Every value of every public enum of Core whose name is code (two words run together) and whose words differ.</summary>
    private static readonly HashSet<string> EnumNames = typeof(Words).Assembly.GetExportedTypes()
        .Where(t => t.IsEnum && Words.Covers(t))
        .SelectMany(t => Enum.GetValues(t).Cast<Enum>())
        .Select(v => (Name: v.ToString(), Words: Words.Of(v)))
        .Where(v => v.Name != v.Words && CompoundName().IsMatch(v.Name))
        .Select(v => v.Name)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Two-letter capitals that are not countries on these pages: English ("US citizen", "Employee ID") and the citations'
    /// abbreviations ("AO review", "DISA CC SRG", "IT"); control ids ("MA-5", "PS-4") are told apart by their dash.
    /// </summary>
    private static readonly HashSet<string> NotCountries = new(StringComparer.Ordinal) { "US", "ID", "AO", "CC", "IT" };

    private static readonly HashSet<string> CountryCodes = Iso3166.All.Select(c => c.Alpha2).Where(c => !NotCountries.Contains(c)).ToHashSet(StringComparer.Ordinal);

    public static TheoryData<string, string> Pages() => new()
    {
        { "co1@demo.local", "/roster" },
        { "co1@demo.local", "person:GLX-1015" },
        { "co1@demo.local", "/systems" },
        { "co1@demo.local", "/vendors" },
        { "co1@demo.local", $"/vendors/{DemoSeeder.GlobexId}" },
        { "co1@demo.local", "/policy" },
        { "co1@demo.local", "/escorts" },
        { "co1@demo.local", "/sessions" },
        { "co1@demo.local", "/attestations" },
        { "co1@demo.local", $"/access?system={Il2}" },
        { "rep@acme.demo.local", "/roster" },
        { "rep@acme.demo.local", "/requests" },
        { "rep@acme.demo.local", "/attestations" },
        { "rep@acme.demo.local", "/roster/import" },
        { "auditor@demo.local", "/evidence" },
        { "auditor@demo.local", "person:GLX-1015" },
        { "admin@demo.local", "/admin/accounts" },
        { "admin@demo.local", "/account" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task APage_ShowsWords_NotEnumNamesOrBareCountryCodes(string email, string page)
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync(email, DemoSeeder.DemoPassword));
        if (page.StartsWith("person:", StringComparison.Ordinal))
        {
            var id = (Guid)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
                $"SELECT id FROM people WHERE employee_id = '{page["person:".Length..]}'"))!;
            page = $"/people/{id}";
        }

        var text = VisibleText(await session.GetHtmlAsync(page));

        Assert.True(text.Length > 200, $"{page} rendered almost nothing: {text}");
        var enumNames = Word().Matches(text).Select(m => m.Value).Where(EnumNames.Contains).Distinct().ToList();
        Assert.True(enumNames.Count == 0, $"{page} shows enum names: {string.Join(", ", enumNames)}");
        var bare = BareCode().Matches(text).Select(m => m.Groups["code"].Value).Where(CountryCodes.Contains).Distinct().ToList();
        Assert.True(bare.Count == 0, $"{page} shows country codes without their names: {string.Join(", ", bare)}");
    }

    [Fact]
    public void TheCheck_KnowsTheEnumNamesPeopleMustNotRead()
    {
        Assert.Subset(EnumNames, new HashSet<string> { "NonPrivileged", "PendingApproval", "TopSecret", "VendorEmployee", "FalsePositive", "NeedsRemediation" });
        Assert.DoesNotContain(BareCode().Matches("Works in China (CN); holds United States (US) and Canada (CA)"), m => CountryCodes.Contains(m.Groups["code"].Value));
        Assert.Equal(["CN"], BareCode().Matches("Citizenships: CN, US").Select(m => m.Groups["code"].Value).Where(CountryCodes.Contains));
    }

    /// <summary>
    /// What a reader sees: the page's text without scripts, styles, tags or attributes, and without code elements (a value
    /// to type into a file, shown as code with its words beside it) and citations (the law's own words, quoted as written).
    /// </summary>
    private static string VisibleText(string html)
    {
        var body = Scripts().Replace(html, " ");
        return WebUtility.HtmlDecode(Tags().Replace(body, " "));
    }

    [GeneratedRegex("^[A-Z][a-z]+[A-Z]")]
    private static partial Regex CompoundName();

    [GeneratedRegex(@"\b[A-Za-z]+\b")]
    private static partial Regex Word();

    [GeneratedRegex(@"(?<!\()\b(?<code>[A-Z]{2})\b(?![)\-])")]
    private static partial Regex BareCode();

    [GeneratedRegex(@"<(script|style|code|cite)\b.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Scripts();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
